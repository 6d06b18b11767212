"""Simple-procedure penalties and the coercive and related measures of a case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models.case import MONEY, Case
from sanxiang.cases.models.parties import Party


class OnSitePenaltyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class OnSitePenalty(models.Model):
    """当场行政处罚（简易程序）— a warning or a small fine decided on the spot (《行政处罚法》第五十一条、第五十二条),
    then 备案: filed with the agency by its officers within the period (`filing_due`) and acknowledged by the head."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("警告")
        FINE = "fine", _("罚款")

    class Status(models.TextChoices):
        DECIDED = "decided", _("已决定，待报备案")
        FILED = "filed", _("已报备案，待负责人确认")
        ACKNOWLEDGED = "acknowledged", _("已备案")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="onsite_penalties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="onsite_penalties")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"))
    place = models.CharField(_("地点"), max_length=200)
    facts = models.TextField(_("违法事实"))
    basis = models.CharField(_("处罚依据"), max_length=300)
    kind = models.CharField(_("处罚种类"), max_length=10, choices=Kind.choices)
    fine = models.DecimalField(_("罚款（元）"), null=True, blank=True, **MONEY)
    number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    status = models.CharField(_("备案状态"), max_length=12, choices=Status.choices, default=Status.DECIDED)
    filing_due = models.DateField(_("报备案期限"), null=True, blank=True)
    filing_due_provisional = models.BooleanField(default=False)
    filed_on = models.DateField(_("报备案日期"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filing_late_reason = models.TextField(_("逾期报备案的理由"), blank=True)
    acknowledged_on = models.DateField(_("负责人确认日期"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sound = models.BooleanField(_("备案审查无异议"), null=True)
    acknowledgement = models.TextField(_("负责人意见"), blank=True)

    objects = OnSitePenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("当场行政处罚")
        verbose_name_plural = _("当场行政处罚")
        ordering = ["-decided_at"]

    @property
    def filed_late(self) -> bool:
        return self.filed_on is not None and self.filing_due is not None and self.filed_on > self.filing_due


class Seizure(models.Model):
    """查封、扣押 — at most 30 days, extendable once by 30 with the head's approval (《行政强制法》第二十五条).

    Proposed in a case of its own (derived from the case that found the violation), legally reviewed when the
    catalogue says so and approved by the head before it is carried out; or, in an emergency, carried out first
    (`started_at`) and then reviewed and approved within 24 hours, or lifted (《行政强制法》第十九条)."""

    class Kind(models.TextChoices):
        SEAL = "seal", _("查封")
        DETAIN = "detain", _("扣押")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="seizures")
    kind = models.CharField(_("措施"), max_length=10, choices=Kind.choices)
    items = models.TextField(_("查封扣押的设施、设备、物品"))
    place = models.CharField(_("地点"), max_length=200)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("批准的负责人"),
    )
    emergency = models.BooleanField(_("情况紧急，当场实施"), default=False)
    started_at = models.DateTimeField(_("当场实施时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("补办批准时间"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("期限（日）"), default=30)
    started_on = models.DateField(_("实施日期"), null=True, blank=True)
    ends_on = models.DateField(_("期限届满日"), null=True, blank=True)
    extended = models.BooleanField(_("已延长"), default=False)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    released_on = models.DateField(_("解除日期"), null=True, blank=True)
    release_reason = models.TextField(_("解除理由"), blank=True)

    class Meta:
        verbose_name = _("查封扣押")
        verbose_name_plural = _("查封扣押")
        ordering = ["-started_on", "-id"]


class CorrectionOrder(models.Model):
    """责令改正违法行为决定书 — the start of the 按日连续处罚 clock (令第28号 arts 8, 10)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="correction_orders")
    content = models.TextField(_("责令改正内容"))
    served_on = models.DateField(_("送达日期"))
    correct_by = models.DateField(_("改正期限"))
    number = models.CharField(_("文号"), max_length=60, blank=True)

    class Meta:
        ordering = ["served_on", "id"]


class DailyPenalty(models.Model):
    """按日连续处罚 — the original fine times the days from the order's service to the re-inspection (令第28号),
    decided in a case of its own (`case`, derived from the original case) through the ordinary procedure."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="daily_penalty")
    order = models.ForeignKey(CorrectionOrder, on_delete=models.PROTECT, related_name="daily_penalties")
    reinspected_on = models.DateField(_("复查日期"))
    daily_amount = models.DecimalField(_("原处罚决定罚款数额（元/日）"), **MONEY)
    days = models.PositiveIntegerField(_("计罚日数"))
    amount = models.DecimalField(_("罚款（元）"), **MONEY)
    number = models.CharField(_("文号"), max_length=60, blank=True)

    class Meta:
        ordering = ["reinspected_on", "id"]


class ProductionMeasure(models.Model):
    """限制生产（≤ 3 months, + 3 once）or 停产整治 (until released) — 《实施限制生产、停产整治办法》. Proposed when its case
    (derived from the case that found the violation) is opened; in force from the decision (`started_on`)."""

    class Kind(models.TextChoices):
        LIMIT = "limit", _("限制生产")
        STOP = "stop", _("停产整治")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="production_measures")
    kind = models.CharField(_("措施"), max_length=10, choices=Kind.choices)
    months = models.PositiveSmallIntegerField(_("限制生产期限（月）"), null=True, blank=True)
    started_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("期限届满日"), null=True, blank=True)
    extended = models.BooleanField(_("已延长"), default=False)
    released_on = models.DateField(_("解除日期"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]


class Closure(models.Model):
    """责令停业、关闭 — proposed by the agency in a case of its own (derived from the case that found the violation) and
    approved by the people's government with that power, whose approval (`government`, `approved_on`,
    `approval_number`) the decision needs (《环境保护法》第六十条; 《环境保护主管部门实施限制生产、停产整治办法》第八条)."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("责令停业")
        CLOSE = "close", _("责令关闭")

    class Ground(models.TextChoices):
        """The serious circumstances 令第30号 art 8 names (paraphrased)."""

        REPEATED = "repeated", _("两年内因排放重金属等有毒物质超标受过两次以上行政处罚，又实施同类行为")
        DEFIED = "defied", _("被责令停产整治后拒不停产或者擅自恢复生产")
        RELAPSED = "relapsed", _("停产整治决定解除后又实施同一违法行为")
        OTHER = "other", _("法律法规规定的其他严重环境违法情节")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="closure")
    kind = models.CharField(_("措施"), max_length=10, choices=Kind.choices)
    ground = models.CharField(_("适用情形"), max_length=10, choices=Ground.choices)
    government = models.CharField(_("批准机关（有批准权的人民政府）"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approval_number = models.CharField(_("批准文号"), max_length=60, blank=True)
    started_on = models.DateField(_("决定日期"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("责令停业、关闭")
        verbose_name_plural = _("责令停业、关闭")
