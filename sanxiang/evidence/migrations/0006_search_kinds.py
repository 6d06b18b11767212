"""The search index of evidence holds each file's kind and covert recording in words (evidence/search.py): the rows
already there are made again."""

from django.db import migrations

from sanxiang.evidence.search import items_rebuild


def rebuild(apps, schema_editor):
    items_rebuild(apps.get_model("evidence", "EvidenceItem"), apps.get_model("evidence", "EvidenceAnnotation"))


class Migration(migrations.Migration):
    dependencies = [("evidence", "0005_search")]

    # Backwards the rows stay as they are: the older code reads them, and finds a little more.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
