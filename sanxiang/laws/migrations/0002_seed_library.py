"""The law library the repository carries: the cited versions with their dates and sources, and a paraphrase of each
cited article (no statute text)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.laws.seed import seed_library

    seed_library(apps.get_model("laws", "Instrument"), apps.get_model("laws", "Article"))


class Migration(migrations.Migration):
    dependencies = [
        ("laws", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
