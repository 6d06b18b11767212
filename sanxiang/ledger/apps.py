from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from django.conf import settings

        # Read at call time, so a test can switch the append-only triggers back on.
        connection.connection.create_function(
            "sanxiang_ledger_test_reset", 0, lambda: int(getattr(settings, "LEDGER_TEST_RESET", False)),
            deterministic=False,
        )


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录账本"

    def ready(self):
        from sanxiang.ledger import checks  # noqa: F401 - registers the signing-key check

        connection_created.connect(_register_sqlite_functions)
