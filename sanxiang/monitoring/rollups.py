"""小时汇总: each UTC hour's minute values of every point and pollutant under a limit, counted and summed by device and
by what the data itself says (flag, clock), so that a day's detection reads a few rows an hour instead of every
minute. The worker rolls the hours that are over (`hours_roll_due`); a detection run rolls any hour of its day that is
not rolled or is `stale` (minute values of it stored after it was rolled: services.packets_apply marks the hours it
stores; clues.exceedances_find calls `hours_roll`). What a later fact decides — a mark, a device's review — is applied when the totals are read, never rolled
in: detection judges a point with a mark that day from its minutes.

Written by the system only (the worker, a detection run): derived rows, made again whole, never ledgered; the
values they come from are."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from sanxiang.core.calendar import day_bounds
from sanxiang.monitoring.models import HourRoll, HourTotal

HOUR = dt.timedelta(hours=1)
# An hour is rolled once this long has passed after it: what was received in its last seconds is stored by then.
ROLL_GRACE = dt.timedelta(minutes=2)

_ROLL_SQL = """
INSERT INTO monitoring_hourtotal (point_id, pollutant, hour, device_id, flagged, skewed, count, total)
SELECT r.point_id, r.pollutant, %(hour)s, r.device_id, (r.flag <> 'N' OR r.value IS NULL), r.skewed,
    COUNT(r.value), SUM(r.value)
FROM {source}
GROUP BY r.point_id, r.pollutant, r.device_id, 5, r.skewed
"""
_SOURCE = {
    # SQLite walks the readings' primary key (point, pollutant, averaging, time) one pair under a limit at a time;
    # a pair given its first limit from a day past has its hours rolled again (limit_set calls hours_mark_stale_from)
    "sqlite": """(SELECT DISTINCT point_id, pollutant FROM monitoring_limit) l
    JOIN monitoring_reading r ON r.point_id = l.point_id AND r.pollutant = l.pollutant AND r.averaging = 'minute'
        AND r.data_time >= %(hour)s AND r.data_time < %(end)s""",
    # PostgreSQL reads the hour's rows of its month's partition by the BRIN index on the time: every pair
    "postgresql": """monitoring_reading r
    WHERE r.averaging = 'minute' AND r.data_time >= %(hour)s AND r.data_time < %(end)s""",
}


def hour_roll(*, hour: dt.datetime) -> None:
    """Make `hour`'s totals again from its minute values, in one transaction."""
    # the hour's row exists before the transaction locks it: a store that marks the hour stale meanwhile waits for
    # the lock (and marks it after), or holds it and the roll's reading waits for the store's commit (and sees it)
    HourRoll.objects.get_or_create(hour=hour)
    ops = connection.ops
    with transaction.atomic(durable=True):  # never inside a longer transaction: a store would wait on its locks
        roll = HourRoll.objects.select_for_update().get(hour=hour)
        HourTotal.objects.filter(hour=hour).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                _ROLL_SQL.format(source=_SOURCE[connection.vendor]),
                {"hour": ops.adapt_datetimefield_value(hour), "end": ops.adapt_datetimefield_value(hour + HOUR)},
            )
        roll.stale, roll.rolled_at = False, timezone.now()
        roll.save(update_fields=["stale", "rolled_at"])


def hours_roll(*, start: dt.datetime, end: dt.datetime) -> int:
    """Roll every hour from `start` to `end` not rolled or stale; returns how many were rolled."""
    whole = set(HourRoll.objects.filter(hour__gte=start, hour__lt=end, stale=False).values_list("hour", flat=True))
    hour, rolled = start, 0
    while hour < end:
        if hour not in whole:
            hour_roll(hour=hour)
            rolled += 1
        hour += HOUR
    return rolled


def hours_roll_due(*, now: dt.datetime | None = None) -> int:
    """Roll the hours that are over and whose minute values changed since they were rolled (the worker's task)."""
    cutoff = (now or timezone.now()) - HOUR - ROLL_GRACE
    due = list(HourRoll.objects.filter(stale=True, hour__lte=cutoff).order_by("hour").values_list("hour", flat=True))
    for hour in due:
        hour_roll(hour=hour)
    return len(due)


def hours_mark_stale(*, hours: set[dt.datetime]) -> None:
    """Mark hours whose minute values were just stored (in the storing transaction)."""
    HourRoll.objects.bulk_create(
        [HourRoll(hour=hour, stale=True) for hour in sorted(hours)],
        update_conflicts=True,
        unique_fields=["hour"],
        update_fields=["stale"],
    )


def hours_mark_stale_from(*, day: dt.date) -> None:
    """A pair of point and pollutant has its first limit from `day`: where the totals hold only pairs under a limit
    (SQLite), mark every rolled hour from then on."""
    if connection.vendor == "sqlite":
        HourRoll.objects.filter(hour__gte=day_bounds(day)[0]).update(stale=True)
