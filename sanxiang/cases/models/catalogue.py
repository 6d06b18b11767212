"""Agency data behind the gates: the violation catalogue with statutory ranges and the discretion factors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.powers.models import Power


class PenaltyKind(models.TextChoices):
    """行政处罚的种类（《行政处罚法》第九条）."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    DOWNGRADE = "downgrade", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_OPERATION = "restrict_operation", _("限制开展生产经营活动")
    SUSPEND_OPERATION = "suspend_operation", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    RESTRICT_PRACTICE = "restrict_practice", _("限制从业")
    BAN_APPLICATION = "ban_application", _("一定时期内不得申请行政许可")


def describe_penalty(kinds, fine, confiscation) -> str:
    """A penalty in words, e.g. "罚款人民币 150,000.00 元；责令停产停业"."""
    parts = []
    for kind in kinds:
        label = str(PenaltyKind(kind).label)
        if kind == PenaltyKind.FINE and fine is not None:
            label = f"{label}人民币 {fine:,.2f} 元"
        if kind in (PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY) and confiscation is not None:
            label = f"{label}（{confiscation:,.2f} 元）"
        parts.append(label)
    return "；".join(parts) or str(_("不予行政处罚"))


# Penalties that carry the right to a hearing whatever the amount: 《行政处罚法》第六十三条;
# 《生态环境行政处罚办法》第四十六条 (一定时期内不得申请行政许可, 责令停产整治, 禁止从业).
HEARING_KINDS = frozenset(
    {
        PenaltyKind.DOWNGRADE,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.SUSPEND_OPERATION,
        PenaltyKind.CLOSE,
        PenaltyKind.RESTRICT_PRACTICE,
        PenaltyKind.BAN_APPLICATION,
        PenaltyKind.RESTRICT_OPERATION,
    }
)
HEARING_KINDS_CITATION = "《行政处罚法》第六十三条；《生态环境行政处罚办法》第四十六条"


class Violation(models.Model):
    """违法行为 — one entry of the violation catalogue, with its legal basis and statutory fine range.

    The catalogue is the installation's, a power (执法事项) an agency's: so each agency hangs the shared violations
    on its own penalty powers (`powers`, set from the power's side by its keepers), and a case reaches the power it
    is exercised under through its violation and its agency.
    """

    class FineBasis(models.TextChoices):
        RANGE = "range", _("定额幅度")
        MULTIPLE = "multiple", _("按基数倍数")
        NONE = "none", _("不处罚款")

    code = models.CharField(_("编号"), max_length=20, unique=True)
    name = models.CharField(_("违法行为"), max_length=200)
    basis = models.CharField(_("处罚依据"), max_length=200)
    penalty_text = models.CharField(_("法定处罚"), max_length=300)
    fine_basis = models.CharField(_("罚款方式"), max_length=10, choices=FineBasis.choices, default=FineBasis.RANGE)
    fine_min = models.DecimalField(_("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_min = models.DecimalField(_("倍数下限"), max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField(_("倍数上限"), max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_of = models.CharField(_("计算基数"), max_length=40, blank=True, help_text=_("如“总投资额”“处置费用”"))
    start_percent = models.DecimalField(_("裁量起点（%）"), max_digits=5, decimal_places=2, default=10)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    powers = models.ManyToManyField(Power, blank=True, related_name="violations", verbose_name=_("执法事项"))

    class Meta:
        verbose_name = _("违法行为目录")
        verbose_name_plural = _("违法行为目录")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DiscretionFactor(models.Model):
    """裁量因素 — a factor with graded weights (权重累加模式); for one violation, or for all (violation empty)."""

    agency_code = models.CharField(_("机关代码"), max_length=12, blank=True)
    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, null=True, blank=True, related_name="factors")
    name = models.CharField(_("因素"), max_length=100)
    levels = models.JSONField(
        _("情节与权重"), help_text=_('如 [{"label": "初次违法", "weight": 0}, {"label": "一年内再次", "weight": 10}]')
    )
    order = models.PositiveSmallIntegerField(default=0)
    citation = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("裁量因素")
        verbose_name_plural = _("裁量因素")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
