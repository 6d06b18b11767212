"""Exceedances found the lawful way: hourly averages of the counted minute values only (flag N, outside marks, clock
not skewed, device reviewed by that day), an hour only with enough valid minutes, a day's average of its valid hours;
what was kept out counted by cause on the run; reruns find nothing twice; each new exceedance a task, one per point
and day."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.inspections.task_models import Task
from sanxiang.ledger.models import Entry
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.models import DetectionRun, Device, Exceedance, Mark
from sanxiang.testing.clues import NOX, SO2, SOURCE, local_hour, make_limit, monitored, send
from sanxiang.testing.monitoring import make_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return timezone.localdate() - dt.timedelta(days=2)


def entries(action: str) -> list[dict]:
    return [json.loads(entry.body)["data"] for entry in Entry.objects.filter(action=action).order_by("index")]


def test_an_hour_over_its_limit_is_found_with_its_values_its_averaging_and_the_limits_source(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 150.0}, minutes=30)
    send(files, device, local_hour(day, 10), {SO2: 90.0}, minutes=30, first=30)
    send(files, device, local_hour(day, 11), {SO2: 80.0})
    run = exceedances_find(day=day)
    exceedance = Exceedance.objects.get()
    assert (exceedance.point, exceedance.device, exceedance.pollutant) == (device.point, device, SO2)
    assert exceedance.averaging == "hour" and exceedance.period_start == local_hour(day, 10)
    assert exceedance.period_end == local_hour(day, 11)
    assert exceedance.average == 120 and exceedance.valid_count == 60
    assert (exceedance.limit_value, exceedance.limit_unit, exceedance.limit_source) == (100, "mg/m3", SOURCE)
    assert (run.hours_checked, run.hours_valid, run.findings) == (2, 2, 1)
    found = entries("exceedance.find")[0]
    assert found["average"] == "120.0000" and found["limit_source"] == SOURCE and found["averaging"] == "hour"
    assert entries("monitoring.detect")[0]["findings"] == 1


def test_a_maintenance_flag_hides_an_exceedance_and_the_run_says_so(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 300.0}, flag="M")
    run = exceedances_find(day=day)
    assert not Exceedance.objects.exists()
    assert run.excluded_minutes == {"flag": 60} and run.excluded_hours == {"flag": 1}
    [withheld] = run.withheld
    assert withheld["cause"] == "flag" and withheld["average"] == 300.0 and withheld["point"] == device.point_id


def test_minutes_inside_a_mark_of_the_point_are_not_counted(world, files, day):
    device = monitored(world.harbin)
    Mark.objects.create(
        point=device.point,
        kind="检修",
        starts_at=local_hour(day, 10) + dt.timedelta(minutes=20),
        ends_at=local_hour(day, 12),
        reason="脱硫塔检修",
    )
    send(files, device, local_hour(day, 10), {SO2: 300.0})
    run = exceedances_find(day=day)
    assert not Exceedance.objects.exists()  # 20 valid minutes are fewer than the 45 an hour needs
    assert run.excluded_minutes == {"mark": 40} and run.withheld[0]["cause"] == "mark"


def test_values_of_a_skewed_clock_are_not_counted(world, files, day):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 300.0}, skewed=True)
    run = exceedances_find(day=day)
    assert not Exceedance.objects.exists() and run.excluded_minutes == {"skew": 60}


def test_the_data_of_a_device_without_a_passed_review_is_not_used(world, files, day):
    unreviewed = monitored(world.harbin, reviewed=False)
    late = monitored(world.harbin, review_passed_on=day + dt.timedelta(days=1))
    retired = monitored(world.harbin)
    for device in (unreviewed, late, retired):
        send(files, device, local_hour(day, 10), {SO2: 300.0})
    Device.objects.filter(pk=retired.pk).update(retired_on=day)  # retired that day, its data in before
    run = exceedances_find(day=day)
    assert not Exceedance.objects.exists()
    assert run.excluded_minutes == {"device": 180} and {row["cause"] for row in run.withheld} == {"device"}


def test_an_hour_needs_45_valid_minutes(world, files, day):
    short, enough = monitored(world.harbin), monitored(world.harbin)
    send(files, short, local_hour(day, 10), {SO2: 300.0}, minutes=44)
    send(files, short, local_hour(day, 10), {SO2: 300.0}, minutes=16, first=44, flag="S")  # S: a set value
    send(files, enough, local_hour(day, 10), {SO2: 300.0}, minutes=45)
    run = exceedances_find(day=day)
    assert list(Exceedance.objects.values_list("point_id", "valid_count")) == [(enough.point_id, 45)]
    assert run.excluded_hours == {"flag": 1}


def test_the_daily_average_is_the_mean_of_the_valid_hours_and_needs_20_of_them(world, files, day):
    full, short = monitored(world.harbin), monitored(world.harbin)
    for device in (full, short):
        make_limit(device.point, averaging="day", value="50")
    for hour in range(20):
        # the first hour's 45 minutes weigh as much as any other hour's 60: 19 × 40 + 1 × 240 = 1000, ÷ 20 = 50.0…
        value, minutes = (240.0, 45) if hour == 0 else (40.0 + 0.1, 60)
        send(files, full, local_hour(day, hour), {SO2: value}, minutes=minutes)
        if hour < 19:
            send(files, short, local_hour(day, hour), {SO2: 90.0}, minutes=60)
    run = exceedances_find(day=day)
    daily = Exceedance.objects.get(averaging="day")
    assert daily.point == full.point and daily.valid_count == 20
    assert float(daily.average) == pytest.approx((240.0 + 19 * 40.1) / 20, abs=1e-4)
    assert daily.period_start == local_hour(day, 0) and daily.period_end == local_hour(day + dt.timedelta(days=1), 0)
    assert not Exceedance.objects.filter(point=short.point, averaging="day").exists()  # 19 valid hours
    assert run.days_valid == 1
    assert {row["cause"] for row in run.withheld if row["averaging"] == "day"} == {"short"}


def test_a_rerun_finds_nothing_twice_and_several_exceedances_of_a_point_and_day_make_one_task(world, files, day):
    device = monitored(world.harbin)
    make_limit(device.point, pollutant=NOX, value="200")
    send(files, device, local_hour(day, 10), {SO2: 150.0, NOX: 250.0})
    send(files, device, local_hour(day, 14), {SO2: 130.0, NOX: 100.0})
    first = exceedances_find(day=day)
    again = exceedances_find(day=day)
    assert (first.findings, again.findings) == (3, 0) and DetectionRun.objects.count() == 2
    assert Exceedance.objects.count() == 3
    task = Task.objects.get()
    assert (task.source, task.agency, task.party, task.status) == (
        "monitoring",
        world.harbin,
        device.point.party,
        "new",
    )
    assert "二氧化硫" in task.description and "氮氧化物" in task.description
    assert set(Exceedance.objects.values_list("status", "task")) == {("tasked", task.pk)}
    assert len(entries("exceedance.find")) == 3 and len(entries("exceedance.assign")) == 3
    assert entries("task.create")[0]["source"] == "monitoring"


def test_another_points_data_and_the_hours_not_over_are_left_alone(world, files):
    device = monitored(world.harbin)
    other = make_device(device.point)  # a second device of the same point: its data count as the point's
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    send(files, other, now - dt.timedelta(hours=2), {SO2: 300.0})
    send(files, device, now, {SO2: 300.0}, minutes=1)  # the hour now running is not judged
    run = exceedances_find(day=now.date())
    if now.hour >= 2:  # just after midnight the hour two hours ago was yesterday
        assert Exceedance.objects.get().device == other
    assert run.hours_checked == (1 if now.hour >= 2 else 0)


def test_the_command_detects_a_day(world, files, day, capsys):
    device = monitored(world.harbin)
    send(files, device, local_hour(day, 10), {SO2: 150.0})
    call_command("monitoring", "detect", "--day", day.isoformat())
    assert "新发现超标 1" in capsys.readouterr().out and Exceedance.objects.count() == 1
