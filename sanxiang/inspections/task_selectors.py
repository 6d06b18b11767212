"""Reads of 检查任务: the access gate of a task, the lists (the agency's, an officer's own, today's), who sees a
reporter, and the draws a head may still make tasks from."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.cases.gates import is_head
from sanxiang.inspections.plan_models import Draw, DrawTarget, Plan
from sanxiang.inspections.task_models import Task, TaskReporter
from sanxiang.inspections.task_services import TASK

OPEN_STATES = (Task.Status.DISPATCHED, Task.Status.IN_PROGRESS)


def _rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("agency", "party").prefetch_related("officers")


def task_get_for_user(*, user, task_id) -> Task:
    """A task of an agency the user may see, or one the user was dispatched to (404 otherwise)."""
    task = _rows(Task.objects.visible_to(user)).select_related("inspection", "case", "draw_target__plan")
    task = task.filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def tasks_for_user(user, *, status: str = "", area: str = "", mine: bool = False) -> QuerySet[Task]:
    """The tasks the user may see, newest first; `status` one state, `area` a division code or its prefix, `mine`
    only those the user was dispatched to."""
    tasks = Task.objects.visible_to(user)
    if mine:
        tasks = tasks.filter(officers=user)
    if status in Task.Status.values:
        tasks = tasks.filter(status=status)
    if area:
        tasks = tasks.filter(division__startswith=area)
    return _rows(tasks).order_by("-id")


def open_tasks(user) -> QuerySet[Task]:
    """The tasks not yet done or cancelled that an inspection approval may rest on (a complaint, an assignment, a
    monitoring clue), in the user's scope."""
    tasks = Task.objects.visible_to(user).exclude(status__in=(Task.Status.DONE, Task.Status.CANCELLED))
    return tasks.exclude(source=Task.Source.RANDOM).select_related("party").order_by("-id")


def tasks_due(user, *, today: dt.date) -> QuerySet[Task]:
    """今日任务: the user's dispatched or started tasks due today or overdue, the earliest first."""
    tasks = Task.objects.filter(officers=user, status__in=OPEN_STATES, due_on__lte=today)
    return _rows(tasks).order_by("due_on", "id")


def areas_for_user(user) -> list[str]:
    """The division codes of the tasks the user may see, for the area filter."""
    divisions = Task.objects.visible_to(user).exclude(division="").values_list("division", flat=True)
    return sorted(set(divisions))


def sees_reporter(user, task: Task) -> bool:
    """Only the heads of the task's agency (or of one above it) read a reporter's identity (《环境保护法》第五十七条:
    the agency keeps it confidential) — not the officers sent to the enterprise."""
    return is_head(user, task.agency)


def reporter_for(user, task: Task) -> TaskReporter | None:
    """The task's reporter for a head; None for anyone else, whether or not one was recorded."""
    if not sees_reporter(user, task):
        return None
    return TaskReporter.objects.filter(task=task).first()


def may_register(user) -> bool:
    """Whether the user may register a task of their own agency (the service checks the same)."""
    return user.agency is not None and TASK.permits(user, user.agency, "create")


def draws_for_user(user) -> QuerySet[Draw]:
    """The draws of the plans the user may see: what a request to make tasks may name (the service says why one is
    refused)."""
    return Draw.objects.filter(plan__in=Plan.objects.visible_to(user)).select_related("plan")


def draws_without_tasks(user) -> QuerySet[Draw]:
    """The draws of the plans the user may make tasks from (a head of the plan's agency), still being worked, with
    targets waiting and no task made from them yet."""
    if user.agency is None or not TASK.permits(user, user.agency, "draw"):
        return Draw.objects.none()
    plans = Plan.objects.visible_to(user).filter(status=Plan.Status.DRAWN)
    waiting = DrawTarget.objects.filter(status=DrawTarget.Status.DRAWN).values("plan")
    return (
        Draw.objects.filter(plan__in=plans)
        .filter(plan__in=waiting)
        .exclude(plan__targets__task__isnull=False)
        .select_related("plan")
        .order_by("-performed_at")
    )
