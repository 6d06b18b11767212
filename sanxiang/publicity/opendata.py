"""Open data of publicity: the published 行政处罚 and 行政许可 records in the current national 双公示 layout
(layouts.PENALTY / layouts.LICENCE, every field in its order) as CSV, XLSX or JSON (the files imports take are read
by core.tables).

Choices where the layout leaves room (domain.md §15, §16):
- Only records whose status is published. Withheld, withdrawn and expired records and drafts are not open data.
- The values are those of the latest published version: a correction waiting for its confirmation is not public.
- 证件号码 and 法定代表人证件号码 are always empty: ID numbers are shared with credit platforms, never shown.
- Amounts are in 万元, as the record holds them; dates are written 2026-01-05.
- 公示截止期 is the record's last day on the portal (empty when it has none).
- 处罚有效期: the value an imported record brought with it; for a decision made here, which holds no separate
  "effective until" date, the end of its credit display period (the maximum for its credit class), the day until
  which the penalty counts against the party as credit information (信用修复管理办法). An unconfirmed reading.
- since: records whose latest public version was published on or after that day (Beijing time), so that a
  harvester fetching "since my last run" also receives corrections of older decisions.
- Every export names its filters: JSON in a "filters" object, XLSX on a second sheet 说明, CSV in its file name
  (and, over HTTP, in the X-Sanxiang-Filters header; on the command line on standard error).
- CSV is UTF-8 with a byte order mark, which Excel needs to read Chinese; cells that Excel would run as a formula
  (=, +, -, @ first) are written with a leading apostrophe, since imported text reaches citizens' spreadsheets.

Memory stays flat however many records there are: rows come from .values().iterator(chunk_size=CHUNK) and are
written one at a time; the XLSX writer keeps its rows in a temporary file, not in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from sanxiang.core.csvlines import csv_lines
from sanxiang.publicity import layouts
from sanxiang.publicity.models import Kind, Publication, PublicationVersion

KINDS = (Kind.PENALTY, Kind.LICENCE)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
CHUNK = 500


@dataclass(frozen=True)
class Filters:
    """What an export holds: one kind of decision, published, optionally only those published since a day."""

    kind: str
    since: dt.date | None = None

    @property
    def layout(self) -> layouts.Current:
        return layouts.CURRENT[self.kind]

    def as_dict(self, generated_at: dt.datetime) -> dict:
        return {
            "kind": self.kind,
            "kind_name": str(Kind(self.kind).label),
            "status": Publication.Status.PUBLISHED,
            "since": self.since.isoformat() if self.since else None,
            "generated_at": timezone.localtime(generated_at).isoformat(timespec="seconds"),
            "layout": self.layout.title,
            "layout_source": layouts.CURRENT_SOURCE,
        }

    def describe(self) -> str:
        """The filters in ASCII, for an HTTP header or a log line."""
        return f"kind={self.kind}; status=published; since={self.since.isoformat() if self.since else 'all'}"

    def file_name(self, file_format: str) -> str:
        span = f"since-{self.since.isoformat()}" if self.since else "all"
        return f"publicity-{self.kind}-published-{span}.{file_format}"

    def notes(self, generated_at: dt.datetime) -> list[tuple[str, str]]:
        """The 说明 sheet: the filters and the source of the layout, in words."""
        return [
            (_("类别"), str(Kind(self.kind).label)),
            (_("范围"), _("已公示的记录（不含待公示、不予网上公开、已撤回和公示期满的记录）")),
            (_("最新公开版本的公示日期不早于"), self.since.isoformat() if self.since else _("不限")),
            (_("生成时间"), timezone.localtime(generated_at).isoformat(timespec="seconds")),
            (_("数据格式"), _("%(title)s，现行双公示数据项，字段及顺序同第一张表表头") % {"title": self.layout.title}),
            (_("数据格式来源"), layouts.CURRENT_SOURCE),
            (_("说明"), _("金额单位为万元；证件号码不公开；公示截止期为在本网站公示的最后一日。")),
        ]


def rows(filters: Filters) -> Iterator[list[str]]:
    """The records' values in the layout's field order, one list per record, read in chunks."""
    latest = PublicationVersion.objects.filter(publication=OuterRef("pk"), published_at__isnull=False).order_by(
        "-number"
    )
    records = (
        Publication.objects.showing(timezone.localdate())
        .filter(kind=filters.kind)
        .annotate(
            public_summary=Subquery(latest.values("summary")[:1], output_field=JSONField()),
            public_since=Subquery(latest.values("published_at")[:1]),
        )
    )
    if filters.since:
        start = dt.datetime.combine(filters.since, dt.time.min, tzinfo=timezone.get_current_timezone())
        records = records.filter(public_since__gte=start)
    fields = filters.layout.fields
    for record in records.order_by("pk").values("public_summary", "display_until").iterator(chunk_size=CHUNK):
        yield [_value(field, record) for field in fields]


def _value(field: str, record: dict) -> str:
    if field in layouts.ID_NUMBERS:
        return ""
    summary = record["public_summary"] or {}
    end = record["display_until"].isoformat() if record["display_until"] else ""
    if field == "公示截止期":
        return end
    if field == "处罚有效期":
        return summary.get(field) or end
    return str(summary.get(field) or "")


def csv_chunks(filters: Filters) -> Iterator[str]:
    """The CSV text, line by line, starting with the byte order mark and the layout's header."""
    return csv_lines(filters.layout.fields, rows(filters))


def json_chunks(filters: Filters, *, generated_at: dt.datetime) -> Iterator[str]:
    """{"filters": {…}, "fields": […], "records": [{field: value}, …]}, one record per chunk."""
    fields = filters.layout.fields
    head = json.dumps({"filters": filters.as_dict(generated_at), "fields": fields}, ensure_ascii=False)
    yield head[:-1] + ', "records": ['
    separator = "\n"
    for row in rows(filters):
        yield separator + json.dumps(dict(zip(fields, row)), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def xlsx_file(filters: Filters, *, generated_at: dt.datetime) -> BinaryIO:
    """The workbook in a temporary file, rewound: the records on the first sheet, the filters on 说明."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filters.layout.title)
    sheet.append(filters.layout.fields)
    for row in rows(filters):
        sheet.append([_text_cell(sheet, value) for value in row])
    notes = workbook.create_sheet(_("说明"))
    for label, value in filters.notes(generated_at):
        notes.append([label, _text_cell(notes, value)])
    target = tempfile.TemporaryFile()
    workbook.save(target)
    target.seek(0)
    return target


def _text_cell(sheet, value: str):
    """openpyxl reads a string starting with "=" as a formula; such text is kept as text."""
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell
