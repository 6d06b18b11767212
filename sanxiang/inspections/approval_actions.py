"""The steps of an inspection approval as its page and API offer them (a core.actions.Workflow): approve or refuse,
approve an emergency afterwards or not, join a 综合查一次, begin the inspection. Each is offered to the roles its
move names in approvals.APPROVAL; the services check everything again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.cases import services as cases
from sanxiang.core.actions import Action, Workflow
from sanxiang.inspections import approvals
from sanxiang.inspections.approval_forms import BeginForm, DecideForm, JoinForm, RatifyForm, RefuseForm
from sanxiang.inspections.approvals import APPROVAL


def _offered(move: str):
    def offered(user, approval, state) -> bool:
        return APPROVAL.allows(approval, move) and APPROVAL.permits(user, approval.agency, move)

    return offered


def _begin(user, approval, data):
    return cases.inspection_start(
        actor=user,
        agency=approval.agency,
        party=approval.party,
        officers=approval.officers.all(),
        approval=approval,
        **data,
    )


WORKFLOW = Workflow(
    [
        Action(
            "approve",
            _("批准检查"),
            DecideForm,
            lambda u, a, data: approvals.approval_approve(actor=u, approval=a, **data),
            roles=APPROVAL.moves["approve"].roles,
            offered=_offered("approve"),
        ),
        Action(
            "refuse",
            _("不予批准"),
            RefuseForm,
            lambda u, a, data: approvals.approval_refuse(actor=u, approval=a, note=data["note"]),
            roles=APPROVAL.moves["refuse"].roles,
            offered=_offered("refuse"),
        ),
        Action(
            "ratify",
            _("补办审批"),
            RatifyForm,
            lambda u, a, data: approvals.approval_ratify(actor=u, approval=a, **data),
            roles=APPROVAL.moves["ratify"].roles,
            offered=_offered("ratify"),
        ),
        Action(
            "unratify",
            _("补办审批不予批准"),
            RefuseForm,
            lambda u, a, data: approvals.approval_unratify(actor=u, approval=a, note=data["note"]),
            roles=APPROVAL.moves["unratify"].roles,
            offered=_offered("unratify"),
        ),
        Action(
            "join",
            _("纳入综合查一次"),
            JoinForm,
            lambda u, a, data: approvals.approval_join(actor=u, approval=a, other=data["other"]),
            roles=APPROVAL.moves["join"].roles,
            offered=lambda u, a, state: _offered("join")(u, a, state) and a.joint_id is None and state,
        ),
        Action(
            "begin",
            _("开始现场检查"),
            BeginForm,
            _begin,
            roles=APPROVAL.moves["begin"].roles,
            offered=lambda u, a, state: _offered("begin")(u, a, state) and a.officers.filter(pk=u.pk).exists(),
        ),
    ],
    page="approvals:approval",
    # whether another agency's inspection of the enterprise falls in the window (the join is offered then)
    state=lambda approval: approval.status in approvals.JOINABLE and bool(approvals.joint_candidates(approval)),
    form_kwargs=lambda approval, state: {"approval": approval},
)
