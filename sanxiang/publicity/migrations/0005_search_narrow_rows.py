"""PostgreSQL: the search table keeps only the publication id in its own pages and moves both token lists to TOAST
storage (a row over toast_tuple_target bytes has its long values moved out until it fits). A search that gathers
many older matches from the GIN index reads each match's id from the table (publicity/search.py,
_search_postgresql); with narrow rows a million publications take some 90 MB of table pages instead of over a
gigabyte. It applies to rows indexed from now on; `VACUUM FULL publicity_search` moves the ones already there."""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE publicity_search SET (toast_tuple_target = 128)")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE publicity_search RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("publicity", "0004_disclosure_workflow")]

    operations = [migrations.RunPython(narrow, widen)]
