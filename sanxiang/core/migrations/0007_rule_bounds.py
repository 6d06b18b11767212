"""Each national rule may carry the range the law leaves an agency's own value (rules_data.BOUNDS)."""

from decimal import Decimal

from django.db import migrations, models


def bound(apps, schema_editor):
    from sanxiang.core.rules_data import BOUNDS

    Rule = apps.get_model("core", "Rule")
    for key, (floor, ceiling) in BOUNDS.items():
        Rule.objects.filter(key=key, agency_code="").update(
            floor=None if floor is None else Decimal(floor), ceiling=None if ceiling is None else Decimal(ceiling)
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_publication_rules")]

    operations = [
        migrations.AddField(
            model_name="rule",
            name="floor",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="法定下限"),
        ),
        migrations.AddField(
            model_name="rule",
            name="ceiling",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="法定上限"),
        ),
        migrations.RunPython(bound, migrations.RunPython.noop),
    ]
