"""Reads of the reports: who sees which agency's report, the live figures (preview and dashboards), the drill-down
list behind a number, the province's roll-up, and the reports falling due on the desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.agencies.models import Agency, Role
from sanxiang.ledger.models import Entry
from sanxiang.reports import figures
from sanxiang.reports.definitions import BY_KEY, MEASURES, RATIOS, SECTIONS, TRAINING, Period
from sanxiang.reports.models import AnnualReport
from sanxiang.reports.rows import ROWS, Row
from sanxiang.reports.services import FIRST_YEAR, REPORTING_LEVELS, due_on

S = AnnualReport.Status


def reporting_agencies(user) -> QuerySet[Agency]:
    """The agencies whose reports `user` sees: their own and those below it that report (province and cities)."""
    return Agency.objects.visible_to(user).filter(level__in=REPORTING_LEVELS, is_active=True)


def dashboard_agencies(user) -> QuerySet[Agency]:
    """The agencies whose dashboard `user` may open: theirs and those below it, their own first."""
    return Agency.objects.visible_to(user).filter(is_active=True).order_by("path")


def agencies_under(agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(path__startswith=agency.path)


def agency_for_reports(*, user, agency_id: int) -> Agency:
    """The access gate of an agency's reports and figures: 404 outside the user's agencies."""
    agency = Agency.objects.visible_to(user).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def report_get_for_user(*, user, report_id: int) -> AnnualReport:
    """The access gate of one report: staff of its agency and of the agencies above it."""
    report = AnnualReport.objects.select_related("agency").filter(pk=report_id).first()
    if report is None or not Agency.objects.visible_to(user).filter(pk=report.agency_id).exists():
        raise Http404
    return report


def current_report(agency: Agency, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(agency=agency, year=year).current().first()


def current_reports(agencies, year: int) -> dict[int, AnnualReport]:
    """The edition in force of each of `agencies` for `year`, by agency id (none: not generated)."""
    return {
        report.agency_id: report for report in AnnualReport.objects.filter(agency__in=agencies, year=year).current()
    }


def first_year() -> int | None:
    """The first year the platform holds records of: no report is asked for before it."""
    entry = Entry.objects.order_by("index").only("time").first()
    return entry.time.year if entry else None


def years(today: dt.date) -> list[int]:
    """The years a report or a dashboard may be asked for, newest first."""
    return list(range(today.year, FIRST_YEAR - 1, -1))


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    value: object
    unit: str
    note: str
    drillable: bool
    previous: object = None  # the figure as the report froze it, when it differs from today's


def sections(values: dict, frozen: dict | None = None) -> list[tuple[str, list[Line]]]:
    """The figures laid out as the report's tables: one table per section, measures then ratios."""
    out = []
    for section in SECTIONS:
        lines = [
            Line(m.key, m.label, values.get(m.key), m.unit, m.note, True, _differs(frozen, values, m.key))
            for m in MEASURES
            if m.section == section
        ]
        lines += [
            Line(d.key, d.label, values.get(d.key), d.unit, d.note, False, _differs(frozen, values, d.key))
            for d in TRAINING
            if d.section == section
        ]
        lines += [
            Line(r.key, r.label, _percent(values.get(r.key)), r.unit, r.note, False, _differs(frozen, values, r.key))
            for r in RATIOS
            if r.section == section
        ]
        out.append((str(section), lines))
    return out


def _percent(value):
    return None if value is None else f"{Decimal(value) * 100:.1f}"


def _differs(frozen, values, key):
    if frozen is None or frozen.get(key) == values.get(key):
        return None
    return frozen.get(key)


def live_figures(agency: Agency, year: int) -> dict:
    """Today's figures of `agency` (with its branches) for `year` — the preview, and what approval re-checks."""
    return figures.compute([agency.path], Period.year(year))


def drilldown(*, agency: Agency, year: int, key: str) -> tuple[object, QuerySet]:
    """The measure `key` and the records it counts for `agency` in `year`, newest first (404 for an unknown key)."""
    measure = BY_KEY.get(key)
    if measure is None:
        raise Http404
    related, _line = ROWS[measure.model]
    records = measure.records([agency.path], Period.year(year)).select_related(*related)
    return measure, records.order_by(*_order(measure))


def _order(measure) -> list[str]:
    return [f"-{measure.when}", "-pk"] if measure.when else ["-pk"]


