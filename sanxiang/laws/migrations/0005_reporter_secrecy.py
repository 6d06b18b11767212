"""The article on reporting pollution and keeping the reporter's identity secret (环境保护法 第五十七条), which the
inspection tasks cite."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.laws.seed import seed_library

    seed_library(apps.get_model("laws", "Instrument"), apps.get_model("laws", "Article"))


class Migration(migrations.Migration):
    dependencies = [("laws", "0004_jurisdiction_filing_closure")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
