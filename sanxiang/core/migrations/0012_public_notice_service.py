"""公告送达: service deemed made thirty days after the notice is issued."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.rules_data import seed_rules

    seed_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("core", "0011_rest_day_readings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
