"""The articles on jurisdiction and transfer, the 备案 of an on-the-spot penalty and the closure of a business."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.laws.seed import seed_library

    seed_library(apps.get_model("laws", "Instrument"), apps.get_model("laws", "Article"))


class Migration(migrations.Migration):
    dependencies = [("laws", "0003_more_articles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
