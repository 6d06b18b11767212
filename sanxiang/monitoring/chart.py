"""A series as the point page shows it (pure, no database): the numbers the chart is drawn from — valid values on
the line, each invalid flag and the clock-skewed values as points of their own, the limit as a line, the marked
periods as shaded spans — and the rows of the table that holds the same data for a screen reader or a page without
JavaScript, where a run of missing steps is one row."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.monitoring import pollutants
from sanxiang.monitoring.selectors import MINUTE, VALID_FLAGS, Sample, Series


@dataclass
class Row:
    start: dt.datetime
    end: dt.datetime | None = None  # a run of missing steps
    sample: Sample | None = None
    flag_meaning: str = ""
    marked: str = ""


def _label(moment: dt.datetime, bucket: str) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M}" if bucket == MINUTE else f"{local:%m-%d %H}时"


def _index(series: Series, moment: dt.datetime, *, up: bool) -> int:
    step = 60 if series.bucket == MINUTE else 3600
    first = series.samples[0].at if series.samples else series.start
    position = (moment - first).total_seconds() / step
    index = math.ceil(position) - 1 if up else math.floor(position)
    return max(0, min(len(series.samples) - 1, index))


def chart_data(series: Series, *, limit=None, marks=()) -> dict:
    """What the page's script draws (json_script): labels, the valid line, a point set per invalid flag present and
    one for skewed values, the limit and the marked spans by index."""
    samples = series.samples
    valid, skewed, invalid = [], [], {}
    for sample in samples:
        good = sample.value is not None and sample.flag in VALID_FLAGS and not sample.skewed
        valid.append(sample.value if good else None)
        skewed.append(sample.value if sample.value is not None and sample.skewed else None)
        if sample.value is not None and not sample.skewed and sample.flag not in VALID_FLAGS:
            invalid.setdefault(sample.flag, [None] * len(samples))
    for position, sample in enumerate(samples):
        if sample.flag in invalid and not sample.skewed:
            invalid[sample.flag][position] = sample.value
    unit = series.pollutant.unit
    return {
        "labels": [_label(sample.at, series.bucket) for sample in samples],
        "valid": valid,
        "validLabel": _("有效数据（N、S）"),
        "invalid": [
            {
                "flag": flag,
                "label": f"{flag} {pollutants.FLAG_BY_CODE[flag].meaning}" if flag in pollutants.FLAG_BY_CODE else flag,
                "data": data,
            }
            for flag, data in sorted(invalid.items())
        ],
        "skewed": skewed if any(value is not None for value in skewed) else [],
        "skewedLabel": _("设备时钟偏差超限（不采信）"),
        "limit": float(limit.value) if limit is not None else None,
        "limitLabel": _("限值 %(value)s %(unit)s（%(averaging)s）")
        % {
            "value": format(limit.value.normalize(), "f"),
            "unit": limit.unit,
            "averaging": limit.get_averaging_display(),
        }
        if limit is not None
        else "",
        "marks": [
            [
                _index(series, max(mark.starts_at, series.start), up=False),
                _index(series, mark.ends_at, up=True),
                mark.get_kind_display(),
            ]
            for mark in marks
            if samples
        ],
        "marksLabel": _("标记时段"),
        "unit": unit,
    }


def table_rows(series: Series, *, marks=()) -> list[Row]:
    """The table: one row per step with data, one per run of steps without."""
    rows: list[Row] = []
    for sample in series.samples:
        if sample.count == 0:
            if rows and rows[-1].sample is None:
                rows[-1].end = sample.at
            else:
                rows.append(Row(sample.at, end=sample.at))
            continue
        flag = pollutants.FLAG_BY_CODE.get(sample.flag)
        marked = next((m.get_kind_display() for m in marks if m.starts_at <= sample.at < m.ends_at), "")
        rows.append(Row(sample.at, sample=sample, flag_meaning=flag.meaning if flag else sample.flag, marked=marked))
    return rows
