"""Reference rows the migrations create, which a transactional test's flush empties and the next test needs."""

from sanxiang.core.models import Rule
from sanxiang.core.rules_data import as_rows
from sanxiang.core.services import calendar_import_package
from sanxiang.ledger.models import LogHead


def restore_migration_data() -> None:
    calendar_import_package(record=False)
    LogHead.objects.get_or_create(id=1)
    for row in as_rows():
        Rule.objects.get_or_create(key=row["key"], agency_code="", defaults=row)
