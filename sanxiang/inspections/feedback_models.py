"""扫码入企 feedback (国办发〔2024〕54号): the rating and the complaints an enterprise gives on an inspection through the
code of its 行政检查通知书. Anonymous and never shown to the inspecting unit (as 深圳“行政执法监督码管理规定” does):
only the supervisors of an agency above it read them (feedback_selectors)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.inspections.approval_models import Approval


class ComplaintCategory(models.TextChoices):
    """投诉类别."""

    CONDUCT = "conduct", _("态度作风")
    PROCEDURE = "procedure", _("程序不规范")
    REPEATED = "repeated", _("重复检查")
    DISRUPTION = "disruption", _("干扰正常经营")
    SOLICITING = "soliciting", _("索取财物")
    OTHER = "other", _("其他")


class InspectionRating(models.Model):
    """检查评价 — the enterprise's one rating of a completed inspection (1–5 stars, an optional comment)."""

    approval = models.OneToOneField(
        Approval, on_delete=models.PROTECT, related_name="rating", verbose_name=_("行政检查审批")
    )
    stars = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查评价")
        verbose_name_plural = _("检查评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.approval_id}: {self.stars}"


class InspectionComplaint(models.Model):
    """检查投诉 — a complaint about an inspection, a few at most per code (COMPLAINTS_PER_CODE)."""

    approval = models.ForeignKey(
        Approval, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("行政检查审批")
    )
    category = models.CharField(_("投诉类别"), max_length=12, choices=ComplaintCategory.choices)
    text = models.CharField(_("投诉内容"), max_length=1000)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("投诉时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查投诉")
        verbose_name_plural = _("检查投诉")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.approval_id}: {self.get_category_display()}"
