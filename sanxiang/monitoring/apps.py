from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """非现场执法: online monitoring data received over HJ 212-2017 and kept as evidence, exceedances found under the
    标记规则, and the clues they give the inspections app."""

    name = "sanxiang.monitoring"
    label = "monitoring"

    def ready(self):
        from sanxiang.cases import hooks as case_hooks
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.monitoring import checklist, clue_evidence, clue_selectors, clues, registry, selectors, services
        from sanxiang.monitoring.mark_kinds import MARK_KIND_CHOICES
        from sanxiang.monitoring.models import Averaging, Medium

        ACTION_LABELS.register(
            registry.LEDGER_ACTIONS | clues.LEDGER_ACTIONS | checklist.LEDGER_ACTIONS | services.LEDGER_ACTIONS
        )
        FACT_WORDS.register(
            words_of(Medium, "medium", subject="monitoring.point")
            | words_of(Averaging, "averaging", subject="monitoring.point")
            | words_of(MARK_KIND_CHOICES, "kind", subject="monitoring.point")
        )
        HISTORY_GATES.register({"monitoring.point": (selectors.point_get_for_user, "point_id")})
        case_hooks.case_opened.register(clue_evidence.case_evidence_add)
        case_hooks.decision_evidence_gate.register(checklist.decision_gate)
        case_hooks.case_panels.register(clue_selectors.check_panel)
