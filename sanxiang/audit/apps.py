from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Staff views of the ledger (object histories, the per-agency audit page, the entry endpoint) and the security
    audit log (logins, tokens, downloads, exports, administrative changes)."""

    name = "sanxiang.audit"
    label = "audit"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from sanxiang.audit import receivers
        from sanxiang.audit.services import admin_changes_record, audit_record
        from sanxiang.core.security import security_event
        from sanxiang.ledger.hooks import entries_appended

        security_event.register(audit_record)
        entries_appended.register(admin_changes_record)
        signals.user_logged_in.connect(receivers.logged_in, dispatch_uid="audit.logged_in")
        signals.user_login_failed.connect(receivers.login_failed, dispatch_uid="audit.login_failed")
        signals.user_logged_out.connect(receivers.logged_out, dispatch_uid="audit.logged_out")
        user_locked_out.connect(receivers.locked_out, dispatch_uid="audit.locked_out")
