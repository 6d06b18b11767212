"""Running the rows of an import whose records are created and updated one by one through an app's services, each
row in its own savepoint inside the file's one transaction: a row the services refuse is rolled back alone and its
problems recorded, the next rows are still checked, and if any was refused nothing of the file stays (the
transaction ends by raising ImportRejected). The file itself is read by core.tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.core.tables import Imported, Row, Table


def import_by_key(
    table: Table,
    *,
    key: str,
    read: Callable[[Row], dict | tuple | None],
    save: Callable[[Row, object], str],
    columns: dict[str, str],
) -> Imported:
    """Each row of `table` once per value of its `key` column (a repeat is refused naming the line it repeats):
    `read` makes what the row says of its record (None when a cell cannot be read, the cell refused), `save` writes
    it and says whether it was "created", "updated" or "unchanged"; a refusal is recorded under the column of each
    field it names (`columns`), else under `key`."""
    seen: dict[str, int] = {}
    counts: Counter = Counter()
    with transaction.atomic():
        for row in table.rows():
            if row[key] in seen:
                table.refuse(
                    row, key, _("与第 %(line)d 行的%(column)s重复。") % {"line": seen[row[key]], "column": key}
                )
                continue
            seen[row[key]] = row.line
            values = read(row)
            if values is None:
                continue
            try:
                with transaction.atomic():
                    counts[save(row, values)] += 1
            except ValidationError as error:
                table.refuse_error(row, error, columns, whole=key)
        table.check()
    return Imported(**counts)
