from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency


class NoticeQuerySet(models.QuerySet):
    def overdue(self, today) -> "NoticeQuerySet":
        """Notices still waiting for the agency's 整改情况 past their due date (a returned one waits again)."""
        return self.filter(status__in=Notice.AWAITING_RESPONSE, due_on__lt=today)


class Notice(models.Model):
    """监督意见书 / 整改通知书 — what a supervisor (执法监督人员) of an agency above sends an agency it supervises:
    what was found, what is required, by when; the agency's head signs for it and reports its 整改情况, which the
    supervisor accepts or returns."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("行政执法监督意见书")
        RECTIFICATION = "rectification", _("行政执法整改通知书")

    class Status(models.TextChoices):
        ISSUED = "issued", _("已下达")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        RESPONDED = "responded", _("已报送整改情况")
        RETURNED = "returned", _("已退回重新整改")
        ACCEPTED = "accepted", _("整改已认可")
        CLOSED = "closed", _("已办结")

    AWAITING_RESPONSE = (Status.ISSUED, Status.ACKNOWLEDGED, Status.RETURNED)

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("被监督机关")
    )
    issuing_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("监督机关"))
    kind = models.CharField(_("文书类别"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("事由"), max_length=200)
    findings = models.TextField(_("发现的问题"))
    requirement = models.TextField(_("监督意见和整改要求"))
    due_on = models.DateField(_("整改期限"))
    due_provisional = models.BooleanField(default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("下达人")
    )
    issued_at = models.DateTimeField(_("下达时间"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签收人"),
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    response = models.TextField(_("整改情况"), blank=True)
    evidence_note = models.CharField(_("佐证材料说明"), max_length=500, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送人"),
    )
    responded_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    # The day the first 整改情况 came in: whether the agency answered in time and how long it took (statistics).
    first_responded_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    returns = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审查人"),
    )
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.CharField(_("办结说明"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政执法监督文书")
        verbose_name_plural = _("行政执法监督文书")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="notice_agency_status"),
            models.Index(fields=["status", "due_on"], name="notice_status_due"),
        ]
        constraints = [
            # a supervisor supervises the agencies below, never its own
            models.CheckConstraint(
                condition=~models.Q(agency=models.F("issuing_agency")), name="notice_not_own_agency"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=("responded", "accepted", "closed"))
                | (~models.Q(response="") & models.Q(first_responded_on__isnull=False)),
                name="notice_response_written",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""), name="notice_return_explained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    def is_overdue(self, today) -> bool:
        """Past its due date without a 整改情况 (or with one returned and not reported again)."""
        return self.status in self.AWAITING_RESPONSE and today > self.due_on

    @property
    def responded_in_time(self) -> bool | None:
        """Whether the first 整改情况 came by the due date (None before any)."""
        if self.first_responded_on is None:
            return None
        return self.first_responded_on <= self.due_on


class NoticeRecord(models.Model):
    """A record a notice is about: one of the flags the supervision desk showed (its kind and id), with the words
    the desk used for it, so the notice still names it if the record's page changes."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("类别"), max_length=32)
    record_id = models.PositiveBigIntegerField(_("记录编号"))
    label = models.CharField(_("记录"), max_length=300)

    class Meta:
        verbose_name = _("监督文书所涉记录")
        verbose_name_plural = _("监督文书所涉记录")
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "kind", "record_id"], name="notice_record_once")]

    def __str__(self) -> str:
        return self.label
