from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """数据交换: the exchange data set (our own published schema), its feed by ledger index for partner platforms,
    and the reference client's read-only mirror of another installation's feed."""

    name = "sanxiang.exchange"
    label = "exchange"

    def ready(self):
        from sanxiang.exchange.services import LEDGER_ACTIONS
        from sanxiang.ledger.vocabulary import ACTION_LABELS, INTERNAL_ACTIONS

        ACTION_LABELS.register(LEDGER_ACTIONS)
        INTERNAL_ACTIONS.register(
            {action: "the mirror's own bookkeeping, not an act of the agency" for action in LEDGER_ACTIONS}
        )
