"""Pre-disclosure (事前公开) joins this app, on the tables publicity migration 0007 renamed: the models, their index
and constraints enter this app's state; the database is not touched."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agencies", "0003_reviewer_post"),
        ("publicity", "0007_disclosures_to_own_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Disclosure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "category",
                            models.CharField(
                                choices=[
                                    ("norms", "法律、法规、规章、标准和裁量基准"),
                                    ("organisation", "机构设置、工作职责、权责清单、执法主体资格和执法人员"),
                                    ("procedures", "行政许可办事指南和行政处罚、行政强制流程"),
                                    ("supervision", "监督方式和救济渠道"),
                                    ("random", "“双随机”抽查事项清单和抽查工作细则"),
                                    ("other", "其他应当公开的信息"),
                                ],
                                max_length=16,
                                verbose_name="类别",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                        (
                            "status",
                            models.CharField(
                                choices=[("unpublished", "未发布"), ("published", "已发布"), ("withdrawn", "已撤下")],
                                default="unpublished",
                                max_length=12,
                                verbose_name="状态",
                            ),
                        ),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤下时间")),
                        ("withdrawal_reason", models.CharField(blank=True, max_length=300, verbose_name="撤下原因")),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="disclosures",
                                to="agencies.agency",
                                verbose_name="机关",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "事前公开事项",
                        "verbose_name_plural": "事前公开事项",
                        "ordering": ["agency", "category", "order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="DisclosureVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.PositiveSmallIntegerField(verbose_name="版本")),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("body", models.TextField(verbose_name="内容")),
                        ("note", models.CharField(blank=True, max_length=300, verbose_name="修改说明")),
                        ("collected_at", models.DateTimeField(verbose_name="采集时间")),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="审核时间")),
                        ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                        ("ledger_index", models.BigIntegerField(blank=True, null=True, verbose_name="账本序号")),
                        (
                            "collected_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="采集人",
                            ),
                        ),
                        (
                            "disclosure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="versions",
                                to="disclosures.disclosure",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="发布人",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="审核人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "事前公开版本",
                        "verbose_name_plural": "事前公开版本",
                        "ordering": ["disclosure", "number"],
                    },
                ),
                migrations.AddIndex(
                    model_name="disclosure",
                    index=models.Index(fields=["agency", "status"], name="disclosure_agency_status"),
                ),
                migrations.AddConstraint(
                    model_name="disclosure",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "withdrawn"), _negated=True),
                            models.Q(
                                ("withdrawn_at__isnull", False), models.Q(("withdrawal_reason", ""), _negated=True)
                            ),
                            _connector="OR",
                        ),
                        name="disclosure_withdrawal_explained",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="disclosureversion",
                    constraint=models.UniqueConstraint(fields=("disclosure", "number"), name="disclosure_version_once"),
                ),
                migrations.AddConstraint(
                    model_name="disclosureversion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("published_at__isnull", True)),
                        fields=("disclosure",),
                        name="disclosure_one_pending_version",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="disclosureversion",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("reviewed_by__isnull", True),
                            models.Q(("reviewed_by", models.F("collected_by")), _negated=True),
                            _connector="OR",
                        ),
                        name="disclosure_reviewer_is_not_collector",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="disclosureversion",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("published_at__isnull", True), ("reviewed_at__isnull", False), _connector="OR"
                        ),
                        name="disclosure_published_after_review",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
