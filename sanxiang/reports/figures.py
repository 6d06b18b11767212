"""The figures of a scope and period, computed from the shared definitions: one aggregate query per model, and a
digest of the result so that an approved report can tell when the data under it has changed."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from django.db.models import CharField, Count, Func, Sum
from django.utils import timezone

from sanxiang.agencies.models import Agency
from sanxiang.agencies.training_selectors import training_summary
from sanxiang.ledger.canonical import canonical_json
from sanxiang.reports.definitions import BY_KEY, MEASURES, RATIOS, TRAINING, Measure, Period

# Bumped whenever a definition changes meaning: a report keeps the version it was computed with.
DEFINITIONS_VERSION = 1


def _aggregate(measure: Measure, period: Period):
    condition = measure.condition(period)
    if measure.total:
        return Sum(measure.total, filter=condition)
    return Count("pk", filter=condition)


def _value(measure: Measure, raw):
    if measure.total:
        return f"{(raw or Decimal(0)):.2f}"
    return raw or 0


def compute(paths: list[str], period: Period, measures: tuple[Measure, ...] = MEASURES) -> dict:
    """{key: value} for every measure over the agencies under `paths`: counts as integers, amounts as strings
    with two decimals (exact, and stable in JSON), and each ratio as a string with four decimals or None."""
    groups: dict[tuple[str, str], list[Measure]] = defaultdict(list)
    for measure in measures:
        groups[(measure.model, measure.agency)].append(measure)
    figures: dict = {}
    for group in groups.values():
        first = group[0]
        queryset = first.records_model.objects.filter(first.scope(paths))
        raw = queryset.aggregate(**{f"m{i}": _aggregate(measure, period) for i, measure in enumerate(group)})
        figures |= {measure.key: _value(measure, raw[f"m{i}"]) for i, measure in enumerate(group)}
    if measures is MEASURES:
        figures |= _training(paths, period)
    for ratio in RATIOS:
        if ratio.numerator in figures and ratio.denominator in figures:
            figures[ratio.key] = rate(figures[ratio.numerator], figures[ratio.denominator])
    return figures


def _training(paths: list[str], period: Period) -> dict:
    scope = Agency.objects.none()
    for path in paths:
        scope |= Agency.objects.filter(path__startswith=path)
    summary = training_summary(agencies=list(scope), year=period.start.year)
    return {derived.key: summary[derived.source] for derived in TRAINING}


def rate(numerator, denominator) -> str | None:
    if not denominator:
        return None
    return f"{Decimal(numerator) / Decimal(denominator):.4f}"


def digest(figures: dict) -> str:
    """SHA-256 of the figures in canonical JSON (RFC 8785): the hash the approval and the ledger carry."""
    return hashlib.sha256(canonical_json({"definitions": DEFINITIONS_VERSION, "figures": figures})).hexdigest()


def months_of(period: Period) -> list[Period]:
    """The calendar months of a period, in order."""
    out, start = [], period.start
    while start < period.end:
        end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        out.append(Period(start, min(end, period.end)))
        start = end
    return out


class Month(Func):
    """'YYYY-MM' of a date, or of a time in the local zone, with the database's own functions (Django's date
    functions on SQLite call back into Python for every row). The zone's offset is taken at the period's start:
    China keeps one offset all year."""

    output_field = CharField()

    def __init__(self, expression, *, offset_hours: float | None = None):
        super().__init__(expression)
        self.offset_hours = offset_hours

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.offset_hours is None:
            return f"substr({sql}, 1, 7)", params
        return f"substr(datetime({sql}, '{self.offset_hours:+g} hours'), 1, 7)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.offset_hours is None:
            return f"to_char({sql}, 'YYYY-MM')", params
        return f"to_char({sql} AT TIME ZONE 'UTC' + interval '{self.offset_hours:g} hours', 'YYYY-MM')", params


def monthly(keys: tuple[str, ...], paths: list[str], period: Period) -> dict[str, dict[tuple[int, int], object]]:
    """{key: {(year, month): value}} of dated measures over the period: one query per model and date, grouped by
    month, each measure a conditional aggregate."""
    months = [(month.start.year, month.start.month) for month in months_of(period)]
    groups: dict[tuple[str, str, str], list[Measure]] = defaultdict(list)
    for key in keys:
        measure = BY_KEY[key]
        groups[(measure.model, measure.agency, measure.when)].append(measure)
    out: dict[str, dict] = {}
    for group in groups.values():
        first = group[0]
        offset = None
        if first.is_datetime:
            zone = timezone.get_current_timezone()
            offset = dt.datetime.combine(period.start, dt.time(), zone).utcoffset().total_seconds() / 3600
        rows = (
            first.records_model.objects.filter(first.scope(paths), first.within(period))
            .annotate(month=Month(first.when, offset_hours=offset))
            .values("month")
            .annotate(
                **{
                    f"m{i}": Sum(m.total, filter=m.where_for(period))
                    if m.total
                    else Count("pk", filter=m.where_for(period))
                    for i, m in enumerate(group)
                }
            )
        )
        found = {tuple(int(part) for part in row["month"].split("-")): row for row in rows}
        for i, measure in enumerate(group):
            out[measure.key] = {
                month: _value(measure, found[month][f"m{i}"] if month in found else None) for month in months
            }
    return out
