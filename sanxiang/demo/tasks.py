"""Demo 检查任务 of 哈尔滨, replayed through the services on their dates: the tasks of the year's draw for the targets
still to inspect, a complaint (reporter recorded, seen by the head only) dispatched, inspected and closed with an
order to correct, a task assigned by the province with its reference number, and a monitoring clue due today for
hrb.officer1 (a logger silent for two days), so the officer's home page lists it under 今日任务; the clues the
platform finds in the monitoring data come from demo.monitoring."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.agencies.models import Agency, User
from sanxiang.cases import services as cases
from sanxiang.cases.models import Party
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.demo.story import Story
from sanxiang.inspections import approvals, task_services
from sanxiang.inspections.approval_selectors import items_for_approval
from sanxiang.inspections.plan_models import Draw, Result
from sanxiang.inspections.task_models import Task


def load_tasks(*, today: dt.date) -> int:
    """The demo tasks, unless 哈尔滨 has some already; the number of tasks."""
    harbin = Agency.objects.get(code="230100")
    if Task.objects.filter(agency=harbin).exists():
        return 0
    staff = {user.username: user for user in User.objects.filter(agency=harbin)}
    head, officer1, officer2 = staff["hrb.head"], staff["hrb.officer1"], staff["hrb.officer2"]
    parties = list(Party.objects.filter(agency=harbin).exclude(uscc="").order_by("pk"))
    story, state = Story(today), {}

    draw = Draw.objects.filter(plan__agency=harbin).first()
    if draw is not None:  # the targets the draw's own story left uninspected
        story.add(story.day(30), lambda: task_services.tasks_from_draw(actor=head, draw=draw))

    reported, inspected = story.day(25), story.day(23)

    def complaint():
        task = task_services.task_create(
            actor=officer1,
            agency=harbin,
            party=parties[2],
            source=Task.Source.COMPLAINT,
            description="群众来电反映该厂夜间露天喷漆，刺激性气味扰民（12345 热线转办）",
            reporter_name="赵淑芬",
            reporter_contact="138****6621",
        )
        state["complaint"] = task_services.task_dispatch(
            actor=head, task=task, officers=[officer1, officer2], due_on=story.later(reported, 5)
        )

    def inspect():
        # not urgent enough to go first: the head approves the inspection (行政检查审批), which it begins on
        request = approvals.approval_request(
            actor=officer2,
            agency=harbin,
            party=parties[2],
            items=items_for_approval(harbin, timezone.localdate())[:1],
            officers=[officer1, officer2],
            source="complaint",
            reason="群众举报夜间露天喷漆、异味扰民",
            task=state["complaint"],
            planned_from=timezone.localdate(),
            planned_to=timezone.localdate(),
        )
        task = task_services.task_start(
            actor=officer2,
            task=state["complaint"],
            started_at=earlier_today(dt.timedelta(hours=2)),
            approval=approvals.approval_approve(actor=head, approval=request, note="同意"),
        )
        cases.inspection_complete(
            actor=officer2,
            inspection=task.inspection,
            ended_at=halfway_to_now(task.inspection.started_at),
            findings="喷漆工序在车间外露天作业，未配套废气收集处理设施，现场有明显异味。",
            violation_found=True,
            signature="signed",
        )
        task_services.task_close(
            actor=officer2,
            task=task,
            result=Result.ORDERED_TO_CORRECT,
            note="责令立即停止露天喷漆作业，15 日内将喷漆工序移入密闭车间并配套废气收集处理设施",
        )

    story.add(reported, complaint)
    story.add(inspected, inspect)

    assigned = story.day(10)

    def province():
        task_services.task_create(
            actor=head,
            agency=harbin,
            party=parties[0],
            source=Task.Source.ASSIGNED,
            reference=f"黑环办〔{assigned.year}〕37号",
            description="省生态环境厅交办：核查该企业危险废物贮存场所环境风险隐患整改情况",
            due_on=story.later(assigned, 15),
        )

    story.add(assigned, province)

    clue = story.day(5)

    def monitoring(party: Party, description: str):
        task = task_services.task_create(
            actor=head, agency=harbin, party=party, source=Task.Source.MONITORING, description=description
        )
        task_services.task_dispatch(actor=head, task=task, officers=[officer1, officer2], due_on=today)

    story.add(clue, lambda: monitoring(parties[3], "在线监测设备连续 48 小时数据缺失，疑似设备停运"))
    story.run()
    return Task.objects.filter(agency=harbin).count()
