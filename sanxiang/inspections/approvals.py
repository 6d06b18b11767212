"""Writes of inspection approvals (行政检查审批, 国办发〔2024〕54号 “凡检查必审批、凡检查必通知”): an officer asks, a
head approves (issuing the 行政检查审批表 and 行政检查通知书, and the 扫码入企 code) or refuses; the inspection
begins on the approval; an emergency inspection begins on its ground and is approved afterwards, within
`inspections.emergency_ratify_workdays`. An inspection past an item's yearly cap for the enterprise's tier needs the
head's recorded reason. Heads join their agency's inspection to a 综合查一次 with other agencies'.

Every write is one transaction with its ledger entry; the enterprise's tally (PartyTally) moves with it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.cases.gates import certified_officers
from sanxiang.cases.models import Inspection, Party
from sanxiang.core.rules import deadline
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.documents.services import document_issue
from sanxiang.documents.types import context_for
from sanxiang.inspections.approval_models import CAP_EXEMPT, Approval, ApprovalSource, JointInspection, PartyTally
from sanxiang.inspections.approval_selectors import RATIFY_RULE, items_for_approval, joint_candidates, over_cap
from sanxiang.inspections.plan_models import Recusal
from sanxiang.ledger.transitions import NEW, Move, StateMachine

S = Approval.Status
APPROVAL = StateMachine(
    model=Approval,
    prefix="inspection_approval",
    related=("agency", "party"),
    refused=gettext_lazy("检查审批当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "request": Move({NEW}, S.REQUESTED, gettext_lazy("申请行政检查审批"), roles={"officer", "head"}),
        "approve": Move({S.REQUESTED}, S.APPROVED, gettext_lazy("批准行政检查"), roles={"head"}),
        "refuse": Move({S.REQUESTED}, S.REFUSED, gettext_lazy("不予批准行政检查"), roles={"head"}),
        "begin": Move({S.APPROVED}, S.INSPECTED, gettext_lazy("按审批实施检查"), roles={"officer"}),
        "emergency": Move({NEW}, S.AWAITING, gettext_lazy("紧急情况先行检查"), roles={"officer"}),
        "ratify": Move({S.AWAITING}, S.RATIFIED, gettext_lazy("补办紧急检查审批"), roles={"head"}),
        "unratify": Move({S.AWAITING}, S.UNRATIFIED, gettext_lazy("紧急检查补办审批不予批准"), roles={"head"}),
        "join": Move({S.REQUESTED, S.APPROVED}, None, gettext_lazy("纳入综合查一次"), roles={"head"}),
    },
)
LEDGER_ACTIONS = APPROVAL.labels()
JOINABLE = APPROVAL.moves["join"].sources
MAX_DAYS = 60  # an approval covers a visit, not a season: a longer period is a plan (双随机), not an approval
APPROVAL_BASIS = "国办发〔2024〕54号（凡检查必审批、凡检查必通知）；司法部《行政检查文书基本格式文本（试行）》"
RIGHTS = (
    "检查人员不少于两人，并出示有效执法证件；你单位有权核验检查人员身份，认为检查人员与本次检查有利害关系的，"
    "有权申请回避；对检查有异议的，有权陈述、申辩；检查结束后可通过本通知书上的检查码对本次检查进行评价、投诉，"
    "评价和投诉不向实施检查的单位公开。"
)


def _code() -> str:
    return secrets.token_urlsafe(12)


def _checked(*, agency: Agency, party: Party, items, officers, planned_from: dt.date, planned_to: dt.date, reason):
    refuse_control_characters({"reason": reason})
    reason = reason_check(reason, what=_("检查事由"))
    if party.agency_id != agency.pk and not party.agency.is_within(agency) and not agency.is_within(party.agency):
        raise ValidationError({"party": _("检查对象不在本机关的监管对象名录中。")})
    if planned_to < planned_from:
        raise ValidationError({"planned_to": _("检查期间的结束日期不能早于开始日期。")})
    if (planned_to - planned_from).days > MAX_DAYS:
        raise ValidationError({"planned_to": _("一次检查审批的期间不超过 %(n)d 日。") % {"n": MAX_DAYS}})
    items = list(items)
    if not items:
        raise ValidationError({"items": _("请至少选择一项检查事项（未公布的事项不得检查）。")})
    in_force = set(items_for_approval(agency, planned_from).values_list("pk", flat=True))
    if any(item.pk not in in_force for item in items):
        raise ValidationError({"items": _("只能选择本机关已公布且现行的检查事项。")})
    certified_officers(officers, on=planned_from, agency=agency)
    recused = Recusal.objects.filter(party=party, officer__in=officers).select_related("officer")
    if recused:
        names = "、".join(sorted({recusal.officer.full_name for recusal in recused}))
        raise ValidationError({"officers": _("%(names)s 已登记对该企业回避，不得参加本次检查。") % {"names": names}})
    return reason, items


def _tally(approval: Approval) -> None:
    """Count the approval in its enterprise's year (once it is counted) for the supervision view."""
    tally, _created = PartyTally.objects.select_for_update().get_or_create(party=approval.party, year=approval.year)
    code = approval.agency.code
    tally.agencies[code] = tally.agencies.get(code, 0) + 1
    tally.total, tally.agency_count = F("total") + 1, len(tally.agencies)
    if approval.exceeds_cap:
        tally.over_cap = F("over_cap") + 1
    tally.save()


