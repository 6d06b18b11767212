from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录账本"

    def ready(self):
        from sanxiang.core.integrity import providers
        from sanxiang.ledger import checks  # noqa: F401 - registers the signing-key check
        from sanxiang.ledger.integrity import LEDGER

        providers.register(LEDGER)
