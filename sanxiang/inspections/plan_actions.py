"""The moves of a 双随机 plan as its page and API offer them (a core.actions.Workflow): edit a draft, approve,
draw, publish the results, close. Each is offered to the roles its move names in draws.PLAN; the services check
everything again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.core.actions import Action, Workflow
from sanxiang.inspections import draws
from sanxiang.inspections.draws import PLAN
from sanxiang.inspections.plan_forms import CloseForm, PlanUpdateForm, VersionedForm, plan_fields


def _offered(move: str):
    def offered(user, plan, waiting) -> bool:
        return PLAN.allows(plan, move) and PLAN.permits(user, plan.agency, move)

    return offered


def _waiting(plan) -> int:
    """Results recorded and not yet published (counted with the plan by plans_for_user)."""
    waiting = getattr(plan, "waiting", None)
    return plan.targets.awaiting_publication().count() if waiting is None else waiting


WORKFLOW = Workflow(
    [
        Action(
            "update",
            _("修改计划"),
            PlanUpdateForm,
            lambda u, p, data: draws.plan_update(actor=u, plan=p, version=data["version"], **plan_fields(data)),
            roles=PLAN.moves["update"].roles,
            offered=_offered("update"),
        ),
        Action(
            "approve",
            _("批准计划并记入账本"),
            VersionedForm,
            lambda u, p, data: draws.plan_approve(actor=u, plan=p, version=data["version"]),
            roles=PLAN.moves["approve"].roles,
            offered=_offered("approve"),
        ),
        Action(
            "draw",
            _("双随机抽取"),
            VersionedForm,
            lambda u, p, data: draws.draw_perform(actor=u, plan=p, version=data["version"]),
            roles=PLAN.moves["draw"].roles,
            offered=_offered("draw"),
        ),
        Action(
            "publish",
            _("公示抽查结果"),
            VersionedForm,
            lambda u, p, data: draws.draw_results_publish(actor=u, plan=p, version=data["version"]),
            roles=PLAN.moves["publish"].roles,
            offered=lambda u, p, waiting: _offered("publish")(u, p, waiting) and waiting > 0,
        ),
        Action(
            "close",
            _("结束计划"),
            CloseForm,
            lambda u, p, data: draws.plan_close(actor=u, plan=p, note=data["note"], version=data["version"]),
            roles=PLAN.moves["close"].roles,
            offered=lambda u, p, waiting: _offered("close")(u, p, waiting) and waiting == 0,
        ),
    ],
    page="plans:plan",
    state=_waiting,
    form_kwargs=lambda plan, waiting: {"agency": plan.agency},
)