def _facts(approval: Approval) -> dict:
    return {
        "party": approval.party_id,
        "items": sorted(approval.items.values_list("code", flat=True)),
        "officers": sorted(f"staff:{pk}" for pk in approval.officers.values_list("pk", flat=True)),
        "source": approval.source,
        "planned_from": approval.planned_from,
        "planned_to": approval.planned_to,
    }


@transaction.atomic
def approval_request(
    *,
    actor,
    agency: Agency,
    party: Party,
    items,
    officers,
    source: str,
    reason: str,
    planned_from: dt.date,
    planned_to: dt.date,
) -> Approval:
    """Ask a head to approve an inspection (行政检查审批表): the enterprise, the published items, the officers (at
    least two with certificates valid on the first day), where the task came from and why. The caps it would pass
    are stated now, so the head sees them."""
    APPROVAL.require(actor, agency, "request")
    if source not in ApprovalSource.values or source == ApprovalSource.EMERGENCY:
        raise ValidationError({"source": _("请选择任务来源（紧急情况请直接开始检查，事后补办审批）。")})
    reason, items = _checked(
        agency=agency,
        party=party,
        items=items,
        officers=officers,
        planned_from=planned_from,
        planned_to=planned_to,
        reason=reason,
    )
    approval = Approval.objects.create(
        agency=agency,
        party=party,
        source=source,
        reason=reason,
        planned_from=planned_from,
        planned_to=planned_to,
        year=planned_from.year,
        status=S.REQUESTED,
        requested_by=actor,
    )
    approval.items.set(items)
    approval.officers.set(officers)
    found = _over_cap(approval)
    APPROVAL.start(approval, "request")
    APPROVAL.commit(actor, approval, "request", _facts(approval) | {"over_cap": [row["code"] for row in found]})
    return approval


@transaction.atomic
def approval_for_target(*, actor, target, reason: str = "", on: dt.date | None = None) -> Approval:
    """The approval request for a drawn target (双随机抽查): its enterprise, the plan's items, the drawn pair, from
    `on` (today) to the plan's end (at most MAX_DAYS)."""
    plan = target.plan
    if target.first_certificate_id is None or target.second_certificate_id is None:
        raise ValidationError({"target": _("该抽查对象尚未抽取检查人员。")})
    today = on or timezone.localdate()
    return approval_request(
        actor=actor,
        agency=plan.agency,
        party=target.party,
        items=plan.items.all(),
        officers=[target.first_certificate.holder, target.second_certificate.holder],
        source=ApprovalSource.RANDOM,
        reason=reason or _("%(plan)s 抽取第 %(rank)d 号") % {"plan": plan.title, "rank": target.rank},
        planned_from=today,
        planned_to=min(max(plan.period_end, today), today + dt.timedelta(days=MAX_DAYS)),
    )


