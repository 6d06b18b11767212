"""The moves of a 双随机 plan as its page and API offer them (a core.actions.Workflow): edit a draft, approve,
draw, publish the results, close. Each is offered to the roles its move names in draws.PLAN; the services check
everything again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.core.actions import Workflow, move_action
from sanxiang.inspections import draws
from sanxiang.inspections.draws import PLAN
from sanxiang.inspections.plan_forms import CloseForm, PlanUpdateForm, VersionedForm, plan_fields


def _waiting(plan) -> int:
    """Results recorded and not yet published (counted with the plan by plans_for_user)."""
    waiting = getattr(plan, "waiting", None)
    return plan.targets.awaiting_publication().count() if waiting is None else waiting


def _move(name, label, form, call, applies=None):
    """A move of PLAN, offered only to whom the machine permits it in the plan's agency."""
    return move_action(PLAN, name, form, call, label=label, applies=applies, in_agency=True)


WORKFLOW = Workflow(
    [
        _move(
            "update",
            _("修改计划"),
            PlanUpdateForm,
            lambda u, p, data: draws.plan_update(actor=u, plan=p, version=data["version"], **plan_fields(data)),
        ),
        _move(
            "approve",
            _("批准计划并记入账本"),
            VersionedForm,
            lambda u, p, data: draws.plan_approve(actor=u, plan=p, version=data["version"]),
        ),
        _move(
            "draw",
            _("双随机抽取"),
            VersionedForm,
            lambda u, p, data: draws.draw_perform(actor=u, plan=p, version=data["version"]),
        ),
        _move(
            "publish",
            _("公示抽查结果"),
            VersionedForm,
            lambda u, p, data: draws.draw_results_publish(actor=u, plan=p, version=data["version"]),
            applies=lambda plan, waiting: waiting > 0,
        ),
        _move(
            "close",
            _("结束计划"),
            CloseForm,
            lambda u, p, data: draws.plan_close(actor=u, plan=p, note=data["note"], version=data["version"]),
            applies=lambda plan, waiting: waiting == 0,
        ),
    ],
    page="plans:plan",
    state=_waiting,
    form_kwargs=lambda plan, waiting: {"agency": plan.agency},
)
