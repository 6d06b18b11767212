from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """非现场执法: online monitoring data received over HJ 212-2017 and kept as evidence, exceedances found under the
    标记规则, and the clues they give the inspections app."""

    name = "sanxiang.monitoring"
    label = "monitoring"

    def ready(self):
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.monitoring import registry, selectors

        ACTION_LABELS.register(registry.LEDGER_ACTIONS)
        HISTORY_GATES.register({"monitoring.point": (selectors.point_get_for_user, "point_id")})
