"""Session rules of the workbench: an idle or too old session ends; a password someone else set, or one past its
age, must be changed before anything else is reachable."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sanxiang.api.errors import PasswordChangeRequired, json_error

SEEN, STARTED = "session_seen_at", "session_started_at"
# The last request's time is written back at most this often, so an active session is not saved on every request.
SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Logs out a session idle for SESSION_IDLE_MINUTES (登录连接超时自动退出) or older than SESSION_COOKIE_AGE since
    login, whatever was done with it; the next page is the login page, with a message saying why.

    Django pushes a session's expiry forward whenever it is saved, so the absolute age is kept here, from the
    login itself (`session_started`, on Django's user_logged_in: a login keeps the data of a session the same
    user already had)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started, seen = session.get(STARTED), session.get(SEEN)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if started is None or seen is None:
                session[STARTED] = session[SEEN] = now
            elif idle and now - seen > idle:
                self._end(request, _("您已连续 %(minutes)s 分钟未操作，为保护账号安全已自动退出，请重新登录。"))
            elif now - started > settings.SESSION_COOKIE_AGE:
                self._end(request, _("本次登录已超过 %(hours)s 小时，请重新登录。"))
            elif now - seen >= SEEN_RESOLUTION:
                session[SEEN] = now
        return self.get_response(request)

    @staticmethod
    def session_started(sender, request, user, **kwargs) -> None:
        if request is not None and hasattr(request, "session"):
            request.session[STARTED] = request.session[SEEN] = int(time.time())

    @staticmethod
    def _end(request, message: str) -> None:
        # Logged out here, the request goes on as anonymous: the login gate sends a page to the login form (with
        # `next`), and the API answers 401/403 as to anyone without a login.
        logout(request)
        messages.warning(
            request,
            message % {"minutes": settings.SESSION_IDLE_MINUTES, "hours": settings.SESSION_COOKIE_AGE // 3600},
        )


class PasswordChangeMiddleware:
    """While the user's password must be changed (`User.password_change_reason`), every page leads to the change
    page; the API answers 403 `password_change_required`. Logging out and static files stay reachable."""

    # URL names reachable while a change is due.
    ALLOWED = ("web:password-change", "web:logout", "web:second-factor", "web:enrol")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.password_change_reason() and not self._allowed(request.path):
            if request.path.startswith("/api/"):
                message = _("密码已由管理员重设或已过期，请先修改密码。")
                return json_error(403, PasswordChangeRequired.default_code, message)
            return redirect("web:password-change")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        return path.startswith("/" + settings.STATIC_URL.lstrip("/")) or path in {
            reverse(name) for name in self.ALLOWED
        }
