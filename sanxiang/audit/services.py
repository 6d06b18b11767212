"""Writes to the security audit log: one function records every event, one purges what is past retention."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from sanxiang.agencies.models import User
from sanxiang.agencies.services import LEDGER_ACTIONS as AGENCY_ACTIONS
from sanxiang.audit.forwarding import forward
from sanxiang.audit.middleware import current_request
from sanxiang.audit.models import AuditEvent, Channel, Kind, Outcome
from sanxiang.core.network import client_address

# The ledger actions that are administrative changes: staff and roles, certificates, rules, agency settings and
# service windows, the calendar — everything the agencies app records.
ADMIN_ACTIONS = frozenset(AGENCY_ACTIONS)
# Keys never written into an event's detail, whatever a caller passes.
SECRET_KEY = re.compile(r"pass|secret|credential|^token$|^key$|^raw$|otp_?code|^code$", re.IGNORECASE)


def _clean(detail):
    if isinstance(detail, dict):
        return {str(key): _clean(value) for key, value in detail.items() if not SECRET_KEY.search(str(key))}
    if isinstance(detail, list | tuple):
        return [_clean(value) for value in detail]
    if isinstance(detail, dt.datetime | dt.date):
        return detail.isoformat()
    if detail is None or isinstance(detail, bool | int | float | str):
        return detail
    return str(detail)


def _channel(request) -> str:
    if request is None:
        return Channel.SYSTEM
    return Channel.API if request.path.startswith("/api/") else Channel.WEB


def audit_record(
    *,
    kind: str,
    outcome: str = Outcome.SUCCESS,
    request=None,
    user=None,
    username: str = "",
    agency=None,
    channel: str = "",
    subject: models.Model | tuple[str, str] | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Record one security event, in the caller's transaction, and forward it to syslog once committed.

    `request` defaults to the one being served (its address, its program, and its signed-in user unless a user name
    is given); `user` is the account concerned, `username` what was typed (a failed login); `agency` an Agency or its code, by default the
    user's; `subject` the object concerned (a model instance or a (type, id) pair); `detail` a small JSON object,
    from which anything named like a password, secret, token or code is dropped.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown audit event kind {kind!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if request is None:
        request = current_request.get()
    request = getattr(request, "_request", request)  # a DRF request: its HttpRequest, never re-authenticated
    if isinstance(user, str):
        username, user = username or user, None
    # An event about a typed user name (a failed login) is never put on whoever the session belongs to.
    if user is None and not username and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if agency is None and user is not None:
        agency = user.agency
    if isinstance(subject, models.Model):
        subject = (subject._meta.label_lower, str(subject.pk))
    event = AuditEvent.objects.create(
        time=timezone.now(),
        kind=kind,
        outcome=outcome,
        channel=channel or _channel(request),
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        agency_code=(getattr(agency, "code", agency) or "")[:12],
        remote_address=client_address(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else "",
        object_type=subject[0][:60] if subject else "",
        object_id=str(subject[1])[:64] if subject else "",
        detail=_clean(detail or {}),
    )
    transaction.on_commit(lambda: forward(event), robust=True)
    return event


def admin_changes_record(*, records, indexes) -> None:
    """The `ledger.entries_appended` handler: each administrative change appended to the ledger is also a security
    event, in the same transaction, with the ledger index that holds its facts."""
    for record, index in zip(records, indexes, strict=True):
        if record.action not in ADMIN_ACTIONS:
            continue
        user = None
        if record.actor.startswith("staff:"):
            user_id = int(record.actor.split(":", 1)[1])
            request = current_request.get()
            signed_in = getattr(request, "user", None) if request is not None else None
            if signed_in is not None and signed_in.is_authenticated and signed_in.pk == user_id:
                user = signed_in
            else:
                user = User.objects.filter(pk=user_id).first()
        audit_record(
            kind=Kind.ADMIN_CHANGE,
            user=user if user is not None else record.actor,
            agency=record.agency,
            channel=Channel.CLI if record.actor == "cli" and current_request.get() is None else "",
            subject=(record.subject_type, record.subject_id),
            detail={"action": record.action, "ledger_index": index},
        )


def audit_purge(*, now: dt.datetime | None = None, channel: str = Channel.SYSTEM) -> int:
    """Delete the events older than SANXIANG_AUDIT_RETENTION_DAYS and record that it was done; returns how many.

    The database refuses to delete anything younger than the legal minimum whatever this function is asked.
    """
    now = now or timezone.now()
    days = settings.AUDIT_RETENTION_DAYS
    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        deleted, _ = AuditEvent.objects.filter(time__lt=cutoff).delete()
        if deleted:
            audit_record(
                kind=Kind.AUDIT_PURGE,
                channel=channel,
                detail={"deleted": deleted, "before": cutoff, "retention_days": days},
            )
    return deleted
