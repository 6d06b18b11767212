"""The second factor at login: a TOTP code checked against the account's confirmed device.

The workbench's second step and the API's token endpoint both ask here, so a wrong code counts toward the same
lock-out (django-axes, per user name and address) as a wrong password, and a locked account is told it is locked.
"""

from __future__ import annotations

import enum

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.core.security import security_event


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"
    LOCKED = "locked"
    NOT_ENROLLED = "not_enrolled"


def confirmed_device(user) -> TOTPDevice | None:
    """The account's authenticator, once its enrolment was confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_locked_out(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def code_failed(request, user) -> bool:
    """Count a wrong code as a failed login (the same lock-out as a wrong password); True if it now locks."""
    credentials = {"username": user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return AxesProxyHandler.is_locked(request, credentials)


def code_check(*, request, user, code: str) -> tuple[Outcome, TOTPDevice | None]:
    """Check `code` against `user`'s confirmed device; a wrong code is counted toward the lock-out."""
    if is_locked_out(request, user.get_username()):
        return Outcome.LOCKED, None
    with transaction.atomic():
        # Locked so that two requests racing with the same code cannot both pass (the device keeps the last step).
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return Outcome.NOT_ENROLLED, None
        # django-otp slows guessing down per device (1, 2, 4 … seconds); a try inside that wait is not even
        # compared, but it is still a failed login for the lock-out.
        throttled = not device.verify_is_allowed()[0]
        verified = not throttled and device.verify_token(code.strip())
        # In the transaction that consumed the code (or counted the failure) on the device.
        security_event(
            kind="otp_verify",
            outcome="success" if verified else "failure",
            request=request,
            user=user,
            detail={"method": "totp"},
        )
    if verified:
        return Outcome.VERIFIED, device
    if code_failed(request, user):
        return Outcome.LOCKED, None
    return (Outcome.THROTTLED if throttled else Outcome.WRONG), None
