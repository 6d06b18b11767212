from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """行政执法公示: what an agency publishes after enforcement, redacted, on time, corrected, withdrawn."""

    name = "sanxiang.publicity"
    label = "publicity"

    def ready(self):
        from sanxiang.cases.hooks import decision_changed, decision_issued
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.publicity import selectors
        from sanxiang.publicity.services import LEDGER_ACTIONS, publication_decision_changed, publication_open

        decision_issued.register(publication_open)
        decision_changed.register(publication_decision_changed)
        ACTION_LABELS.register(LEDGER_ACTIONS)
        HISTORY_GATES.register({"publicity.publication": (selectors.publication_get_for_user, "publication_id")})