def _documents(actor, approval: Approval, on: dt.date) -> None:
    """The 行政检查审批表 (internal) and the 行政检查通知书 the enterprise is given, with its 扫码入企 code."""
    items = list(approval.items.all())
    officers = "、".join(
        f"{holder.full_name}（{certificate.number}）"
        for holder, certificate in (
            (c.holder, c) for c in certified_officers(approval.officers.all(), on=on, agency=approval.agency).values()
        )
    )
    fields = {
        "party_name": approval.party.name,
        "party_address": approval.party.address,
        "source": approval.get_source_display(),
        "reason": approval.reason,
        "items_text": "；".join(f"{item.code} {item.name}（{item.basis}）" for item in items),
        "period": f"{approval.planned_from:%Y年%m月%d日}至{approval.planned_to:%Y年%m月%d日}",
        "officers": officers,
        "cap_text": approval.cap_reason or _("未超出年度检查频次上限"),
        "approval_text": approval.decision_note or _("同意"),
        "inspection_code": approval.code or "",
        "rights_text": RIGHTS,
    }
    for doc_type in ("inspection_approval", "inspection_notice"):
        document_issue(
            actor=actor,
            agency=approval.agency,
            doc_type_code=doc_type,
            subject=approval,
            issued_on=on,
            context=context_for(doc_type, fields),
        )


def _over_cap(approval: Approval) -> list[dict]:
    """The caps this inspection passes, kept on it; an inspection on a complaint, an assignment, a monitoring clue
    or an emergency is not limited by the caps (CAP_EXEMPT) but still counts in the enterprise's tally."""
    found = []
    if approval.source not in CAP_EXEMPT:
        found = over_cap(
            agency=approval.agency,
            party=approval.party,
            items=list(approval.items.all()),
            year=approval.year,
            exclude=approval.pk,
        )
    approval.exceeds_cap, approval.over_cap = bool(found), found
    return found


def _cap_reason(approval: Approval, cap_reason: str) -> str:
    """The head's reason for an inspection past a cap, required then; recounted now, as other inspections may have
    been approved since the request."""
    found = _over_cap(approval)
    if found:
        if not cap_reason.strip():
            names = "、".join(f"{row['name']}（本年已 {row['count']} 次，上限 {row['cap']} 次）" for row in found)
            raise ValidationError(
                {"cap_reason": _("超出年度检查频次上限：%(items)s。须由负责人写明理由。") % {"items": names}}
            )
        return reason_check(cap_reason, what=_("超频次检查理由"))
    return ""


@transaction.atomic
def approval_approve(*, actor, approval: Approval, note: str = "", cap_reason: str = "") -> Approval:
    """A head approves: the 审批表 and 通知书 are issued and the inspection gets its 扫码入企 code."""
    APPROVAL.require(actor, approval.agency, "approve")
    approval = APPROVAL.lock(approval, "approve")
    refuse_control_characters({"note": note, "cap_reason": cap_reason})
    approval.cap_reason = _cap_reason(approval, cap_reason)
    approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), note.strip()[:300]
    approval.code = _code()
    _documents(actor, approval, timezone.localdate())
    _tally(approval)
    APPROVAL.commit(
        actor,
        approval,
        "approve",
        {"over_cap": [row["code"] for row in approval.over_cap], "cap_reason": approval.cap_reason},
    )
    return approval


@transaction.atomic
def approval_refuse(*, actor, approval: Approval, note: str) -> Approval:
    APPROVAL.require(actor, approval.agency, "refuse")
    approval = APPROVAL.lock(approval, "refuse")
    approval.decision_note = reason_check(note, what=_("不予批准的理由"))
    approval.decided_by, approval.decided_at = actor, timezone.now()
    APPROVAL.commit(actor, approval, "refuse", {"note": approval.decision_note})
    return approval


