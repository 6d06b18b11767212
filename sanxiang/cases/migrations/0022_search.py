"""The search indexes of cases and parties (cases/search.py), filled from the rows already there."""

from django.db import migrations

from sanxiang.cases.search import CASES, PARTIES, cases_rebuild, parties_rebuild


def create(apps, schema_editor):
    CASES.create(schema_editor)
    PARTIES.create(schema_editor)
    cases_rebuild(apps.get_model("cases", "Case"))
    parties_rebuild(apps.get_model("cases", "Party"))


def drop(apps, schema_editor):
    CASES.drop(schema_editor)
    PARTIES.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_case_decided_recent")]

    operations = [migrations.RunPython(create, drop)]
