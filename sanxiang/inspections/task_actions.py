"""The moves of a 检查任务 as its page and API offer them (a core.actions.Workflow): dispatch, start the inspection,
close with the result, cancel. Each is offered to the roles its move names in task_services.TASK — starting only to
the task's officers, closing to them and the heads; the services check everything again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.cases.gates import is_head
from sanxiang.cases.models import Inspection
from sanxiang.core.actions import Action, Workflow
from sanxiang.inspections import task_services
from sanxiang.inspections.task_forms import CancelForm, CloseForm, DispatchForm, StartForm
from sanxiang.inspections.task_services import TASK


def _allowed(user, task, move: str) -> bool:
    # the roles are the Workflow's to judge: a step outside them shows as waiting on others
    return TASK.allows(task, move)


def _officer_ids(task) -> set[int]:
    return {officer.pk for officer in task.officers.all()}


def _may_close(user, task, officers) -> bool:
    completed = task.inspection is not None and task.inspection.status == Inspection.Status.COMPLETED
    return _allowed(user, task, "close") and completed and (user.pk in officers or is_head(user, task.agency))


WORKFLOW = Workflow(
    [
        Action(
            "dispatch",
            _("派发任务"),
            DispatchForm,
            lambda u, t, data: task_services.task_dispatch(
                actor=u, task=t, officers=data["officers"], due_on=data["due_on"], version=data["version"]
            ),
            roles=TASK.moves["dispatch"].roles,
            offered=lambda u, t, officers: _allowed(u, t, "dispatch"),
        ),
        Action(
            "start",
            _("开始现场检查"),
            StartForm,
            lambda u, t, data: task_services.task_start(
                actor=u,
                task=t,
                place=data["place"],
                started_at=data["started_at"],
                late_reason=data["late_reason"],
                version=data["version"],
                approval=data["approval"],
                emergency_ground=data["emergency_ground"],
                emergency_note=data["emergency_note"],
            ),
            roles=TASK.moves["start"].roles,
            offered=lambda u, t, officers: _allowed(u, t, "start") and u.pk in officers,
        ),
        Action(
            "close",
            _("办结任务"),
            CloseForm,
            lambda u, t, data: task_services.task_close(
                actor=u, task=t, result=data["result"], note=data["note"], case=data["case"], version=data["version"]
            ),
            roles=TASK.moves["close"].roles,
            offered=_may_close,
        ),
        Action(
            "cancel",
            _("撤销任务"),
            CancelForm,
            lambda u, t, data: task_services.task_cancel(
                actor=u, task=t, reason=data["reason"], version=data["version"]
            ),
            roles=TASK.moves["cancel"].roles,
            offered=lambda u, t, officers: _allowed(u, t, "cancel"),
        ),
    ],
    page="tasks:task",
    state=_officer_ids,
    form_kwargs=lambda task, officers: {"task": task},
)
