"""Workbench pages of 检查任务, phone first: the list (the agency's with filters, or the officer's own), a new task,
tasks made from a draw, and a task with the steps offered to the user."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies.models import Role
from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service
from sanxiang.inspections import task_selectors, task_services
from sanxiang.inspections.approvals import APPROVAL
from sanxiang.inspections.plan_selectors import party_by_uscc
from sanxiang.inspections.task_actions import WORKFLOW
from sanxiang.inspections.task_forms import FromDrawForm, TaskCreateForm
from sanxiang.inspections.task_models import Task

PAGE = 200


def task_list(request):
    """The tasks in the user's scope by status and area; an officer starts on their own ("mine")."""
    user = request.user
    officer = Role.OFFICER in user.roles
    mine = request.GET.get("mine", "1" if officer else "") == "1"
    status, area = request.GET.get("status", ""), request.GET.get("area", "").strip()
    draws = task_selectors.draws_without_tasks(user)
    context = {
        "tasks": task_selectors.tasks_for_user(user, status=status, area=area, mine=mine)[:PAGE],
        "mine": mine,
        "officer": officer,
        "status": status,
        "area": area,
        "statuses": Task.Status.choices,
        "areas": task_selectors.areas_for_user(user),
        "may_register": task_selectors.may_register(user),
        "from_draw": FromDrawForm(draws=draws) if draws.exists() else None,
        "today": timezone.localdate(),
    }
    return render(request, "inspections/tasks/list.html", context)


def task_create(request):
    """登记 a task of the user's own agency."""
    user, agency = request.user, request.user.agency
    if not task_selectors.may_register(user):
        raise Http404
    form = TaskCreateForm(request.POST or None)
    if request.method == "POST":
        task = run_service(
            form,
            lambda data: task_services.task_create(
                actor=user,
                agency=agency,
                party=party_by_uscc(user, data["uscc"]),
                source=data["source"],
                description=data["description"],
                due_on=data["due_on"],
                reference=data["reference"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
            ),
        )
        if task is not None:
            messages.success(request, _("检查任务已登记，请负责人派发。"))
            return redirect("tasks:task", task.pk)
    return render(request, "inspections/tasks/create.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def tasks_from_draw(request):
    """A head makes the tasks of a draw: one for each drawn target waiting to be inspected."""
    form = FromDrawForm(request.POST, draws=task_selectors.draws_for_user(request.user))
    tasks = run_service(form, lambda data: task_services.tasks_from_draw(actor=request.user, draw=data["draw"]))
    if tasks is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("已生成 %(n)d 项检查任务。") % {"n": len(tasks)})
    return redirect("tasks:list")


def task_detail(request, task_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """One task: its enterprise and source, the reporter (heads only), its officers, inspection and result, and the
    steps the user may take."""
    task = task_selectors.task_get_for_user(user=request.user, task_id=task_id)
    now = timezone.localtime()
    initial = {
        "version": task.version,
        "due_on": task.due_on,
        "officers": list(task.officers.all()),
        "place": task.party.address,
        "started_at": now.replace(second=0, microsecond=0),
    }
    context = {
        "task": task,
        "reporter": task_selectors.reporter_for(request.user, task),
        "actions": WORKFLOW.forms(request.user, task, initial=initial, bound=bound),
        "waiting": WORKFLOW.waiting_on_others(request.user, task),
        "today": now.date(),
        # the approval its inspection begins on is asked for by whoever may ask (an officer or head)
        "requests_approval": request.user.agency_id is not None
        and APPROVAL.permits(request.user, request.user.agency, "request"),
    }
    return render(request, "inspections/tasks/detail.html", context, status=status)


@require_POST
def task_action(request, task_id: int, action: str):
    task = task_selectors.task_get_for_user(user=request.user, task_id=task_id)
    return action_post(request, WORKFLOW, task, action, page=task_detail)
