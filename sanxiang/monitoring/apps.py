from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """非现场执法: online monitoring data received over HJ 212-2017 and kept as evidence, exceedances found under the
    标记规则, and the clues they give the inspections app."""

    name = "sanxiang.monitoring"
    label = "monitoring"

    def ready(self):
        from sanxiang.cases import hooks as case_hooks
        from sanxiang.ledger.vocabulary import ACTION_LABELS
        from sanxiang.monitoring import checklist, clue_evidence, clue_selectors, clues

        ACTION_LABELS.register(clues.LEDGER_ACTIONS | checklist.LEDGER_ACTIONS)
        case_hooks.case_opened.register(clue_evidence.case_evidence_add)
        case_hooks.decision_evidence_gate.register(checklist.decision_gate)
        case_hooks.case_panels.register(clue_selectors.check_panel)
