"""What the heads' and the province's dashboard shows (and, for the whole province, the portal's statistics): monthly
trends and the on-time rate from the report's own definitions, open cases by stage and age, what is overdue now
(read through each domain app's selector), review outcomes and inspections by district. Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Case
from sanxiang.cases.models.case import OPEN_STAGES, Stage
from sanxiang.cases.selectors import cases_overdue
from sanxiang.licensing.selectors import applications_overdue
from sanxiang.publicity.models import Publication
from sanxiang.publicity.selectors import publications_late
from sanxiang.reports import figures
from sanxiang.reports.definitions import BY_KEY, Period
from sanxiang.review.models import Review
from sanxiang.review.selectors import rounds_overdue_in

# The monthly lines: inspections, penalty decisions, publications; and the fines, in 万元, on a chart of their own.
TREND_KEYS = ("inspection.onsite", "penalty.decided", "publication.penalty", "publication.licence")
FINES = "penalty.fine"
AGE_BUCKETS = ((30, "30日内"), (90, "31–90日"), (180, "91–180日"), (None, "180日以上"))


@dataclass(frozen=True)
class Series:
    """A table a chart is drawn from: the category column's heading, the series names, and rows of (category, values)."""

    heading: str
    names: list[str]
    rows: list[tuple[str, list]]


def months(year: int, today: dt.date) -> list[Period]:
    last = 12 if year < today.year else today.month
    return [Period(dt.date(year, m, 1), dt.date(year + (m == 12), m % 12 + 1, 1)) for m in range(1, last + 1)]


def trends(paths: list[str], year: int, today: dt.date) -> tuple[Series, Series]:
    """Per month: the counts of TREND_KEYS, and the fines in 万元 (a scale of their own)."""
    keys = (*TREND_KEYS, FINES)
    by_key = figures.monthly(keys, paths, Period.year(year))
    counts, fines = [], []
    for month in months(year, today):
        at = (year, month.start.month)
        counts.append((f"{month.start.month}月", [by_key[key][at] for key in TREND_KEYS]))
        fines.append((f"{month.start.month}月", [f"{Decimal(by_key[FINES][at]) / 10_000:.2f}"]))
    return (
        Series("月份", [str(BY_KEY[key].label) for key in TREND_KEYS], counts),
        Series("月份", [str(BY_KEY[FINES].label) + "（万元）"], fines),
    )


def on_time(paths: list[str], year: int, today: dt.date) -> Series:
    """Per month of decision: the share of decisions due for publication that were published on time (%)."""
    by_key = figures.monthly(("publication.due", "publication.on_time"), paths, Period.year(year))
    rows = []
    for month in months(year, today):
        key = (year, month.start.month)
        rate = figures.rate(by_key["publication.on_time"][key], by_key["publication.due"][key])
        rows.append((f"{month.start.month}月", [None if rate is None else f"{Decimal(rate) * 100:.1f}"]))
    return Series("月份", ["按期公示率（%）"], rows)


def _scope(paths: list[str], field: str = "agency") -> Q:
    scope = Q(pk__in=[])  # no agency, no records
    for path in paths:
        scope |= Q(**{f"{field}__path__startswith": path})
    return scope


