"""The hours' totals detection reads instead of every minute: rolled by the worker once an hour is over, made again
whole when values of the hour arrive after it was rolled; a mark recorded or a limit first set after the roll still
decides what is counted; and the totals come to the same hours as the minute values themselves."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.monitoring import detection, registry, rollups
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.models import Exceedance, HourRoll, HourTotal
from sanxiang.testing.clues import NOX, SO2, SOURCE, local_hour, monitored, send
from sanxiang.testing.monitoring import make_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return timezone.localdate() - dt.timedelta(days=2)


def test_an_hour_is_rolled_by_the_worker_once_it_is_over_and_again_only_when_its_values_change(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 50.0})
    ten = local_hour(day, 10)
    assert HourRoll.objects.get(hour=ten).stale
    assert rollups.hours_roll_due(now=ten + dt.timedelta(minutes=61)) == 0  # not over with its grace yet
    assert rollups.hours_roll_due(now=ten + dt.timedelta(minutes=63)) == 1
    total = HourTotal.objects.get(hour=ten)
    assert (total.point_id, total.pollutant, total.count, total.total) == (device.point_id, SO2, 60, 3000.0)
    assert (total.flagged, total.skewed) == (False, False)
    assert rollups.hours_roll_due() == 0  # nothing changed
    rollups.hour_roll(hour=ten)
    assert HourTotal.objects.filter(hour=ten).count() == 1  # made again whole, never added to


def test_values_stored_after_their_hour_was_rolled_are_counted_by_the_next_detection(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 50.0}, minutes=30)
    rollups.hours_roll_due()
    run = exceedances_find(day=day)
    assert run.hours_valid == 0 and run.excluded_hours == {"short": 1}  # 30 minutes: short of the 45
    send(files, device, local_hour(day, 10), {SO2: 250.0}, minutes=30, first=30)  # the logger's backlog, late
    assert HourRoll.objects.get(hour=local_hour(day, 10)).stale
    exceedances_find(day=day)
    assert Exceedance.objects.get().average == 150


def test_a_mark_recorded_after_the_roll_keeps_its_minutes_out(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 300.0})
    rollups.hours_roll_due()
    registry.mark_record(
        actor=world.people.officer,
        point=device.point,
        kind="maintenance",
        starts_at=local_hour(day, 9),
        ends_at=local_hour(day, 12),
        reason="烟气分析仪例行维护（运维记录 YW-0101）",
    )
    run = exceedances_find(day=day)
    assert not Exceedance.objects.exists() and run.excluded_minutes == {"mark": 60}


def test_a_first_limit_set_after_the_roll_has_its_pairs_hours_rolled_again(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 50.0, NOX: 400.0})
    rollups.hours_roll_due()
    registry.limit_set(
        actor=world.people.officer,
        point=device.point,
        pollutant=NOX,
        averaging="hour",
        value=200,
        source=SOURCE,
        valid_from=day,
    )
    exceedances_find(day=day)
    assert Exceedance.objects.get().pollutant == NOX


def test_the_totals_come_to_the_same_hours_as_the_minute_values(world, files, day):
    unreviewed = monitored(world.harbin, reviewed=False)
    clean, skewed = monitored(world.harbin), monitored(world.harbin)
    second = make_device(clean.point, mn="230100TEST000888")  # a point with two devices in one hour
    send(files, clean, local_hour(day, 8), {SO2: 120.0}, minutes=40)
    send(files, second, local_hour(day, 8), {SO2: 60.0}, minutes=20, first=40)
    send(files, clean, local_hour(day, 9), {SO2: 130.0}, minutes=50, flag="D")
    send(files, skewed, local_hour(day, 8), {SO2: 140.0}, skewed=True)
    send(files, unreviewed, local_hour(day, 8), {SO2: 150.0})
    until = timezone.now()
    rollups.hours_roll(start=local_hour(day, 0), end=local_hour(day, 0) + dt.timedelta(days=1))
    from_totals = detection.hours_of(day, until=until)
    start, end = local_hour(day, 0), local_hour(day, 0) + dt.timedelta(days=1)
    every = {device.point_id for device in (clean, skewed, unreviewed)}
    # every point as if it had a mark that day: counted from its minute values
    minutes = detection.minute_rows(day, start, end, [SO2], marked=every, unusable={unreviewed.pk})
    assert sorted(_as_tuples(from_totals)) == sorted(_as_tuples(detection.as_hours(minutes)))
    by_point = {(hour.point_id, hour.start.hour): hour for hour in from_totals}
    eight = by_point[clean.point_id, local_hour(day, 8).astimezone(dt.UTC).hour]
    assert (eight.valid, eight.average, eight.device_id) == (60, 100.0, second.pk)


def _as_tuples(hours):
    return [
        (h.point_id, h.pollutant, h.start, h.valid, round(h.valid_sum or 0, 6), h.device_id, h.excluded, h.sent)
        for h in hours
    ]
