"""The legal-review catalogue (ReviewRule) joins the review app, on the table cases migration 0007 renamed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("cases", "0007_review_catalogue_to_review")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewRule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("agency_code", models.CharField(max_length=12, verbose_name="机关代码")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("penalty_kind", "处罚种类"),
                                    ("fine_citizen", "对公民罚款达到"),
                                    ("fine_organisation", "对法人、其他组织罚款达到"),
                                    ("confiscation", "没收金额达到"),
                                    ("hearing", "经过听证程序"),
                                    ("coercive", "采取行政强制措施"),
                                    ("referral", "移送公安机关、司法机关"),
                                    ("discretion", "超出裁量基准或说明理由偏离计算结果"),
                                    ("manual", "负责人认定重大、复杂"),
                                ],
                                max_length=20,
                                verbose_name="情形",
                            ),
                        ),
                        (
                            "value",
                            models.CharField(
                                blank=True, help_text="金额（元）或处罚种类", max_length=40, verbose_name="值"
                            ),
                        ),
                        ("description", models.CharField(max_length=200, verbose_name="说明")),
                        ("citation", models.CharField(max_length=300, verbose_name="依据")),
                    ],
                    options={
                        "verbose_name": "法制审核目录",
                        "verbose_name_plural": "法制审核目录",
                        "ordering": ["agency_code", "kind", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
