"""《中华人民共和国行政许可法》 (2019) and the articles the licensing app cites."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.laws.seed import seed_library

    seed_library(apps.get_model("laws", "Instrument"), apps.get_model("laws", "Article"))


class Migration(migrations.Migration):
    dependencies = [("laws", "0005_reporter_secrecy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
