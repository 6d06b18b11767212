from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Inspections, penalty cases and coercive measures: the procedure with its legal deadlines and gates."""

    name = "sanxiang.cases"
    label = "cases"

    def ready(self):
        from sanxiang.cases import selectors
        from sanxiang.cases.services import LEDGER_ACTIONS
        from sanxiang.documents.hooks import act_officers
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(LEDGER_ACTIONS)
        HISTORY_GATES.register({"cases.case": (selectors.case_get_for_user, "case_id")})
        act_officers.register(selectors.ACT_OFFICERS)
