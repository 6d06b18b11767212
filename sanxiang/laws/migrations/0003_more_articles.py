"""The articles the derived cases, 复议 and 诉讼 records, 公告送达 and the decision documents cite."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.laws.seed import seed_library

    seed_library(apps.get_model("laws", "Instrument"), apps.get_model("laws", "Article"))


class Migration(migrations.Migration):
    dependencies = [("laws", "0002_seed_library")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
