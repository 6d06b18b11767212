"""The powers catalogue (执法事项库 / 权责清单): what an agency may do by law, published before it acts (seed,
事前公开 item 2: 执法主体、职责、权限、依据)."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency


class PowerKind(models.TextChoices):
    """The kinds of administrative enforcement power the seed names (行政处罚、行政强制、行政检查、行政许可)."""

    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    LICENSING = "licensing", _("行政许可")


class PowerQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def in_force(self, on: dt.date | None = None):
        """Published by `on` (today) and not withdrawn: what the portal lists and new records may name."""
        return self.filter(published_on__lte=on or timezone.localdate(), withdrawn_on__isnull=True)


class Power(models.Model):
    """执法事项 — one enforcement power of an agency: its code in the catalogue, kind, name, legal basis (cited
    articles) and the unit inside the agency that exercises it. Withdrawn, never deleted: a case, inspection or
    licence keeps the power it was exercised under."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="powers", verbose_name=_("实施机关"))
    code = models.CharField(_("事项编码"), max_length=40)
    kind = models.CharField(_("事项类型"), max_length=16, choices=PowerKind.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    basis = models.TextField(
        _("设定和实施依据"), help_text=_("引用法律法规的条款，如“《中华人民共和国大气污染防治法》第九十九条”")
    )
    unit = models.CharField(_("承办机构"), max_length=100, blank=True)
    published_on = models.DateField(_("公布日期"))
    withdrawn_on = models.DateField(_("取消日期"), null=True, blank=True)

    objects = PowerQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")
        ordering = ["agency", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="power_code_per_agency")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
