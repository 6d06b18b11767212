"""按日连续处罚 and 限产停产 are decided in cases derived from the original one; a daily penalty keeps the original
fine it multiplies (filled in for earlier rows from their amount and days)."""

import django.db.models.deletion
from django.db import migrations, models


def daily_amounts(apps, schema_editor):
    for penalty in apps.get_model("cases", "DailyPenalty").objects.filter(days__gt=0):
        penalty.daily_amount = penalty.amount / penalty.days
        penalty.save(update_fields=["daily_amount"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_challenges_and_surcharge"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="kind",
            field=models.CharField(
                choices=[
                    ("penalty", "行政处罚"),
                    ("daily_penalty", "按日连续处罚"),
                    ("production", "责令限制生产、停产整治"),
                ],
                default="penalty",
                max_length=16,
                verbose_name="案件类别",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="origin",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="derived",
                to="cases.case",
                verbose_name="原案",
            ),
        ),
        migrations.AddField(
            model_name="dailypenalty",
            name="daily_amount",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=14, verbose_name="原处罚决定罚款数额（元/日）"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(daily_amounts, migrations.RunPython.noop),
        migrations.AddField(
            model_name="productionmeasure",
            name="months",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="限制生产期限（月）"),
        ),
        migrations.AlterField(
            model_name="case",
            name="source",
            field=models.CharField(
                choices=[
                    ("inspection", "现场检查"),
                    ("complaint", "投诉举报"),
                    ("referral", "移送、交办"),
                    ("monitoring", "在线监控"),
                    ("random", "双随机抽查"),
                    ("follow_up", "复查（原案衍生）"),
                    ("other", "其他"),
                ],
                max_length=16,
                verbose_name="案件来源",
            ),
        ),
        migrations.AlterField(
            model_name="dailypenalty",
            name="case",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="daily_penalty", to="cases.case"
            ),
        ),
        migrations.AlterField(
            model_name="productionmeasure",
            name="started_on",
            field=models.DateField(blank=True, null=True, verbose_name="起始日期"),
        ),
    ]
