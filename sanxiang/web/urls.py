from django.contrib.auth.views import LogoutView
from django.urls import path

from sanxiang.api.throttling import login_throttled
from sanxiang.core.middleware import second_factor_exempt
from sanxiang.web import calendar, login, pwa, security_keys, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", login_throttled(login.LoginView.as_view(), refused=views.login_refused), name="login"),
    path("login/code/", login.second_factor, name="second-factor"),
    path("login/enrol/", login.enrol, name="enrol"),
    path("login/key/", login.security_key_login, name="security-key-login"),
    path("password/", views.password_change, name="password-change"),
    path("security-keys/", security_keys.security_keys, name="security-keys"),
    path("security-keys/<int:key_id>/remove/", security_keys.security_key_delete, name="security-key-remove"),
    path("logout/", second_factor_exempt(LogoutView.as_view()), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/day/", calendar.calendar_day, name="calendar-day"),
    path("calendar/<int:year>/confirm/", calendar.calendar_confirm, name="calendar-confirm"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
]
