"""The steps of an inspection approval as its page and API offer them (a core.actions.Workflow): approve or refuse,
approve an emergency afterwards or not, withdraw, join a 综合查一次, begin the inspection. Each is offered to the
roles its move names in approvals.APPROVAL; the services check everything again."""

from __future__ import annotations

from sanxiang.cases import services as cases
from sanxiang.core.actions import Action, Workflow, move_action
from sanxiang.inspections import approvals, emergencies
from sanxiang.inspections.approval_forms import (
    BeginForm,
    DecideForm,
    JoinForm,
    RatifyForm,
    RefuseForm,
    WithdrawForm,
)
from sanxiang.inspections.approval_selectors import JOINABLE, joint_candidates
from sanxiang.inspections.approvals import APPROVAL


def _begin(user, approval, data):
    return cases.inspection_start(
        actor=user,
        agency=approval.agency,
        party=approval.party,
        officers=approval.officers.all(),
        approval=approval,
        **data,
    )


def _one_of_its_officers(user, approval, state) -> bool:
    return (
        APPROVAL.allows(approval, "begin")
        and APPROVAL.permits(user, approval.agency, "begin")
        and any(officer.pk == user.pk for officer in approval.officers.all())
    )


WORKFLOW = Workflow(
    [
        move_action(
            APPROVAL,
            "approve",
            DecideForm,
            lambda u, a, data: approvals.approval_approve(actor=u, approval=a, **data),
            in_agency=True,
        ),
        move_action(
            APPROVAL,
            "refuse",
            RefuseForm,
            lambda u, a, data: approvals.approval_refuse(actor=u, approval=a, note=data["note"]),
            in_agency=True,
        ),
        move_action(
            APPROVAL,
            "ratify",
            RatifyForm,
            lambda u, a, data: emergencies.approval_ratify(actor=u, approval=a, **data),
            in_agency=True,
        ),
        move_action(
            APPROVAL,
            "unratify",
            RefuseForm,
            lambda u, a, data: emergencies.approval_unratify(actor=u, approval=a, note=data["note"]),
            in_agency=True,
        ),
        move_action(
            APPROVAL,
            "join",
            JoinForm,
            lambda u, a, data: approvals.approval_join(actor=u, approval=a, other=data["other"]),
            in_agency=True,
            applies=lambda a, state: a.joint_id is None and state,
        ),
        move_action(
            APPROVAL,
            "withdraw",
            WithdrawForm,
            lambda u, a, data: approvals.approval_withdraw(actor=u, approval=a, reason=data["reason"]),
            in_agency=True,
            applies=lambda a, state: a.inspection_id is None,
        ),
        Action(
            "begin",
            APPROVAL.moves["begin"].label,
            BeginForm,
            _begin,
            APPROVAL.moves["begin"].roles,
            _one_of_its_officers,
        ),
    ],
    page="approvals:approval",
    # whether another agency's inspection of the enterprise falls in the window (the join is offered then)
    state=lambda approval: approval.status in JOINABLE and joint_candidates(approval).exists(),
    form_kwargs=lambda approval, state: {"approval": approval},
)
