"""The PDF of a published annual report, laid out as provincial 年报 templates are: the title, the narrative (总体情况
说明), one table per section, then the edition, the approval date and the SHA-256 of the data that the public ledger
entry of its publication carries. Made once per edition by the background worker (documents.pdfs): a published
edition never changes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from sanxiang.documents.builder import TITLE_FONT, a4, docx_bytes, paragraph, table
from sanxiang.documents.pdfs import kept_pdf, kept_pdf_render, queue_once
from sanxiang.reports.models import AnnualReport
from sanxiang.reports.selectors import sections

COLUMNS_MM = [32, 88, 26, 14]  # 类别, 指标, 数值, 单位 across the 160 mm between the margins


def _docx(report: AnnualReport) -> bytes:
    document = a4()
    title = _("%(agency)s%(year)d年度行政执法统计年报") % {"agency": report.agency.name, "year": report.year}
    paragraph(document, title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    paragraph(document, _("一、总体情况说明"), size=16, bold=True, font=TITLE_FONT)
    for line in report.narrative.splitlines():
        if line.strip():
            paragraph(document, line.strip(), indent=True)
    paragraph(document, _("二、统计数据"), size=16, bold=True, font=TITLE_FONT)
    header = [_("类别"), _("指标"), _("数值"), _("单位")]
    for section, lines in sections(report.figures):
        paragraph(document, section, bold=True)
        # no unit beside a dash, as on the report's page
        rows = [
            ["", str(line.label), "—", ""]
            if line.value is None
            else ["", str(line.label), str(line.value), str(line.unit)]
            for line in lines
        ]
        if rows:
            rows[0][0] = section
            grid = table(document, header, rows, widths=COLUMNS_MM)
            grid.cell(1, 0).merge(grid.cell(len(rows), 0))  # one 类别 cell down the section, as the templates draw it
    approved = timezone.localtime(report.approved_at).date().isoformat() if report.approved_at else "—"
    paragraph(
        document, _("第%(edition)d版 · 审批日期 %(approved)s") % {"edition": report.edition, "approved": approved}
    )
    paragraph(document, _("数据哈希（SHA-256）：%(sha)s") % {"sha": report.data_sha256}, size=9)
    return docx_bytes(document)


def _key(report_id: int) -> str:
    return f"reports:pdf:{report_id}"


def _render_later(report_id: int) -> None:
    from sanxiang.reports.tasks import render_report_pdf

    render_report_pdf(report_id)


def report_pdf_queue(report: AnnualReport) -> None:
    """Have the background worker make a just-published edition's PDF (report_publish, on commit)."""
    queue_once(_key(report.pk), lambda: _render_later(report.pk))


def report_pdf(report: AnnualReport) -> bytes:
    """The PDF of a published edition once made (PdfRendering until then, its rendering queued if it was not)."""
    return kept_pdf(report, key=_key(report.pk), queue=lambda: _render_later(report.pk))


def report_pdf_render(*, report_id: int) -> None:
    """Render and keep a published edition's PDF (the background worker's part of report_pdf)."""
    report = AnnualReport.objects.select_related("agency").get(pk=report_id, published_at__isnull=False)
    kept_pdf_render(report, lambda: _docx(report))
