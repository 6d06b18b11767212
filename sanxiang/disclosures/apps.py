from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    """事前公开: what an agency publishes before enforcement — collected, reviewed and published by its own staff."""

    name = "sanxiang.disclosures"
    label = "disclosures"

    def ready(self):
        from sanxiang.disclosures import selectors
        from sanxiang.disclosures.services import LEDGER_ACTIONS
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(LEDGER_ACTIONS)
        HISTORY_GATES.register({"publicity.disclosure": (selectors.disclosure_get_for_user, "disclosure_id")})
