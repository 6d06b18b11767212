from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录账本"

    def ready(self):
        from django.conf import settings

        from sanxiang.core.integrity import providers
        from sanxiang.ledger import merkle

        merkle.use(settings.LEDGER_HASH)
        from sanxiang.ledger import checks  # noqa: F401 - registers the signing-key check
        from sanxiang.ledger.integrity import LEDGER

        providers.register(LEDGER)