def _begin(actor, approval: Approval, inspection: Inspection) -> dict:
    """The inspection begins on its approval: same agency and enterprise, within its period, by its officers."""
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
    approved = set(approval.officers.values_list("pk", flat=True))
    present = set(inspection.officers.values_list("pk", flat=True))
    if not present <= approved:
        raise ValidationError({"officers": _("实施检查的执法人员须为审批表所列人员。")})
    approval = APPROVAL.lock(approval, "begin")
    approval.inspection = inspection
    APPROVAL.commit(actor, approval, "begin", {"inspection": inspection.pk})
    return {"approval": approval.pk, "code": True}


def _emergency(actor, inspection: Inspection) -> dict:
    """An emergency inspection registers itself at once (its code works from the start) and awaits approval."""
    if len(inspection.emergency_note.strip()) < 4:
        raise ValidationError({"emergency_note": _("紧急检查须说明紧急情况。")})
    day = timezone.localtime(inspection.started_at).date()
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
        code=_code(),
        ratify_due_on=deadline(RATIFY_RULE, day, inspection.agency).date,
    )
    approval.officers.set(inspection.officers.all())
    _tally(approval)
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
def approval_ratify(*, actor, approval: Approval, items, note: str = "", cap_reason: str = "") -> Approval:
    """A head approves an emergency inspection afterwards, naming the published items it was made on; late past its
    due day is recorded, not refused (the inspection happened), and shows on the supervision view."""
    APPROVAL.require(actor, approval.agency, "ratify")
    approval = APPROVAL.lock(approval, "ratify")
    refuse_control_characters({"note": note, "cap_reason": cap_reason})
    items = list(items)
    in_force = set(items_for_approval(approval.agency, approval.planned_from).values_list("pk", flat=True))
    if not items or any(item.pk not in in_force for item in items):
        raise ValidationError({"items": _("请选择本次紧急检查所涉及的、本机关已公布且现行的检查事项。")})
    approval.items.set(items)
    approval.cap_reason = _cap_reason(approval, cap_reason)
    approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), note.strip()[:300]
    _documents(actor, approval, timezone.localdate())
    late = timezone.localdate() > approval.ratify_due_on
    APPROVAL.commit(
        actor,
        approval,
        "ratify",
        {"late": late, "over_cap": [row["code"] for row in approval.over_cap], "cap_reason": approval.cap_reason},
    )
    return approval


@transaction.atomic
def approval_unratify(*, actor, approval: Approval, note: str) -> Approval:
    """A head does not approve an emergency inspection afterwards: it stays recorded, flagged for supervision."""
    APPROVAL.require(actor, approval.agency, "unratify")
    approval = APPROVAL.lock(approval, "unratify")
    approval.decision_note = reason_check(note, what=_("不予补办审批的理由"))
    approval.decided_by, approval.decided_at = actor, timezone.now()
    APPROVAL.commit(actor, approval, "unratify", {"note": approval.decision_note})
    return approval


@transaction.atomic
def approval_join(*, actor, approval: Approval, other: Approval) -> Approval:
    """综合查一次: a head joins the agency's inspection to another agency's of the same enterprise in the window
    (into its joint inspection, or a new one led by the other agency)."""
    APPROVAL.require(actor, approval.agency, "join")
    if other.pk not in set(joint_candidates(approval).values_list("pk", flat=True)):
        raise ValidationError({"other": _("只能与其他机关在合并窗口内对同一企业的检查合并。")})
    approval = APPROVAL.lock(approval, "join")
    if approval.joint_id is not None:
        raise ValidationError({"other": _("本次检查已纳入综合查一次。")})
    other = Approval.objects.select_for_update().get(pk=other.pk)
    if other.joint_id is None:
        other.joint = JointInspection.objects.create(
            party=other.party, planned_on=other.planned_from, lead=other.agency
        )
        other.save(update_fields=["joint"])
    approval.joint = other.joint
    APPROVAL.commit(actor, approval, "join", {"joint": other.joint_id, "with": other.pk})
    return approval
