"""Minute data sent through the intake and stored as the listener stores it, limits, and a case opened from the
inspection of a monitoring clue — for the tests of detection, clues and the art-41 gate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.cases.models import Inspection, Violation
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.inspections import task_services
from sanxiang.inspections.task_models import Task
from sanxiang.monitoring import segments, services
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.intake import Intake
from sanxiang.monitoring.models import Limit
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import at
from sanxiang.testing.monitoring import make_device, make_point, upload

SO2 = "a21026"
NOX = "a21002"
SOURCE = "排污许可证 91230100MA1234567X001P；GB 13223-2011 表1"


def segment_files(settings, tmp_path):
    """The body of a test module's `files` fixture: the segment writer over a private data folder."""
    settings.DATA_DIR = tmp_path
    writer = segments.SegmentFiles()
    yield writer
    writer.close()


def local_hour(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def make_limit(point, *, pollutant=SO2, averaging="hour", value="100", **overrides) -> Limit:
    values = {
        "point": point,
        "pollutant": pollutant,
        "averaging": averaging,
        "value": Decimal(value),
        "unit": "mg/m3",
        "source": SOURCE,
        "valid_from": dt.date(2026, 1, 1),
    }
    values.update(overrides)
    return Limit.objects.create(**values)


def send(files, device, start: dt.datetime, values: dict, *, minutes=60, flag="N", skewed=False, first=0):
    """`minutes` minute uploads of `values` {code: value} from `start` (+`first` minutes), each received 30 s after
    its minute — by a device whose clock is 30 minutes off when `skewed` — and stored in one batch."""
    intake, judged = Intake(), []
    for minute in range(first, first + minutes):
        moment = start + dt.timedelta(minutes=minute)
        received = moment + dt.timedelta(seconds=30)
        sent = received - dt.timedelta(minutes=30) if skewed else received
        data = {code: (value, flag) for code, value in values.items()}
        raw = upload(device.mn, moment, data, sent_at=sent, serial=minute % 1000)
        judged.append(intake.judge(raw, received_at=received, peer="127.0.0.1:5000"))
    return services.packets_store(items=judged, files=files)


def monitored(agency, **device):
    """A point under an hourly SO2 limit of 100 mg/m3 and its device (reviewed unless `reviewed=False`)."""
    point = make_point(agency)
    make_limit(point)
    return make_device(point, **device)


DATA_DAY = dt.date(2026, 8, 30)
INSPECTED = dt.date(2026, 8, 31)
DISCOVERED = dt.date(2026, 9, 1)


def clue_case(world, files, *, act_date=DATA_DAY):
    """An exceedance of 30 August 2026 (10:00–11:00, SO2 180 > 100), its clue inspected on 31 August, and the case
    opened from that inspection on 1 September by the officer."""
    people = world.people
    with at(INSPECTED, 9):
        device = monitored(world.harbin)
        send(files, device, local_hour(DATA_DAY, 10), {SO2: 180.0})
        exceedances_find(day=DATA_DAY)
        services.segments_seal()
        task = Task.objects.get(source=Task.Source.MONITORING, party=device.point.party)
        task = task_services.task_dispatch(
            actor=people.head, task=task, officers=[people.officer, people.partner], due_on=INSPECTED
        )
    with at(INSPECTED, 15):
        start = earlier_today(dt.timedelta(hours=2))
        task = task_services.task_start(actor=people.officer, task=task, started_at=start, **EMERGENCY)
        cases.inspection_complete(
            actor=people.officer,
            inspection=task.inspection,
            ended_at=halfway_to_now(start),
            findings="在线监控显示二氧化硫小时均值超标，现场脱硫设施运行异常。",
            violation_found=True,
            signature="signed",
        )
    with at(DISCOVERED):
        case = cases.case_open(
            actor=people.officer,
            agency=world.harbin,
            party=device.point.party,
            title="超标排放大气污染物案",
            source="inspection",
            act_date=act_date,
            discovered_on=DISCOVERED,
            inspection=Inspection.objects.get(pk=task.inspection_id),  # completed since the task was read
            violation=Violation.objects.get(code="DQ-99"),
            summary="在线监控数据显示二氧化硫小时均值超过排放限值。",
            act_division=world.harbin.code,
            act_place=device.point.address,
        )
    return case, device
