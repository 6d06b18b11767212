"""How an inspection begins (cases.inspection_admission): on its approval — by its officers, within its period, not
before the head approved it, once — or, in an emergency (complaints of an urgent situation, accidents, pollution
incidents), at once, registered with its 扫码入企 code and approved by a head afterwards within
`inspections.emergency_ratify_workdays` (国办发〔2024〕54号; 司法部“行政检查文书基本格式文本（试行）”). Never on
neither; a refusal rolls the start back."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.cases.models import Inspection
from sanxiang.core.rules import deadline
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.inspections.approval_models import Approval, ApprovalSource
from sanxiang.inspections.approval_selectors import RATIFY_RULE, refuse_recused
from sanxiang.inspections.approvals import (
    APPROVAL,
    S,
    cap_reason_checked,
    issue_documents,
    items_in_force,
    new_code,
    require_deciding_head,
    tally_count,
    tally_locked,
)

NOTE_MINIMUM = 4  # “紧急” alone says nothing: the note must say what happened


def _begin(actor, approval: Approval, inspection: Inspection) -> dict:
    """The inspection begins on its approval: same agency and enterprise, within its period and not before the
    day it was approved, by its officers (none recused since)."""
    if approval.agency_id != inspection.agency_id or approval.party_id != inspection.party_id:
        raise ValidationError({"approval": _("所选审批不是本机关对该检查对象的审批。")})
    day = timezone.localtime(inspection.started_at).date()
    if not approval.planned_from <= day <= approval.planned_to:
        raise ValidationError(
            {
                "approval": _("检查日期不在审批的检查期间（%(a)s 至 %(b)s）内。")
                % {"a": approval.planned_from, "b": approval.planned_to}
            }
        )
    if approval.decided_at is not None and day < timezone.localtime(approval.decided_at).date():
        raise ValidationError({"approval": _("检查开始早于负责人批准之日：先检查后审批只适用于紧急情况。")})
    present = list(inspection.officers.all())
    approved = set(approval.officers.values_list("pk", flat=True))
    if not {officer.pk for officer in present} <= approved:
        raise ValidationError({"officers": _("实施检查的执法人员须为审批表所列人员。")})
    refuse_recused(inspection.party, present)
    approval = APPROVAL.lock(approval, "begin")
    approval.inspection = inspection
    APPROVAL.commit(actor, approval, "begin", {"inspection": inspection.pk})
    return {"approval": approval.pk, "code": True}


def _emergency(actor, inspection: Inspection) -> dict:
    """An emergency inspection registers itself at once (its code works from the start), counts in the
    enterprise's tally, and awaits approval."""
    if len(inspection.emergency_note.strip()) < NOTE_MINIMUM:
        raise ValidationError({"emergency_note": _("紧急检查须说明紧急情况。")})
    refuse_recused(inspection.party, inspection.officers.all())
    day = timezone.localtime(inspection.started_at).date()
    tally = tally_locked(inspection.party, day.year)
    approval = Approval.objects.create(
        agency=inspection.agency,
        party=inspection.party,
        source=ApprovalSource.EMERGENCY,
        reason=f"{inspection.get_emergency_ground_display()}：{inspection.emergency_note}"[:300],
        planned_from=day,
        planned_to=day,
        year=day.year,
        status=S.AWAITING,
        requested_by=actor,
        inspection=inspection,
        code=new_code(),
        ratify_due_on=deadline(RATIFY_RULE, day, inspection.agency).date,
    )
    approval.officers.set(inspection.officers.all())
    tally_count(approval, tally)
    APPROVAL.start(approval, "emergency")
    APPROVAL.commit(actor, approval, "emergency", {"inspection": inspection.pk, "ground": inspection.emergency_ground})
    return {"approval": approval.pk, "emergency": inspection.emergency_ground, "code": True}


def admit(*, actor, inspection: Inspection, approval: Approval | None) -> dict:
    """cases.inspection_admission: an inspection begins on an approval or on an emergency ground, never on neither
    (国办发〔2024〕54号); called in the start's transaction, so a refusal leaves nothing written."""
    if approval is not None and inspection.emergency_ground:
        raise ValidationError({"emergency_ground": _("已经审批的检查不是紧急检查，请不要选择紧急事由。")})
    if approval is not None:
        return _begin(actor, approval, inspection)
    if inspection.emergency_ground:
        return _emergency(actor, inspection)
    raise ValidationError(
        {
            "approval": _(
                "普通检查须先经负责人审批并通知（行政检查审批表、行政检查通知书）；紧急情况请选择紧急事由，"
                "事后补办审批。"
            )
        }
    )


@transaction.atomic
def approval_ratify(*, actor, approval: Approval, items, note: str = "") -> Approval:
    """A head approves an emergency inspection afterwards, naming the published items it was made on; late past its
    due day is recorded, not refused (the inspection happened), and shows on the supervision view. Emergencies are
    not limited by the caps."""
    require_deciding_head(actor, approval, "ratify")
    approval = APPROVAL.lock(approval, "ratify")
    refuse_control_characters({"note": note})
    if len(note.strip()) > 300:
        raise ValidationError({"note": _("审批意见不超过 300 字。")})
    approval.items.set(items_in_force(approval.agency, approval.planned_from, items))
    cap_reason_checked(approval, "")
    approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), note.strip()
    issue_documents(actor, approval)
    late = timezone.localdate() > approval.ratify_due_on
    over = [row["code"] for row in approval.over_cap]
    codes = sorted(item.code for item in approval.items.all())
    APPROVAL.commit(actor, approval, "ratify", {"late": late, "items": codes, "over_cap": over})
    return approval


@transaction.atomic
def approval_unratify(*, actor, approval: Approval, note: str) -> Approval:
    """A head does not approve an emergency inspection afterwards: it stays recorded, flagged for supervision."""
    require_deciding_head(actor, approval, "unratify")
    approval = APPROVAL.lock(approval, "unratify")
    approval.decision_note = reason_check(note, what=_("不予补办审批的理由"))
    approval.decided_by, approval.decided_at = actor, timezone.now()
    APPROVAL.commit(actor, approval, "unratify", {"note": approval.decision_note})
    return approval
