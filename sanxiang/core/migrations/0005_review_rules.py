from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.rules_data import as_rows

    Rule = apps.get_model("core", "Rule")
    for row in as_rows():
        Rule.objects.get_or_create(key=row["key"], agency_code="", defaults=row)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_seed_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
