"""Append N ledger entries, one transaction each: `python -m sanxiang.testing.append_worker N TAG START_FILE`.

Each worker sets Django up and connects, says so in START_FILE.TAG.ready, then waits for START_FILE to exist, so that
all workers append at the same time however long each took to start.

Run as separate processes by the concurrency test, against the database in SANXIANG_DATABASE_URL.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    count, tag, start = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from sanxiang.ledger.services import ledger_append

    connection.ensure_connection()
    start.with_name(f"{start.name}.{tag}.ready").touch()
    while not start.exists():
        time.sleep(0.01)
    for number in range(count):
        with transaction.atomic():
            ledger_append(actor="test", agency=None, action="test.append", subject=("test", f"{tag}-{number}"))


if __name__ == "__main__":
    main()
