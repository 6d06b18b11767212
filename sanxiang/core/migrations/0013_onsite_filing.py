"""备案 of an on-the-spot penalty: filed with the agency within three (working) days of the decision."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.rules_data import seed_rules

    seed_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("core", "0012_public_notice_service")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
