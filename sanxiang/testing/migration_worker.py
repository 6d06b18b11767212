"""`python -m sanxiang.testing.migration_worker fill|back|forward`, against the database in SANXIANG_DATABASE_URL, for
the test of the migrations that moved tables between apps; each prints what it saw as JSON.

- fill: what the demo puts in the moved tables, through the demo's own loaders — its agencies and staff, the powers
  a review line names, both bureaus' pre-disclosure (published, corrected by a second version, a draft waiting) and
  哈尔滨's catalogue of major decisions (the province's copied, plus a licence line with its power) — without the
  year of cases around them, which the moves do not touch; then the moved tables under their new names.
- back: migrate the two apps to just before their moves (which unapplies every later migration that depends on
  them), in one plan, then the tables under both names.
- forward: migrate everything again, then the tables under both names and the ledger history of a published item.
"""

import hashlib
import json
import os
import sys

MOVED = {  # what each table is called before the move and after it
    "disclosures": ("publicity_disclosure", "disclosures_disclosure"),
    "versions": ("publicity_disclosureversion", "disclosures_disclosureversion"),
    "catalogue": ("cases_reviewrule", "review_reviewrule"),
}
# The columns a table had when it moved, where a later migration added one the state before the move cannot hold
# (a review line's power): those are compared; of the other tables every column.
MOVED_COLUMNS = {"catalogue": ["id", "agency_code", "kind", "value", "description", "citation"]}
BEFORE_THE_MOVES = [("publicity", "0006_search_party"), ("cases", "0006_proposed_outcome")]


def snapshot(when: int) -> dict:
    """Row count and a hash of every row of each moved table under its name before (0) or after (1) the moves; None
    where the table is not there under that name."""
    from django.db import connection

    present = set(connection.introspection.table_names())
    result = {}
    for name, tables in MOVED.items():
        table = tables[when]
        if table not in present:
            result[name] = None
            continue
        selected = ", ".join(f'"{column}"' for column in MOVED_COLUMNS[name]) if name in MOVED_COLUMNS else "*"
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT {selected} FROM "{table}" ORDER BY id')
            rows = cursor.fetchall()
        result[name] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
    return result


def fill() -> dict:
    from django.db import transaction
    from django.utils import timezone

    from sanxiang.demo.agencies import load_agencies, load_staff
    from sanxiang.demo.catalogues import load_catalogues
    from sanxiang.demo.disclosures import load_disclosures
    from sanxiang.demo.licensing import review_line

    today = timezone.localdate()
    with transaction.atomic():
        agencies = load_agencies(today=today)
        staff = load_staff(agencies=agencies, today=today)
    load_catalogues(today=today)
    load_disclosures(today=today)
    review_line(staff["hrb.admin"], agencies["230100"])
    return snapshot(1)


def back() -> dict:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Both targets in one plan: going backwards, Django renders the state before each migration of the project, a
    # pass that costs most of a backwards migrate; `sanxiang migrate` takes one app at a time and would do it twice.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVES)
    return {"before": snapshot(0), "after": snapshot(1)}


def forward() -> dict:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from sanxiang.disclosures.models import Disclosure
    from sanxiang.ledger.selectors import entries_for_subject
    from sanxiang.ledger.vocabulary import subject_type

    item = Disclosure.objects.filter(status="published").order_by("id").first()
    entries = entries_for_subject(subject_type(Disclosure), item.pk)
    history = {"subject": subject_type(Disclosure), "actions": [entry.action for entry in entries]}
    return {"before": snapshot(0), "after": snapshot(1), "history": history}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    step = {"fill": fill, "back": back, "forward": forward}[sys.argv[1]]
    print(json.dumps(step()))


if __name__ == "__main__":
    main()
