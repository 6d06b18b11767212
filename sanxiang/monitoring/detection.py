"""Finding exceedances the lawful way (docs/domain.md §27): hourly averages of the counted minute values of each point
and pollutant under a limit in force, counted per cause of exclusion, then judged against the hourly and daily limits
here, without a write. The counts come from the hours' totals (rollups.py: by device, flag and clock), the marks and
the devices' reviews applied as they are read; a point with a mark that day is counted from its minute values in one
SQL pass (GROUP BY point, pollutant, hour with a count per cause).

A minute value counts only when its flag is N, it lies in no mark of its point, its packet's clock was not skewed,
and it came from a device whose art-41 review had passed by that day and that was not retired. An hour counts with at
least `monitoring.hour_valid_minutes` counted minutes, a day with at least `monitoring.day_valid_hours` counted
hours, its average being the mean of those hours' averages."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sanxiang.core.calendar import day_bounds
from sanxiang.core.rules import rules_for
from sanxiang.monitoring.models import Averaging, Device, Limit, Mark

# Why a minute value was not counted, in the order the query tests them (a value is counted under the first).
FLAG, MARK, SKEW, DEVICE = "flag", "mark", "skew", "device"
CAUSES = (FLAG, MARK, SKEW, DEVICE)
SHORT = "short"  # an hour or day short of valid data with nothing excluded: the device did not send enough
CAUSE_LABELS = {
    FLAG: "数据标志无效（非 N）",
    MARK: "企业标记时段",
    SKEW: "设备时钟偏差",
    DEVICE: "设备未经审核或已停用",
    SHORT: "有效数据不足",
}

_HOUR = {
    # Asia/Shanghai is a whole number of hours from UTC all year, so the UTC hour is the local hour.
    "postgresql": "date_trunc('hour', r.data_time)",
    "sqlite": "substr(r.data_time, 1, 13)",
}

# One row per point, pollutant, hour and cause (0: counted). The CASE runs for every value, so it stays cheap: the
# points with a mark that day and the devices not usable that day are read first (few) and written in as lists —
# integers from the database — and a test with nothing to find is left out.
_HOURS_SQL = """
SELECT r.point_id, r.pollutant, {hour} AS hour,
    CASE
        WHEN r.flag <> 'N' OR r.value IS NULL THEN 1
        {mark}
        WHEN r.skewed THEN 3
        {device}
        ELSE 0
    END AS cause,
    COUNT(r.value), SUM(r.value), MAX(r.device_id)
FROM {source}
GROUP BY 1, 2, 3, 4
"""
_LIMITED = """(
    SELECT DISTINCT l.point_id, l.pollutant FROM monitoring_limit l
    WHERE l.valid_from <= %(day)s AND (l.valid_to IS NULL OR l.valid_to >= %(day)s)
)"""
_SOURCE = {
    # SQLite walks the primary key (point, pollutant, averaging, time) range by range, one pair under a limit at a time.
    "sqlite": _LIMITED
    + """ l
    JOIN monitoring_reading r ON r.point_id = l.point_id AND r.pollutant = l.pollutant AND r.averaging = 'minute'
        AND r.data_time >= %(start)s AND r.data_time < %(end)s AND r.point_id IN ({points})""",
    # PostgreSQL reads the day's rows (BRIN on the time) and hashes the groups; a join on the pairs is misjudged by
    # the planner (a sort spilled to disk) and even a join on the pollutant costs a hash probe a row, so the
    # pollutants under a limit are given as values and judge() drops a pair without one.
    "postgresql": """monitoring_reading r
    WHERE r.point_id IN ({points}) AND r.averaging = 'minute' AND r.data_time >= %(start)s AND r.data_time < %(end)s
        AND r.pollutant IN ({pollutants})""",
}
_MARK = """WHEN r.point_id IN ({points}) AND EXISTS (
            SELECT 1 FROM monitoring_mark m
            WHERE m.point_id = r.point_id AND m.starts_at <= r.data_time AND m.ends_at > r.data_time
        ) THEN 2"""
_DEVICE = "WHEN r.device_id IN ({devices}) THEN 4"


def _ids(values) -> str:
    return ", ".join(str(int(value)) for value in sorted(set(values)))


# The hours' totals of the points without a mark that day, under a limit's pollutant.
_TOTALS_SQL = """
SELECT t.point_id, t.pollutant, t.hour, t.device_id, t.flagged, t.skewed, t.count, t.total
FROM monitoring_hourtotal t
WHERE t.hour >= %(start)s AND t.hour < %(end)s AND t.pollutant IN ({pollutants}) {unmarked}
"""


@dataclass
class Hour:
    """One point's, one pollutant's hour as the query counted it."""

    point_id: int
    pollutant: str
    start: dt.datetime
    valid: int
    valid_sum: float | None
    device_id: int | None
    excluded: dict[str, int]
    sent: int
    sent_sum: float | None

    @property
    def average(self) -> float | None:
        return self.valid_sum / self.valid if self.valid else None

    @property
    def sent_average(self) -> float | None:
        """The average of every value sent, counted or not: what the data would say if the rules were ignored."""
        return self.sent_sum / self.sent if self.sent else None


@dataclass
class Finding:
    """An average over its limit, as the detection found it (services.exceedances_find stores it)."""

    point_id: int
    device_id: int
    pollutant: str
    averaging: str
    start: dt.datetime
    end: dt.datetime
    average: float
    limit: Limit
    valid: int
    excluded: dict[str, int]


@dataclass
class Judgement:
    """What the detection of a day came to: its findings and, so that nothing is silently left out, the counts of
    what it did not use and the periods it would have found over the limit had it used everything."""

    findings: list[Finding] = field(default_factory=list)
    hours_checked: int = 0
    hours_valid: int = 0
    days_valid: int = 0
    excluded_minutes: Counter = field(default_factory=Counter)
    excluded_hours: Counter = field(default_factory=Counter)
    withheld: list[dict] = field(default_factory=list)


def _hour_start(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite: "YYYY-MM-DD HH" in UTC
        return dt.datetime.strptime(value, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def over_hours(day: dt.date, *, until: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `day` to the end of its last hour that is over by `until` (empty when none is)."""
    start, end = day_bounds(day)
    return start, max(start, min(end, until.replace(minute=0, second=0, microsecond=0)))