def open_cases(paths: list[str], today: dt.date) -> tuple[Series, Series]:
    """The open cases by stage, and by days since they were filed (or registered, before filing)."""
    cases = Case.objects.filter(_scope(paths), stage__in=OPEN_STAGES)
    by_stage = dict(cases.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = Series("阶段", ["案件数"], [(str(Stage(s).label), [by_stage.get(s, 0)]) for s in OPEN_STAGES])
    counts = {}
    lower = 0
    for upper, label in AGE_BUCKETS:
        since = Q(filed_on__lte=today - dt.timedelta(days=lower))
        if upper is not None:
            since &= Q(filed_on__gt=today - dt.timedelta(days=upper))
        counts[label] = Count("pk", filter=since)
        lower = upper or lower
    counts["未立案"] = Count("pk", filter=Q(filed_on__isnull=True))
    ages = cases.aggregate(**counts)
    return stages, Series("立案至今", ["案件数"], [(label, [value]) for label, value in ages.items()])


def overdue(agencies, year: int, today: dt.date) -> list[tuple[str, int]]:
    """What is past its legal date now, in the agencies (each counted by the app that owns it)."""
    return [
        ("案件超过法定期限", cases_overdue(agencies, today=today).count()),
        ("行政许可超过办理期限", applications_overdue(agencies, today=today).count()),
        ("法制审核超过期限", rounds_overdue_in(agencies, today=today).count()),
        (
            "执法决定逾期未公示",
            publications_late(agencies, today=today, year=year).filter(status=Publication.Status.DRAFT).count(),
        ),
    ]


def review_outcomes(paths: list[str], year: int) -> Series:
    """Reviews opened in the year by where they stand."""
    reviews = Review.objects.filter(_scope(paths), opened_at__year=year)
    counts = dict(reviews.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return Series(
        "审核结果", ["件数"], [(str(label), [counts.get(value, 0)]) for value, label in Review.Status.choices]
    )


def inspections_by_district(paths: list[str], year: int, limit: int = 20) -> Series:
    """On-site inspections of the year by the 行政区划 of the inspected party, most first, named after the branch that
    bears the district's code where there is one (no boundaries are held as data, so a bar chart stands in for a
    map)."""
    records = BY_KEY["inspection.onsite"].records(paths, Period.year(year))
    rows = list(records.values("party__division").annotate(n=Count("pk")).order_by("-n", "party__division")[:limit])
    names = dict(Agency.objects.filter(code__in=[row["party__division"] for row in rows]).values_list("code", "name"))
    return Series(
        "被检查对象所在区（县）",
        ["现场检查"],
        [(_district(row["party__division"], names), [row["n"]]) for row in rows],
    )


def _district(code: str, names: dict) -> str:
    if not code:
        return "未填行政区划"
    return names.get(code) or f"行政区划 {code}"


@dataclass(frozen=True)
class Board:
    counted_at: dt.datetime
    overdue: list
    trends: Series
    fines: Series
    on_time: Series
    stages: Series
    ages: Series
    reviews: Series
    districts: Series


def board(agency, year: int, today: dt.date, *, refresh: bool = False) -> Board:
    """Everything the dashboard shows for `agency` (with the agencies below it) and `year`."""

    def count() -> Board:
        paths = [agency.path]
        stages, ages = open_cases(paths, today)
        counts, fines = trends(paths, year, today)
        return Board(
            counted_at=timezone.now(),
            overdue=overdue(Agency.objects.filter(path__startswith=agency.path), year, today),
            trends=counts,
            fines=fines,
            on_time=on_time(paths, year, today),
            stages=stages,
            ages=ages,
            reviews=review_outcomes(paths, year),
            districts=inspections_by_district(paths, year),
        )

    return _kept(f"reports:board:{agency.pk}:{year}:{today.isoformat()}", count, refresh)


@dataclass(frozen=True)
class PublicBoard:
    counted_at: dt.datetime
    trends: Series
    fines: Series
    on_time: Series


def public_board(year: int, today: dt.date, *, refresh: bool = False) -> PublicBoard:
    """The province's year as the portal's statistics page draws it: trends, fines and the on-time rate over every
    agency."""

    def count() -> PublicBoard:
        roots = list(Agency.objects.filter(parent__isnull=True).values_list("path", flat=True))
        counts, fines = trends(roots, year, today)
        return PublicBoard(timezone.now(), counts, fines, on_time(roots, year, today))

    return _kept(f"reports:public:{year}:{today.isoformat()}", count, refresh)


def _kept(key: str, count, refresh: bool):
    """What `count` returns, kept for DASHBOARD_CACHE_SECONDS: a province's year is millions of rows, too many to
    count on every request. The worker counts the current year again every ten minutes (`refresh`), so nobody
    waits for it."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return count()
    if refresh:
        counted = count()
        cache.set(key, counted, seconds)
        return counted
    return cache.get_or_set(key, count, seconds)
