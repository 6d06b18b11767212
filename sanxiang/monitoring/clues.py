"""Writes of the clue side of the monitoring app: a day's detection run and the exceedances it finds (detection does
the arithmetic), each new one made a clue — an inspection task of the point's agency, one per point and day — by the
platform itself (task_create accepts no actor as the platform: a background job, like a draw's tasks).

One transaction per run with its ledger entries: the run, each exceedance found, each one handed to a task."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.core.calendar import day_bounds
from sanxiang.inspections.task_models import Task
from sanxiang.inspections.task_services import task_create
from sanxiang.ledger.services import ledger_append
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.monitoring import detection, rollups
from sanxiang.monitoring.models import Averaging, DetectionRun, Exceedance, Point
from sanxiang.monitoring.pollutants import BY_CODE

FOUND, TASKED, IN_CASE = Exceedance.Status.FOUND, Exceedance.Status.TASKED, Exceedance.Status.IN_CASE

# Moves the platform makes (no roles: no person finds an exceedance or hands it on; an officer opening a case from
# its task is the actor of the last).
EXCEEDANCE = StateMachine(
    model=Exceedance,
    prefix="exceedance",
    versioned=False,
    related=("point", "agency"),
    refused=gettext_lazy("超标线索当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "find": Move({NEW}, FOUND, gettext_lazy("发现超标线索")),
        "assign": Move({FOUND}, TASKED, gettext_lazy("超标线索转为检查任务")),
        "evidence": Move({TASKED}, IN_CASE, gettext_lazy("超标线索作为案件证据")),
    },
)
LEDGER_ACTIONS = EXCEEDANCE.labels() | {"monitoring.detect": gettext_lazy("在线监控超标判定")}
TASK_DESCRIPTION_LIMIT = 300


def exceedances_find(*, day: dt.date, now: dt.datetime | None = None) -> DetectionRun:
    """Judge `day` (its hours that are over, and the day itself once it is over) for every limit in force, store the
    exceedances not found before — a run again finds nothing new — and make the new ones clues: one inspection task
    per point and day. The run keeps what it did not count and why."""
    now = now or timezone.now()
    started = timezone.now()
    _start, end = day_bounds(day)
    first, last = detection.over_hours(day, until=now)
    rollups.hours_roll(start=first, end=last)  # the hours' totals the detection reads
    hours = detection.hours_of(day, until=now)
    judgement = detection.judge(hours, detection.limits_in_force(day), day_over=end <= now, end_of_day=end)
    with transaction.atomic():
        run = DetectionRun.objects.create(
            day=day,
            started_at=started,
            finished_at=timezone.now(),
            hours_checked=judgement.hours_checked,
            hours_valid=judgement.hours_valid,
            days_valid=judgement.days_valid,
            excluded_minutes=dict(judgement.excluded_minutes),
            excluded_hours=dict(judgement.excluded_hours),
            withheld=judgement.withheld,
        )
        found = _store(run, judgement.findings)
        run.findings = len(found)
        run.save(update_fields=["findings"])
        ledger_append(
            actor=None,
            agency=None,
            action="monitoring.detect",
            subject=run,
            data={
                "day": day,
                "hours_checked": run.hours_checked,
                "hours_valid": run.hours_valid,
                "findings": run.findings,
                "excluded_minutes": run.excluded_minutes,
                "withheld": len(run.withheld),
            },
        )
        clues_assign(exceedances=found)
    return run


def _store(run: DetectionRun, findings: list[detection.Finding]) -> list[Exceedance]:
    """The findings not stored before, created in one statement with their entries (a province's day can find
    thousands)."""
    keys = {(finding.point_id, finding.pollutant, finding.averaging, finding.start) for finding in findings}
    known = set(
        Exceedance.objects.filter(
            point_id__in={key[0] for key in keys}, period_start__in={key[3] for key in keys}
        ).values_list("point_id", "pollutant", "averaging", "period_start")
    )
    points = Point.objects.select_related("agency").in_bulk({finding.point_id for finding in findings})
    fresh = []
    for finding in findings:
        if (finding.point_id, finding.pollutant, finding.averaging, finding.start) in known:
            continue
        limit = finding.limit
        exceedance = Exceedance(
            agency=points[finding.point_id].agency,
            point=points[finding.point_id],
            device_id=finding.device_id,
            pollutant=finding.pollutant,
            averaging=finding.averaging,
            period_start=finding.start,
            period_end=finding.end,
            average=Decimal(f"{finding.average:.4f}"),
            limit=limit,
            limit_value=limit.value,
            limit_unit=limit.unit,
            limit_source=limit.source,
            valid_count=finding.valid,
            excluded=finding.excluded,
            run=run,
            found_at=run.finished_at,
        )
        fresh.append(EXCEEDANCE.start(exceedance, "find"))
    EXCEEDANCE.commit_many(None, fresh, "find", _facts)
    return fresh


def _facts(exceedance: Exceedance) -> dict:
    return {
        "point": exceedance.point_id,
        "device": exceedance.device_id,
        "pollutant": exceedance.pollutant,
        "averaging": exceedance.averaging,
        "period_start": exceedance.period_start,
        "period_end": exceedance.period_end,
        "average": exceedance.average,
        "limit": exceedance.limit_id,
        "limit_value": exceedance.limit_value,
        "limit_unit": exceedance.limit_unit,
        "limit_source": exceedance.limit_source,
        "valid_count": exceedance.valid_count,
        "excluded": exceedance.excluded,
    }


def describe(exceedance: Exceedance) -> str:
    """One line for a person: pollutant, period, average against the limit."""
    pollutant = BY_CODE.get(exceedance.pollutant)
    start = timezone.localtime(exceedance.period_start)
    period = f"{start:%H}时" if exceedance.averaging == Averaging.HOUR else _("日均")
    return _("%(name)s %(period)s %(average)s>%(limit)s%(unit)s") % {
        "name": pollutant.name if pollutant else exceedance.pollutant,
        "period": period,
        "average": f"{exceedance.average.normalize():f}",
        "limit": f"{exceedance.limit_value.normalize():f}",
        "unit": exceedance.limit_unit,
    }


def _description(point: Point, day: dt.date, exceedances: list[Exceedance]) -> str:
    head = _("在线监控超标线索：%(point)s（%(outlet)s）%(day)s：") % {
        "point": point.name,
        "outlet": point.outlet_code,
        "day": f"{day:%Y-%m-%d}",
    }
    lines = [describe(exceedance) for exceedance in exceedances]
    text = head + "；".join(lines)
    while len(text) > TASK_DESCRIPTION_LIMIT and len(lines) > 1:
        lines.pop()
        text = head + "；".join(lines) + _("等 %(count)d 项") % {"count": len(exceedances)}
    return text[:TASK_DESCRIPTION_LIMIT]


@transaction.atomic
def clues_assign(*, exceedances: list[Exceedance]) -> list[Task]:
    """Make each found exceedance a clue: the inspection task of its point and day — the open one if an earlier run
    made it, a new one of the point's agency otherwise (source 监测线索), so one enterprise outlet's day is one task
    however many pollutants and hours it exceeded in. A task its agency may not register (the enterprise outside
    its scope) leaves the exceedance found, on the clue list, for a person to judge."""
    groups: dict[tuple[int, dt.date], list[Exceedance]] = defaultdict(list)
    for exceedance in exceedances:
        groups[exceedance.point_id, timezone.localdate(exceedance.period_start)].append(exceedance)
    tasks = []
    for (point_id, day), group in sorted(groups.items()):
        point = Point.objects.select_related("agency", "party__agency").get(pk=point_id)
        task = _open_task(point, day)
        if task is None:
            try:
                task = task_create(
                    actor=None,
                    agency=point.agency,
                    party=point.party,
                    source=Task.Source.MONITORING,
                    description=_description(point, day, group),
                )
            except ValidationError:
                continue
        locked = EXCEEDANCE.lock_many(group, "assign")
        for exceedance in locked:
            exceedance.task = task
        EXCEEDANCE.commit_many(
            None, locked, "assign", lambda exceedance: {"task": exceedance.task_id}, fields=("task",)
        )
        tasks.append(task)
    return tasks


def _open_task(point: Point, day: dt.date) -> Task | None:
    start, end = day_bounds(day)
    exceedance = (
        Exceedance.objects.filter(point=point, period_start__gte=start, period_start__lt=end, task__isnull=False)
        .exclude(task__status__in=[Task.Status.DONE, Task.Status.CANCELLED])
        .select_related("task")
        .first()
    )
    return exceedance.task if exceedance else None
