from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency


class DisclosureQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Disclosure(models.Model):
    """事前公开 — one item an agency publishes before enforcement (黑环发〔2019〕112号 三(一)1), in versions.

    `title` is the working title of the latest text collected; the portal shows each published version's own title,
    so nothing collected but not yet published reaches it.
    """

    # Its ledger entries were first written while pre-disclosure lived in the publicity app.
    ledger_subject = "publicity.disclosure"

    class Category(models.TextChoices):
        NORMS = "norms", _("法律、法规、规章、标准和裁量基准")
        ORGANISATION = "organisation", _("机构设置、工作职责、权责清单、执法主体资格和执法人员")
        PROCEDURES = "procedures", _("行政许可办事指南和行政处罚、行政强制流程")
        SUPERVISION = "supervision", _("监督方式和救济渠道")
        RANDOM = "random", _("“双随机”抽查事项清单和抽查工作细则")
        OTHER = "other", _("其他应当公开的信息")

    class Status(models.TextChoices):
        UNPUBLISHED = "unpublished", _("未发布")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤下")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("机关"))
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.UNPUBLISHED)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("撤下原因"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("事前公开事项")
        verbose_name_plural = _("事前公开事项")
        ordering = ["agency", "category", "order", "id"]
        indexes = [models.Index(fields=["agency", "status"], name="disclosure_agency_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="disclosure_withdrawal_explained",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DisclosureVersion(models.Model):
    """A text of a pre-disclosure item, with who collected, reviewed and published it (谁执法谁公示).

    At most one version of an item waits to be published; a published version is never changed and stays in the
    item's public history.
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("采集人")
    )
    collected_at = models.DateTimeField(_("采集时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("事前公开版本")
        verbose_name_plural = _("事前公开版本")
        ordering = ["disclosure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "number"], name="disclosure_version_once"),
            models.UniqueConstraint(
                fields=["disclosure"],
                condition=models.Q(published_at__isnull=True),
                name="disclosure_one_pending_version",
            ),
            # 采集、审核、发布职责 kept apart (黑环发〔2019〕112号 三(一)): nobody reviews their own text, and
            # nothing is published unreviewed.
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True) | ~models.Q(reviewed_by=models.F("collected_by")),
                name="disclosure_reviewer_is_not_collector",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(reviewed_at__isnull=False),
                name="disclosure_published_after_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} v{self.number}"
