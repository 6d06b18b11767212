"""Login, logout and lock-out as security events: Django's and axes' signals, connected in AuditConfig.ready().

The audit log keeps every failed attempt even after axes forgets them on a successful login (AXES_RESET_ON_SUCCESS).
"""

from sanxiang.agencies.models import User
from sanxiang.audit.models import Kind, Outcome
from sanxiang.audit.services import audit_record


def _account(username: str):
    return User.objects.select_related("agency").filter(username=username).first() if username else None


def logged_in(sender, request, user, **kwargs):
    audit_record(kind=Kind.LOGIN, request=request, user=user, detail={"method": "password"})


def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    account = _account(username)
    audit_record(
        kind=Kind.LOGIN,
        outcome=Outcome.FAILURE,
        request=request,
        user=account,
        username=username,
        detail={"method": "password", "locked_out": bool(getattr(request, "axes_locked_out", False))},
    )


def logged_out(sender, request, user, **kwargs):
    audit_record(kind=Kind.LOGOUT, request=request, user=user)


def locked_out(sender, request, username, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    audit_record(
        kind=Kind.LOCKOUT, outcome=Outcome.FAILURE, request=request, user=_account(username), username=username
    )
