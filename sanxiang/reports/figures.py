"""The figures of a scope and period, computed from the shared definitions: one aggregate query per model, and a
digest of the result so that an approved report can tell when the data under it has changed."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from sanxiang.agencies.models import Agency
from sanxiang.agencies.training_selectors import training_summary
from sanxiang.ledger.canonical import canonical_json
from sanxiang.reports.definitions import MEASURES, RATIOS, TRAINING, Measure, Period

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


def monthly(measure: Measure, paths: list[str], period: Period) -> dict[tuple[int, int], object]:
    """{(year, month): value} of one dated measure over the period (a dashboard's trend line)."""
    value = Sum(measure.total) if measure.total else Count("pk")
    rows = (
        measure.records(paths, period)
        .annotate(month=TruncMonth(measure.when))
        .values("month")
        .annotate(value=value)
        .order_by("month")
    )
    return {(row["month"].year, row["month"].month): _value(measure, row["value"]) for row in rows}
