"""Each clock states whether its last day moves off a rest day (the limitation and display periods do not), and
the decision period how suspended days are counted."""

from django.db import migrations, models


def restate(apps, schema_editor):
    from sanxiang.core.rules_data import KEPT_ON_REST_DAY, mark_rest_day_readings, refresh_texts

    rule_model = apps.get_model("core", "Rule")
    refresh_texts(rule_model, KEPT_ON_REST_DAY | {"decision.days"})
    mark_rest_day_readings(rule_model)


class Migration(migrations.Migration):
    dependencies = [("core", "0010_credit_simple_procedure")]

    operations = [
        migrations.AddField(
            model_name="rule",
            name="moves_off_rest_day",
            field=models.BooleanField(default=True, verbose_name="届满日遇休息日顺延"),
        ),
        migrations.RunPython(restate, migrations.RunPython.noop),
    ]
