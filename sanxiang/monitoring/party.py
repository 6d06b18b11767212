"""当事人查询 — 《行政处罚法》第四十一条第三款: 行政机关应当及时告知当事人违法事实，并采取信息化手段或者其他措施，为当事人
查询、陈述和申辩提供便利. The read behind the party's own page of the monitoring data its case rests on, found by the
key it was given when told (checklist.check_tell_party); no login, since the party is not a user of the platform."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sanxiang.core.calendar import day_bounds
from sanxiang.monitoring.chart import chart_data, table_rows
from sanxiang.monitoring.detection import CAUSE_LABELS
from sanxiang.monitoring.models import CaseSegment, EvidenceCheck, Exceedance, Point, Segment
from sanxiang.monitoring.pollutants import BY_CODE, name_of
from sanxiang.monitoring.selectors import HOUR, Series, marks_between, series

KEY_LENGTH = 32  # secrets.token_urlsafe(24)


@dataclass
class Day:
    """One factor's day at one point, by the hour — what an exceedance's average was taken from — as the point page
    draws it (chart and table), against the limit the exceedance was judged by, with the point's marks."""

    key: str  # the element id of its chart's data on the page
    point: Point
    series: Series
    chart: dict
    rows: list


def party_evidence(*, key: str) -> dict | None:
    """What the party's page shows, or None for a key that is no one's: the case's exceedances (values, averaging,
    limit and its source, the minutes counted and those left out and why), each one's day of hourly means of that
    factor, the sealed hours of raw packets with their SHA-256 (each ledgered when sealed) and the hash manifest, and
    when the party was told and invited to state its case."""
    if len(key) != KEY_LENGTH:
        return None
    check = EvidenceCheck.objects.select_related("agency", "case__party", "manifest").filter(party_key=key).first()
    if check is None:
        return None
    exceedances = list(
        Exceedance.objects.filter(case_id=check.case_id)
        .select_related("point", "device", "limit")
        .order_by("period_start", "pollutant", "averaging")
    )
    days = []
    judged = {}  # the limit each factor's day was judged by (the first exceedance's)
    for exceedance in exceedances:
        judged.setdefault(
            (exceedance.point, exceedance.pollutant, timezone.localdate(exceedance.period_start)), exceedance
        )
    for (point, pollutant, day), exceedance in judged.items():
        if pollutant not in BY_CODE:  # a code the table does not hold: its rows above still show it, undrawn
            continue
        start, end = day_bounds(day)
        hours = series(point=point, pollutant=pollutant, start=start, end=end, bucket=HOUR)
        marks = list(marks_between(point, start, end))
        chart = chart_data(hours, limit=exceedance.limit, marks=marks)
        days.append(Day(f"day-{len(days) + 1}", point, hours, chart, table_rows(hours, marks=marks)))
    held = CaseSegment.objects.filter(case_id=check.case_id, segment__isnull=False).values("segment_id")
    return {
        "check": check,
        "case": check.case,
        "exceedances": [
            (exceedance, name_of(exceedance.pollutant), _excluded_in_words(exceedance.excluded))
            for exceedance in exceedances
        ],
        "days": days,
        "segments": Segment.objects.filter(pk__in=held).order_by("hour"),
    }


def _excluded_in_words(excluded: dict) -> str:
    """The minute values left out of the average and why, e.g. 企业标记时段 12 个."""
    return "；".join(
        f"{CAUSE_LABELS.get(cause, cause)} {count} 个" for cause, count in sorted(excluded.items()) if count
    )


def party_url(check: EvidenceCheck) -> str | None:
    """The address of the party's page, at the portal's public address (SANXIANG_PUBLIC_URL) — not the host a member
    of staff reached the workbench by, which the party may not be able to reach."""
    if not check.party_key:
        return None
    return f"{settings.PUBLIC_URL}{reverse('portal:monitoring-party', args=[check.party_key])}"
