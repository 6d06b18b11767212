from django.apps import AppConfig


class LawsConfig(AppConfig):
    """法律法规库: the law behind every citation — each cited article by version, with the days it is in force."""

    name = "sanxiang.laws"
    label = "laws"

    def ready(self):
        from sanxiang.laws import selectors
        from sanxiang.laws.services import LEDGER_ACTIONS
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(LEDGER_ACTIONS)
        HISTORY_GATES.register({"laws.instrument": (selectors.instrument_get_for_user, "instrument_id")})