def hours_of(day: dt.date, *, until: dt.datetime) -> list[Hour]:
    """The hours of `day` that are over by `until`, for every point and pollutant with a limit in force that day,
    from the hours' totals (made first: rollups.hours_roll) and the marked points' minutes."""
    start, end = over_hours(day, until=until)
    if end <= start:
        return []
    pollutants = sorted(set(Limit.objects.in_force(day).values_list("pollutant", flat=True)))
    if not pollutants:
        return []
    marked = set(Mark.objects.filter(starts_at__lt=end, ends_at__gt=start).values_list("point_id", flat=True))
    unusable = set(
        Device.objects.filter(
            Q(review_passed_on__isnull=True) | Q(review_passed_on__gt=day) | Q(retired_on__lte=day)
        ).values_list("pk", flat=True)
    )
    rows = total_rows(start, end, pollutants, marked=marked, unusable=unusable)
    rows += minute_rows(day, start, end, pollutants, marked=marked, unusable=unusable) if marked else []
    return as_hours(rows)


def _params(day: dt.date, start: dt.datetime, end: dt.datetime, pollutants: list[str]) -> dict:
    ops = connection.ops
    return {
        "day": ops.adapt_datefield_value(day),
        "start": ops.adapt_datetimefield_value(start),
        "end": ops.adapt_datetimefield_value(end),
    } | {f"p{index}": code for index, code in enumerate(pollutants)}


def _codes(pollutants: list[str]) -> str:
    return ", ".join(f"%(p{i})s" for i in range(len(pollutants)))


def total_rows(
    start: dt.datetime, end: dt.datetime, pollutants: list[str], *, marked: set[int], unusable: set[int]
) -> list[tuple]:
    """Rows (point, pollutant, hour, cause, count, sum, device) of the points not in `marked`, from the hours'
    totals: the causes the minute query would give a point without a mark — the flag first, then the clock, then
    the device."""
    unmarked = f"AND t.point_id NOT IN ({_ids(marked)})" if marked else ""
    with connection.cursor() as cursor:
        cursor.execute(
            _TOTALS_SQL.format(pollutants=_codes(pollutants), unmarked=unmarked),
            _params(start.date(), start, end, pollutants),
        )
        totals = cursor.fetchall()
    groups: dict[tuple, list] = {}
    for point_id, pollutant, hour, device_id, flagged, skewed, count, total in totals:
        cause = 1 if flagged else 3 if skewed else 4 if device_id in unusable else 0
        group = groups.setdefault((point_id, pollutant, hour, cause), [0, None, None])
        group[0] += count
        group[1] = total if group[1] is None else group[1] + (total or 0)
        group[2] = device_id if group[2] is None else max(group[2], device_id)
    return [(*key, *values) for key, values in groups.items()]


def minute_rows(
    day: dt.date, start: dt.datetime, end: dt.datetime, pollutants: list[str], *, marked: set[int], unusable: set[int]
) -> list[tuple]:
    """The same rows for the points in `marked`, from their minute values (a mark can cover part of an hour)."""
    query = _HOURS_SQL.format(
        hour=_HOUR[connection.vendor],
        source=_SOURCE[connection.vendor].format(points=_ids(marked), pollutants=_codes(pollutants)),
        mark=_MARK.format(points=_ids(marked)),
        device=_DEVICE.format(devices=_ids(unusable)) if unusable else "",
    )
    with transaction.atomic(), connection.cursor() as cursor:  # the transaction SET LOCAL holds for
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")  # a query run once: compiling it costs more than it saves
        cursor.execute(query, _params(day, start, end, pollutants))
        return cursor.fetchall()


