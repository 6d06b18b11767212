"""The inspection items (检查事项清单) an agency publishes and inspects on — the seed's 事前公开 item 5 with the
双随机 working rules (抽查工作细则), and 国办发〔2024〕54号: no inspection on an item not published."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Tier

# 双随机 plans and draws, and the approvals of inspections, in their own modules, are the app's models too.
from sanxiang.inspections.approval_models import Approval, JointInspection, PartyTally  # noqa: F401
from sanxiang.inspections.feedback_models import InspectionComplaint, InspectionRating  # noqa: F401
from sanxiang.inspections.plan_models import Draw, DrawTarget, Plan, PlanCommitment, Recusal, Result  # noqa: F401

# 检查任务, in their own module too.
from sanxiang.inspections.task_models import Task, TaskReporter  # noqa: F401
from sanxiang.powers.models import Power


class Method(models.TextChoices):
    ON_SITE = "on_site", _("现场检查")
    OFF_SITE = "off_site", _("非现场检查")
    DOCUMENTS = "documents", _("书面检查")


class InspectionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def in_force(self, on: dt.date | None = None):
        """Published by `on` (today) and not withdrawn: what the portal lists and an inspection may be made on."""
        return self.filter(published_on__lte=on or timezone.localdate(), withdrawn_on__isnull=True)


class InspectionItem(models.Model):
    """检查事项 — what an agency inspects, on which basis, of whom, how, and how often per tier of enterprise."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="inspection_items", verbose_name=_("实施机关")
    )
    power = models.ForeignKey(
        Power, on_delete=models.PROTECT, related_name="inspection_items", verbose_name=_("执法事项")
    )
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("检查事项"), max_length=200)
    basis = models.TextField(_("检查依据"))
    subject = models.CharField(_("检查对象"), max_length=200)
    method = models.CharField(_("检查方式"), max_length=12, choices=Method.choices, default=Method.ON_SITE)
    random = models.BooleanField(_("纳入双随机抽查"), default=True)
    published_on = models.DateField(_("公布日期"))
    withdrawn_on = models.DateField(_("取消日期"), null=True, blank=True)

    objects = InspectionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["agency", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="inspection_item_code_per_agency")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemFrequency(models.Model):
    """抽查比例和频次 — for one tier of enterprise, the share drawn each year and the most inspections a year on
    this item (the yearly cap of 国办发〔2024〕54号, published by each area), with the rule's citation."""

    item = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="frequencies")
    tier = models.CharField(_("分级分类"), max_length=10, choices=Tier.choices)
    draw_percent = models.DecimalField(_("年度抽查比例（%）"), max_digits=5, decimal_places=2)
    yearly_cap = models.PositiveSmallIntegerField(_("每年检查次数上限"))
    citation = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("抽查比例和频次")
        verbose_name_plural = _("抽查比例和频次")
        constraints = [
            models.UniqueConstraint(fields=["item", "tier"], name="item_frequency_per_tier"),
            models.CheckConstraint(
                condition=models.Q(draw_percent__gte=0, draw_percent__lte=100), name="item_frequency_percent"
            ),
            models.CheckConstraint(condition=models.Q(yearly_cap__gte=1), name="item_frequency_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.draw_percent}% / {self.yearly_cap}"


class InspectionRules(models.Model):
    """抽查工作细则 — an agency's working rules for 双随机 spot checks (how targets and inspectors are drawn, the
    shares, recusal, the publication of results), published beside its inspection items as the seed's 事前公开
    item 5. One text an agency adopts and amends; each text it has held stays in the ledger as a digest."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="inspection_rules", verbose_name=_("机关")
    )
    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("如 哈环发〔2025〕12号"))
    adopted_on = models.DateField(_("印发日期"))
    text = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("抽查工作细则")
        verbose_name_plural = _("抽查工作细则")

    def __str__(self) -> str:
        return self.title
