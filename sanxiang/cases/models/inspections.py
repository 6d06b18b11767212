from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency, Certificate
from sanxiang.cases.models.parties import Party


class SignatureStatus(models.TextChoices):
    SIGNED = "signed", _("当事人已签名")
    REFUSED = "refused", _("当事人拒绝签名")
    ABSENT = "absent", _("当事人不在场，见证人签名")


class EmergencyGround(models.TextChoices):
    """Why an inspection went ahead before its approval (紧急检查, 国办发〔2024〕54号: approved afterwards)."""

    COMPLAINT = "complaint", _("群众投诉举报反映的紧急情况")
    ACCIDENT = "accident", _("生产安全事故")
    INCIDENT = "incident", _("突发环境事件")


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Inspection(models.Model):
    """现场检查 — an on-site inspection by at least two certified officers, recorded in a 现场检查（勘察）笔录."""

    class Status(models.TextChoices):
        OPEN = "open", _("检查中")
        COMPLETED = "completed", _("已完成")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("机关"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("检查对象"))
    place = models.CharField(_("检查地点"), max_length=200)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="InspectionOfficer", related_name="inspections", verbose_name=_("执法人员")
    )
    findings = models.TextField(_("检查情况"), blank=True)
    violation_found = models.BooleanField(_("发现涉嫌违法行为"), default=False)
    signature = models.CharField(_("签名情况"), max_length=16, choices=SignatureStatus.choices, blank=True)
    signature_note = models.CharField(_("拒签或见证情况"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    emergency_ground = models.CharField(
        _("紧急事由"), max_length=12, choices=EmergencyGround.choices, blank=True, help_text=_("未经事先审批的紧急检查")
    )
    emergency_note = models.CharField(_("紧急情况说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场检查")
        verbose_name_plural = _("现场检查")
        ordering = ["-started_at"]
        # newest first without sorting a province's millions: the inspection list, a report's drill-down
        indexes = [models.Index(fields=["-started_at", "-id"], name="inspection_recent")]

    def __str__(self) -> str:
        return f"{self.party} {timezone.localtime(self.started_at):%Y-%m-%d}"  # the day in Beijing, not UTC


class InspectionOfficer(models.Model):
    """An officer present at an inspection, with the certificate shown (《行政处罚法》第五十五条)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "officer"], name="officer_once_per_inspection")]
