from django.apps import AppConfig


class PowersConfig(AppConfig):
    """执法事项库 / 权责清单: every enforcement power of an agency, with its legal basis, on which the catalogues of
    violations, review lines, inspection items and licence types hang."""

    name = "sanxiang.powers"
    label = "powers"

    def ready(self):
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
        from sanxiang.powers import selectors
        from sanxiang.powers.models import PowerKind
        from sanxiang.powers.services import LEDGER_ACTIONS

        ACTION_LABELS.register(LEDGER_ACTIONS)
        FACT_WORDS.register(words_of(PowerKind, "kind", subject="powers.power"))
        HISTORY_GATES.register({"powers.power": (selectors.power_get_for_user, "power_id")})
