"""The published report as data files: CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) and XLSX.
Built from the figures the report froze, so every download of one edition is the same file. Pure: no database."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanxiang.reports.selectors import sections


def _rows(report) -> list[list]:
    header = [_("机关"), _("年度"), _("版本"), _("类别"), _("指标"), _("代码"), _("数值"), _("单位")]
    rows = [header]
    for section, lines in sections(report.figures):
        for line in lines:
            value = "" if line.value is None else line.value
            rows.append(
                [
                    report.agency.name,
                    report.year,
                    report.edition,
                    section,
                    str(line.label),
                    line.key,
                    value,
                    str(line.unit),
                ]
            )
    rows.append([])
    rows.append([_("数据哈希（SHA-256）"), report.data_sha256])
    return rows


def report_csv(report) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(report.year))
    for row in _rows(report):
        sheet.append(row)
    narrative = book.create_sheet(title=_("总体情况说明"))
    for paragraph in report.narrative.split("\n"):
        narrative.append([paragraph])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
