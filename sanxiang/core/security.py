"""Security events that apps below `audit` report: an API password login, a token issued, revoked or used, a
second factor checked. The audit app records them in its security log (audit.services.audit_record).

Apps above `audit` call `audit_record` directly; apps below it call `security_event(...)` with the same keyword
arguments — kind, outcome, request, user, username, agency, channel, subject, detail — which runs the handler at
once, in the caller's transaction.
"""

from sanxiang.core.hooks import hook

security_event = hook(
    "core.security_event",
    doc="record a security event in the audit log: security_event(kind=, outcome=, request=, user=, subject=, ...)",
)
