from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency


class AnnualReportQuerySet(models.QuerySet):
    def current(self) -> AnnualReportQuerySet:
        """The edition in force of each agency and year (not superseded)."""
        return self.exclude(status=AnnualReport.Status.SUPERSEDED)


class AnnualReport(models.Model):
    """行政执法统计年报 — one agency's figures for one ended year, frozen when generated, with the narrative its head
    edits; approved by the head and published on the portal by 31 January. A report whose data changed after it was
    generated is never approved or published: a new edition replaces it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        APPROVED = "approved", _("已审批")
        PUBLISHED = "published", _("已公开")
        SUPERSEDED = "superseded", _("已被新版本取代")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("机关"))
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(_("数据"), default=dict)
    data_sha256 = models.CharField(_("数据哈希（SHA-256）"), max_length=64)
    definitions_version = models.PositiveSmallIntegerField(_("统计口径版本"))
    narrative = models.TextField(_("总体情况说明"), blank=True)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("生成人")
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    # The PDF of a published edition, made once by the background worker (reports.rendering); a rendering of the
    # frozen figures, not part of them, so it is not in the ledger's facts.
    pdf_sha256 = models.CharField(_("PDF 哈希（SHA-256）"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政执法统计年报")
        verbose_name_plural = _("行政执法统计年报")
        ordering = ["-year", "agency__path", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "edition"], name="report_edition_once"),
            # One current edition per agency and year: a new one supersedes the last in the same transaction.
            models.UniqueConstraint(
                fields=["agency", "year"], condition=~models.Q(status="superseded"), name="report_one_current"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "published"]) | models.Q(approved_at__isnull=False),
                name="report_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return _("%(agency)s %(year)d年度行政执法统计年报（第%(edition)d版）") % {
            "agency": self.agency.name,
            "year": self.year,
            "edition": self.edition,
        }

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.SUPERSEDED