def page_after(measure, records: QuerySet, cursor: str, size: int = 50) -> tuple[list, str]:
    """One page of a drill-down list after `cursor` (the last row's date and id, "" for the first page), and the
    cursor of the next page ("" at the end): keyset pages, so a list of a million records costs no count and no sort
    beyond the page (the number itself is on the report)."""
    if cursor:
        day, _, pk = cursor.rpartition("~")
        try:
            pk = int(pk)
            if measure.when:
                value = dt.datetime.fromisoformat(day) if measure.is_datetime else dt.date.fromisoformat(day)
                records = records.filter(Q(**{f"{measure.when}__lt": value}) | Q(**{measure.when: value, "pk__lt": pk}))
            else:
                records = records.filter(pk__lt=pk)
        except ValueError:
            raise Http404 from None
    page = list(records[: size + 1])
    more, page = len(page) > size, page[:size]
    if not more:
        return page, ""
    last = page[-1]
    when = _path_value(last, measure.when) if measure.when else None
    return page, f"{when.isoformat() if when is not None else ''}~{last.pk}"


def _path_value(record, path: str):
    for part in path.split("__"):
        record = getattr(record, part)
    return record


def rows_of(measure, records) -> list[Row]:
    """The drill-down lines of `records`, each dated by the measure's own date (the local day of a time) and with
    the amount it sums."""
    _related, line = ROWS[measure.model]
    rows = []
    for record in records:
        day = _path_value(record, measure.when) if measure.when else None
        if isinstance(day, dt.datetime):
            day = timezone.localdate(day)
        amount = _path_value(record, measure.total) if measure.total else None
        rows.append(replace(line(record), date=day, amount=amount))
    return rows


@dataclass(frozen=True)
class RollupRow:
    agency: Agency
    report: AnnualReport | None

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.status in (S.APPROVED, S.PUBLISHED)


def rollup(agency: Agency, year: int) -> tuple[list[RollupRow], dict]:
    """The agencies reporting below `agency` with their current report (none: not submitted), and the sums of the
    submitted ones' counts and amounts (ratios recomputed from the sums)."""
    below = Agency.objects.filter(path__startswith=agency.path, level__in=REPORTING_LEVELS, is_active=True).exclude(
        pk=agency.pk
    )
    reports = current_reports(below, year)
    rows = [RollupRow(child, reports.get(child.pk)) for child in below]
    totals: dict = {}
    for row in rows:
        if not row.submitted:
            continue
        for measure in MEASURES:
            value = row.report.figures.get(measure.key, 0)
            totals[measure.key] = _add(totals.get(measure.key), value, measure.total)
        for derived in TRAINING:
            totals[derived.key] = _add(totals.get(derived.key), row.report.figures.get(derived.key, 0), "")
    for ratio in RATIOS:
        if ratio.denominator in totals:
            totals[ratio.key] = figures.rate(totals.get(ratio.numerator, 0), totals[ratio.denominator])
    return rows, totals


def _add(total, value, summed: str):
    if summed:
        return f"{Decimal(total or 0) + Decimal(value or 0):.2f}"
    return (total or 0) + (value or 0)


@dataclass(frozen=True)
class DueReport:
    agency: Agency
    year: int
    due_on: dt.date
    report: AnnualReport | None


def reports_due_for_user(user, *, today: dt.date) -> list[DueReport]:
    """From 1 January, the last year's report of each reporting agency of a head or publicity clerk until it is
    published (the desk's warning)."""
    if not (user.is_superuser or user.has_role(Role.HEAD) or user.has_role(Role.PUBLICITY_CLERK)):
        return []
    year = today.year - 1
    start = first_year()
    if start is None or year < start:
        return []
    agencies = reporting_agencies(user)
    if not user.is_superuser and user.agency_id:
        agencies = agencies.filter(pk=user.agency_id)
    current = current_reports(agencies, year)
    return [
        DueReport(agency, year, due_on(agency, year), current.get(agency.pk))
        for agency in agencies
        if getattr(current.get(agency.pk), "status", None) != S.PUBLISHED
    ]


def published_reports() -> QuerySet[AnnualReport]:
    """Every edition ever published, newest year first: the portal's list (a superseded edition stays readable)."""
    return (
        AnnualReport.objects.filter(published_at__isnull=False)
        .select_related("agency")
        .order_by("-year", "agency__path", "-edition")
    )


def published_report(*, agency_code: str, year: int) -> tuple[AnnualReport, AnnualReport | None]:
    """The latest published edition of an agency's year (404 when none), and a newer edition waiting, if any."""
    report = published_reports().filter(agency__code=agency_code, year=year).first()
    if report is None:
        raise Http404
    newer = AnnualReport.objects.filter(agency=report.agency, year=year, edition__gt=report.edition).current().first()
    return report, newer
