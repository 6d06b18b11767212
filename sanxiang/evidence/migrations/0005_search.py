"""The search index of evidence (evidence/search.py), filled from the files already there."""

from django.db import migrations

from sanxiang.evidence.search import ITEMS, items_rebuild


def create(apps, schema_editor):
    ITEMS.create(schema_editor)
    items_rebuild(apps.get_model("evidence", "EvidenceItem"), apps.get_model("evidence", "EvidenceAnnotation"))


def drop(apps, schema_editor):
    ITEMS.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0004_recorder_officer_number"), ("cases", "0022_search")]

    operations = [migrations.RunPython(create, drop)]