def as_hours(rows: list[tuple]) -> list[Hour]:
    """The rows gathered into each point's, pollutant's hour."""
    hours: dict[tuple, Hour] = {}
    for point_id, pollutant, hour, cause, count, total, device_id in rows:
        key = (point_id, pollutant, _hour_start(hour))
        if key not in hours:
            hours[key] = Hour(point_id, pollutant, key[2], 0, None, None, {}, 0, None)
        row = hours[key]
        row.sent += count
        row.sent_sum = (row.sent_sum or 0) + (total or 0)
        if cause == 0:
            row.valid, row.valid_sum, row.device_id = count, total, device_id
        else:
            row.excluded[CAUSES[cause - 1]] = row.excluded.get(CAUSES[cause - 1], 0) + count
    return list(hours.values())


def limits_in_force(day: dt.date) -> dict[tuple[int, str, str], Limit]:
    """The limit of each point, pollutant and averaging in force on `day` (the latest to begin, if two overlap)."""
    limits = Limit.objects.in_force(day).select_related("point__agency").order_by("valid_from")
    return {(limit.point_id, limit.pollutant, limit.averaging): limit for limit in limits}


def _cause(excluded: dict[str, int]) -> str:
    return max(excluded, key=lambda cause: (excluded[cause], -CAUSES.index(cause))) if excluded else SHORT


def _withhold(judgement: Judgement, limit: Limit, start: dt.datetime, averaging: str, average, excluded) -> None:
    judgement.withheld.append(
        {
            "point": limit.point_id,
            "pollutant": limit.pollutant,
            "averaging": averaging,
            "start": start.isoformat(),
            "average": round(average, 4),
            "limit": str(limit.value),
            "unit": limit.unit,
            "cause": _cause(excluded),
            "excluded": excluded,
        }
    )


def judge(hours: list[Hour], limits: dict, *, day_over: bool, end_of_day: dt.datetime) -> Judgement:
    """Compare the hours (and, once the day is over, the day) of each point and pollutant with its limits."""
    judgement = Judgement()
    agencies = {limit.point.agency for limit in limits.values()}
    hour_minimum = {pk: value.number for pk, value in rules_for("monitoring.hour_valid_minutes", agencies).items()}
    day_minimum = {pk: value.number for pk, value in rules_for("monitoring.day_valid_hours", agencies).items()}
    series: dict[tuple[int, str], list[Hour]] = defaultdict(list)
    for hour in hours:
        series[hour.point_id, hour.pollutant].append(hour)
    for (point_id, pollutant), rows in series.items():
        hourly, daily = limits.get((point_id, pollutant, Averaging.HOUR)), limits.get((point_id, pollutant, "day"))
        if hourly is None and daily is None:
            continue
        agency_id = (hourly or daily).point.agency_id
        valid_hours = []
        for hour in rows:
            judgement.hours_checked += 1
            judgement.excluded_minutes.update(hour.excluded)
            counted = hour.valid >= hour_minimum[agency_id]
            if counted:
                judgement.hours_valid += 1
                valid_hours.append(hour)
            else:
                judgement.excluded_hours[_cause(hour.excluded)] += 1
            if hourly is None:
                continue
            over = counted and hour.average > float(hourly.value)
            if over:
                judgement.findings.append(
                    Finding(
                        point_id=point_id,
                        device_id=hour.device_id,
                        pollutant=pollutant,
                        averaging=Averaging.HOUR,
                        start=hour.start,
                        end=hour.start + dt.timedelta(hours=1),
                        average=hour.average,
                        limit=hourly,
                        valid=hour.valid,
                        excluded=hour.excluded,
                    )
                )
            elif hour.sent and hour.sent_average > float(hourly.value):
                _withhold(judgement, hourly, hour.start, Averaging.HOUR, hour.sent_average, hour.excluded)
        if daily is None or not day_over:
            continue
        excluded = dict(sum((Counter(hour.excluded) for hour in rows), Counter()))
        start = end_of_day - dt.timedelta(days=1)
        if len(valid_hours) >= day_minimum[agency_id]:
            judgement.days_valid += 1
            average = sum(hour.average for hour in valid_hours) / len(valid_hours)
            if average > float(daily.value):
                device = Counter(hour.device_id for hour in valid_hours).most_common(1)[0][0]
                judgement.findings.append(
                    Finding(
                        point_id=point_id,
                        device_id=device,
                        pollutant=pollutant,
                        averaging=Averaging.DAY,
                        start=start,
                        end=end_of_day,
                        average=average,
                        limit=daily,
                        valid=len(valid_hours),
                        excluded=excluded,
                    )
                )
                continue
        sent = sum(hour.sent for hour in rows)
        if sent and sum(hour.sent_sum or 0 for hour in rows) / sent > float(daily.value):
            _withhold(judgement, daily, start, Averaging.DAY, sum(hour.sent_sum or 0 for hour in rows) / sent, excluded)
    return judgement
