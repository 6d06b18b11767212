from django.contrib.auth.views import LogoutView
from django.urls import path

from sanxiang.web import calendar, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/day/", calendar.calendar_day, name="calendar-day"),
    path("calendar/<int:year>/confirm/", calendar.calendar_confirm, name="calendar-confirm"),
]
