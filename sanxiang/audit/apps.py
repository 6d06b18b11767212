from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Staff views of the ledger: object histories, the per-agency audit page, the entry endpoint."""

    name = "sanxiang.audit"
    label = "audit"
