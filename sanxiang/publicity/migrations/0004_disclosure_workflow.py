"""Pre-disclosure items (事前公开) get their public status and withdrawal, each version its own title and the
index of its public ledger entry; the database keeps the collect → review → publish duties apart."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0003_pdf"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="status",
            field=models.CharField(
                choices=[("unpublished", "未发布"), ("published", "已发布"), ("withdrawn", "已撤下")],
                default="unpublished",
                max_length=12,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="撤下时间"),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="withdrawal_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="撤下原因"),
        ),
        migrations.AddField(
            model_name="disclosureversion",
            name="title",
            field=models.CharField(default="", max_length=200, verbose_name="标题"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="disclosureversion",
            name="ledger_index",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="账本序号"),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["agency", "status"], name="disclosure_agency_status"),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="disclosure_withdrawal_explained",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosureversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(published_at__isnull=True),
                fields=("disclosure",),
                name="disclosure_one_pending_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosureversion",
            constraint=models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True) | ~models.Q(reviewed_by=models.F("collected_by")),
                name="disclosure_reviewer_is_not_collector",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosureversion",
            constraint=models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(reviewed_at__isnull=False),
                name="disclosure_published_after_review",
            ),
        ),
    ]
