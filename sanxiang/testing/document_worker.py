"""Issue N documents of one type for agency 230100, one transaction each:
`python -m sanxiang.testing.document_worker N START_FILE` (run side by side by the numbering test)."""

import datetime as dt
import os
import sys
import time
from pathlib import Path


def main() -> None:
    count, start = int(sys.argv[1]), Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from sanxiang.agencies.models import Agency
    from sanxiang.documents.services import document_issue
    from sanxiang.testing.documents import filled

    agency = Agency.objects.get(code="230100")
    while not start.exists():
        time.sleep(0.01)
    for _ in range(count):
        document_issue(
            actor=None,
            agency=agency,
            doc_type_code="penalty_decision",
            subject=agency,
            issued_on=dt.date(2026, 10, 12),
            context=filled("penalty_decision"),
        )


if __name__ == "__main__":
    main()
