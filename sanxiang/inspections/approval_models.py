"""行政检查审批 and what hangs on it (国办发〔2024〕54号; 司法部“行政检查文书基本格式文本（试行）”): the approval a
head gives before an ordinary inspection, or afterwards for an emergency one; the items it is made on and the
yearly caps it is counted against; the 综合查一次 several agencies join; the 扫码入企 code the enterprise scans."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Inspection, Party


class ApprovalSource(models.TextChoices):
    """任务来源 — where the inspection comes from, as the 审批表 states it."""

    ROUTINE = "routine", _("日常监管检查")
    RANDOM = "random", _("双随机抽查")
    COMPLAINT = "complaint", _("投诉举报")
    ASSIGNED = "assigned", _("上级交办")
    MONITORING = "monitoring", _("监测线索")
    FOLLOW_UP = "follow_up", _("整改复查")
    EMERGENCY = "emergency", _("紧急情况")


# Inspections on a problem someone reported or found are not limited by the yearly caps, which restrain routine
# inspection (国办发〔2024〕54号, read as: 投诉举报、转办交办、数据监测等发现问题线索的检查不受频次上限限制 [U]); such a
# source rests on the task (检查任务) it came from, an emergency on its ground.
ON_A_TASK = (ApprovalSource.COMPLAINT, ApprovalSource.ASSIGNED, ApprovalSource.MONITORING)
CAP_EXEMPT = (*ON_A_TASK, ApprovalSource.EMERGENCY)
CAP_EXEMPT_BASIS = "国办发〔2024〕54号（对投诉举报、转办交办、数据监测等发现的问题线索开展检查，不受检查频次上限限制）"


class ApprovalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def counted(self):
        """The approvals an inspection is (or will be) made on: what the yearly caps count."""
        return self.filter(status__in=Approval.COUNTED)

    def capped(self):
        """Those the yearly caps limit (not on a complaint, assignment, monitoring clue or emergency)."""
        return self.counted().exclude(source__in=CAP_EXEMPT)


class JointInspection(models.Model):
    """综合查一次 — one visit to an enterprise in which several agencies inspect together, proposed when their
    inspections of it fall within one window; each agency joins its own approval."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="joint_inspections")
    planned_on = models.DateField(_("联合检查日期"))
    lead = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头机关"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("综合查一次")
        verbose_name_plural = _("综合查一次")

    def __str__(self) -> str:
        return f"{self.party} {self.planned_on}"


class Approval(models.Model):
    """行政检查审批 — an ordinary inspection's approval by a head before it (with its 通知书 and 扫码入企 code), or
    an emergency inspection's approval afterwards, within the rule's time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准，待检查")
        REFUSED = "refused", _("不予批准")
        WITHDRAWN = "withdrawn", _("已撤回")
        INSPECTED = "inspected", _("已检查")
        AWAITING = "awaiting", _("紧急检查，待补办审批")
        RATIFIED = "ratified", _("紧急检查，已补办审批")
        UNRATIFIED = "unratified", _("紧急检查，补办审批未获批准")

    COUNTED = (Status.APPROVED, Status.INSPECTED, Status.AWAITING, Status.RATIFIED, Status.UNRATIFIED)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("机关"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("检查对象"))
    items = models.ManyToManyField("inspections.InspectionItem", related_name="approvals", verbose_name=_("检查事项"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("检查人员"))
    source = models.CharField(_("任务来源"), max_length=12, choices=ApprovalSource.choices)
    # the task (complaint, assignment, monitoring clue) that a source exempt from the caps rests on
    task = models.ForeignKey(
        "inspections.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("检查任务"),
    )
    reason = models.CharField(_("检查事由"), max_length=300)
    planned_from = models.DateField(_("检查期间自"))
    planned_to = models.DateField(_("检查期间至"))
    year = models.PositiveSmallIntegerField(_("计数年度"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    # The items whose yearly cap this inspection exceeds ([{item, code, tier, count, cap}]) and the head's reason.
    exceeds_cap = models.BooleanField(_("超出年度检查频次上限"), default=False)
    over_cap = models.JSONField(_("超出上限的检查事项"), default=list, blank=True)
    cap_reason = models.CharField(_("超频次检查理由"), max_length=300, blank=True)
    # An emergency inspection's approval is due by this day (the rule's working days after it began).
    ratify_due_on = models.DateField(_("补办审批期限"), null=True, blank=True)
    joint = models.ForeignKey(
        JointInspection, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    # 扫码入企: the code the enterprise scans (portal), set once the inspection is registered
    code = models.CharField(_("检查码"), max_length=24, unique=True, null=True, blank=True)
    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="approval"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政检查审批")
        verbose_name_plural = _("行政检查审批")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["party", "year"]), models.Index(fields=["agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_to__gte=models.F("planned_from")), name="approval_period_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(exceeds_cap=False)
                | ~models.Q(cap_reason="")
                | models.Q(status__in=["requested", "refused", "awaiting", "unratified"]),
                name="approval_over_cap_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.planned_from}"

    @property
    def emergency(self) -> bool:
        return self.source == ApprovalSource.EMERGENCY


class PartyTally(models.Model):
    """How often an enterprise was inspected in a year, kept with each approval counted: the supervision view of
    caps reads one row per enterprise instead of counting every approval (docs/architecture.md)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    total = models.PositiveIntegerField(default=0)
    over_cap = models.PositiveIntegerField(default=0)
    # {agency code: inspections}
    agencies = models.JSONField(default=dict)
    agency_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["party", "year"], name="party_tally_once_a_year")]
        indexes = [models.Index(fields=["year", "-over_cap", "-total"], name="party_tally_busiest")]
