from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    """事前公开: what an agency publishes before enforcement — collected, reviewed and published by its own staff."""

    name = "sanxiang.disclosures"
    label = "disclosures"

    def ready(self):
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.disclosures import selectors
        from sanxiang.disclosures.models import Disclosure
        from sanxiang.disclosures.services import LEDGER_ACTIONS
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(LEDGER_ACTIONS)
        FACT_WORDS.register(
            words_of(Disclosure.Status, "status", subject="publicity.disclosure")
            | words_of(Disclosure.Category, "category", subject="publicity.disclosure")
        )
        HISTORY_GATES.register({"publicity.disclosure": (selectors.disclosure_get_for_user, "disclosure_id")})
