"""The reading that a penalty decided by the simple procedure is 轻微 credit information."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.rules_data import seed_rules

    seed_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("core", "0009_individual_business_reading")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
