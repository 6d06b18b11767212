"""Writes of inspection approvals (行政检查审批, 国办发〔2024〕54号 “凡检查必审批、凡检查必通知”): an officer asks, a
head approves (issuing the 行政检查审批表 and 行政检查通知书, and the 扫码入企 code) or refuses, an unused approval is
withdrawn, heads join their agency's inspection to a 综合查一次 with another agency's. An inspection past an item's
yearly cap for the enterprise's tier needs the head's recorded reason. The start of an inspection on its approval,
and emergencies approved afterwards, are in inspections.emergencies.

Every write is one transaction with its ledger entry; the enterprise's tally (PartyTally) moves with it, locked first
so that two approvals of one enterprise are counted one after the other.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.cases.gates import certified_officers, is_head
from sanxiang.cases.models import Party
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.documents.services import document_issue
from sanxiang.documents.types import context_for
from sanxiang.inspections.approval_models import (
    CAP_EXEMPT,
    CAP_EXEMPT_BASIS,
    ON_A_TASK,
    Approval,
    ApprovalSource,
    JointInspection,
    PartyTally,
)
from sanxiang.inspections.approval_selectors import (
    JOINABLE,
    items_for_approval,
    joint_candidates,
    over_cap,
    refuse_recused,
)
from sanxiang.inspections.feedback_selectors import check_url
from sanxiang.ledger.services import ledger_append, staff_refs
from sanxiang.ledger.transitions import NEW, Move, StateMachine

S = Approval.Status
APPROVAL = StateMachine(
    model=Approval,
    prefix="inspection_approval",
    related=("agency", "party"),
    refused=gettext_lazy("检查审批当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "request": Move({NEW}, S.REQUESTED, gettext_lazy("申请行政检查审批"), roles={"officer", "head"}),
        "approve": Move({S.REQUESTED}, S.APPROVED, gettext_lazy("批准检查"), roles={"head"}),
        "refuse": Move({S.REQUESTED}, S.REFUSED, gettext_lazy("不予批准"), roles={"head"}),
        "withdraw": Move(
            {S.REQUESTED, S.APPROVED}, S.WITHDRAWN, gettext_lazy("撤回检查审批"), roles={"officer", "head"}
        ),
        "begin": Move({S.APPROVED}, S.INSPECTED, gettext_lazy("开始现场检查"), roles={"officer"}),
        "emergency": Move({NEW}, S.AWAITING, gettext_lazy("紧急情况先行检查"), roles={"officer"}),
        "ratify": Move({S.AWAITING}, S.RATIFIED, gettext_lazy("补办审批"), roles={"head"}),
        "unratify": Move({S.AWAITING}, S.UNRATIFIED, gettext_lazy("补办审批不予批准"), roles={"head"}),
        "join": Move(set(JOINABLE), None, gettext_lazy("纳入综合查一次"), roles={"head"}),
    },
)
LEDGER_ACTIONS = APPROVAL.labels() | {"inspection_approval.joined": gettext_lazy("被纳入综合查一次")}
# An approval covers a visit, not a season (a longer period is a 双随机 plan): a bound on typing, not a legal rule.
MAX_DAYS = 60
RIGHTS = (
    "检查人员不少于两人，并出示有效执法证件；你单位有权核验检查人员身份，认为检查人员与本次检查有利害关系的，"
    "有权申请回避；对检查有异议的，有权陈述、申辩；检查结束后可通过本通知书上的检查码对本次检查进行评价、投诉，"
    "评价和投诉不向实施检查的单位公开。"
)


def new_code() -> str:
    return secrets.token_urlsafe(12)


def require_deciding_head(actor, approval: Approval, move: str) -> None:
    """Only a head of the approval's agency or one above it decides on it (not a branch's head), and not on an
    inspection the head asked for or takes part in: who inspects does not approve it."""
    APPROVAL.require(actor, approval.agency, move)
    if actor is None:
        return
    if not is_head(actor, approval.agency):
        raise PermissionDenied(_("行政检查由本机关或上级机关负责人审批。"))
    if actor.pk == approval.requested_by_id or approval.officers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("负责人不得审批本人申请或本人参加的检查。"))


def items_in_force(agency: Agency, on: dt.date, items) -> list:
    """The items, refused unless each is one of the agency's published items in force on `on`."""
    items = list(items)
    in_force = set(items_for_approval(agency, on).values_list("pk", flat=True))
    if not items or any(item.pk not in in_force for item in items):
        raise ValidationError({"items": _("请至少选择一项本机关已公布且现行的检查事项（未公布的事项不得检查）。")})
    return items


def _period(planned_from: dt.date, planned_to: dt.date) -> None:
    if planned_from < timezone.localdate():
        raise ValidationError(
            {"planned_from": _("检查期间不能早于今天：已经实施的检查不能事后申请审批，紧急情况请选择紧急事由。")}
        )
    if planned_to < planned_from:
        raise ValidationError({"planned_to": _("检查期间的结束日期不能早于开始日期。")})
    if (planned_to - planned_from).days > MAX_DAYS:
        raise ValidationError({"planned_to": _("一次检查审批的期间不超过 %(n)d 日。") % {"n": MAX_DAYS}})
    if planned_to.year != planned_from.year:
        raise ValidationError({"planned_to": _("一次检查审批的期间不跨年度（年度检查频次按年计算）。")})


def _task(task, *, agency: Agency, party: Party, source: str):
    """A complaint, an assignment or a monitoring clue is not limited by the caps: it rests on its task (检查任务)
    of the same agency, enterprise and source, still open."""
    if source not in ON_A_TASK:
        return None
    if task is None or task.agency_id != agency.pk or task.party_id != party.pk or task.source != source:
        raise ValidationError(
            {"task": _("投诉举报、上级交办、监测线索来源的检查须关联本机关对该企业的同一来源的检查任务。")}
        )
    if task.status in (task.Status.DONE, task.Status.CANCELLED):
        raise ValidationError({"task": _("所关联的检查任务已办结或撤销。")})
    return task


def tally_locked(party: Party, year: int) -> PartyTally:
    """The enterprise's tally of the year, locked: cap decisions on one enterprise happen one after the other."""
    try:
        with transaction.atomic():
            PartyTally.objects.get_or_create(party=party, year=year)
    except IntegrityError:  # made at the same moment by another request: it exists now
        pass
    return PartyTally.objects.select_for_update().get(party=party, year=year)


def tally_count(approval: Approval, tally: PartyTally, step: int = 1) -> None:
    """Count the approval in (or, with step -1, out of) its enterprise's tally, locked by tally_locked."""
    code = approval.agency.code
    tally.agencies[code] = tally.agencies.get(code, 0) + step
    if tally.agencies[code] <= 0:
        del tally.agencies[code]
    tally.total, tally.agency_count = F("total") + step, len(tally.agencies)
    if approval.exceeds_cap:
        tally.over_cap = F("over_cap") + step
    tally.save()


def _facts(approval: Approval) -> dict:
    return {
        "party": approval.party_id,
        "items": sorted(item.code for item in approval.items.all()),
        "officers": staff_refs(officer.pk for officer in approval.officers.all()),
        "source": approval.source,
        "task": approval.task_id,
        "planned_from": approval.planned_from,
        "planned_to": approval.planned_to,
    }


def caps_checked(approval: Approval) -> list[dict]:
    """The caps this inspection would pass, kept on it. A source on a task or an emergency is not limited by them
    (CAP_EXEMPT): what it would pass is still shown, but asks no reason."""
    found = over_cap(
        agency=approval.agency,
        party=approval.party,
        items=list(approval.items.all()),
        year=approval.year,
        exclude=approval.pk,
    )
    approval.exceeds_cap = bool(found) and approval.source not in CAP_EXEMPT
    approval.over_cap = found
    return found


def _cap_facts(approval: Approval) -> dict:
    codes = [row["code"] for row in approval.over_cap]
    if codes and not approval.exceeds_cap:
        return {"over_cap": codes, "cap_exempt": CAP_EXEMPT_BASIS}
    return {"over_cap": codes, "cap_reason": approval.cap_reason}


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
    task=None,
) -> Approval:
    """Ask a head to approve an inspection (行政检查审批表): the enterprise, the published items, the officers (at
    least two with certificates valid on the first day, none recused), where it comes from (a complaint, an
    assignment or a monitoring clue with its task) and why, for a period from today. The caps it would pass are
    stated now, so the head sees them."""
    APPROVAL.require(actor, agency, "request")
    refuse_control_characters({"reason": reason})
    reason = reason_check(reason, what=_("检查事由"))
    if source not in ApprovalSource.values or source == ApprovalSource.EMERGENCY:
        raise ValidationError({"source": _("请选择任务来源（紧急情况请直接开始检查，事后补办审批）。")})
    if party.agency_id != agency.pk and not party.agency.is_within(agency):
        raise ValidationError({"party": _("检查对象不在本机关及下级机关的监管对象名录中。")})
    _period(planned_from, planned_to)
    items = items_in_force(agency, planned_from, items)
    officers = list(officers)
    certified_officers(officers, on=planned_from, agency=agency)
    refuse_recused(party, officers)
    approval = Approval.objects.create(
        agency=agency,
        party=party,
        source=source,
        task=_task(task, agency=agency, party=party, source=source),
        reason=reason,
        planned_from=planned_from,
        planned_to=planned_to,
        year=planned_from.year,
        status=S.REQUESTED,
        requested_by=actor,
    )
    approval.items.set(items)
    approval.officers.set(officers)
    caps_checked(approval)
    APPROVAL.start(approval, "request")
    APPROVAL.commit(actor, approval, "request", _facts(approval) | _cap_facts(approval))
    return approval


@transaction.atomic
def approval_for_target(*, actor, target, reason: str = "") -> Approval:
    """The approval request for a drawn target (双随机抽查): its enterprise, the plan's items, the drawn pair, from
    today to the plan's end (at most MAX_DAYS, within the year)."""
    plan = target.plan
    if target.first_certificate_id is None or target.second_certificate_id is None:
        raise ValidationError({"target": _("该抽查对象尚未抽取检查人员。")})
    today = timezone.localdate()
    last = min(max(plan.period_end, today), today + dt.timedelta(days=MAX_DAYS), dt.date(today.year, 12, 31))
    return approval_request(
        actor=actor,
        agency=plan.agency,
        party=target.party,
        items=plan.items.all(),
        officers=[target.first_certificate.holder, target.second_certificate.holder],
        source=ApprovalSource.RANDOM,
        reason=reason or _("%(plan)s 抽取第 %(rank)d 号") % {"plan": plan.title, "rank": target.rank},
        planned_from=today,
        planned_to=last,
    )


def issue_documents(actor, approval: Approval) -> None:
    """The 行政检查审批表 (internal) and the 行政检查通知书 the enterprise is given, with its 扫码入企 code; the officers
    are named with the certificates valid on the first day of the inspection."""
    on = approval.planned_from
    certificates = certified_officers(approval.officers.all(), on=on, agency=approval.agency)
    holders = {officer.pk: officer for officer in approval.officers.all()}
    fields = {
        "party_name": approval.party.name,
        "party_address": approval.party.address,
        "source": approval.get_source_display(),
        "reason": approval.reason,
        "items_text": "；".join(f"{item.code} {item.name}（{item.basis}）" for item in approval.items.all()),
        "period": f"{approval.planned_from:%Y年%m月%d日}至{approval.planned_to:%Y年%m月%d日}",
        "officers": "、".join(f"{holders[pk].full_name}（{c.number}）" for pk, c in sorted(certificates.items())),
        "cap_text": approval.cap_reason or _("未超出年度检查频次上限"),
        "approval_text": approval.decision_note or _("同意"),
        # the code and the address the enterprise opens (or scans on the officer's phone) to check the inspection
        "inspection_code": f"{approval.code}（{check_url(approval.code)}）" if approval.code else "",
        "rights_text": RIGHTS,
    }
    for doc_type in ("inspection_approval", "inspection_notice"):
        document_issue(
            actor=actor,
            agency=approval.agency,
            doc_type_code=doc_type,
            subject=approval,
            issued_on=timezone.localdate(),
            context=context_for(doc_type, fields),
        )


def cap_reason_checked(approval: Approval, cap_reason: str) -> str:
    """The head's reason for an inspection past a cap, required then and refused when there is none to pass (so a
    reason on record always means a cap was passed); recounted now, as others may have been approved since."""
    caps_checked(approval)
    if not approval.exceeds_cap:
        if cap_reason.strip():
            raise ValidationError({"cap_reason": _("本次检查未超出年度检查频次上限，无须填写超频次理由。")})
        return ""
    if not cap_reason.strip():
        names = "、".join(
            f"{row['name']}（本年已 {row['count']} 次，上限 {row['cap']} 次）" for row in approval.over_cap
        )
        raise ValidationError(
            {"cap_reason": _("超出年度检查频次上限：%(items)s。须由负责人写明理由。") % {"items": names}}
        )
    return reason_check(cap_reason, what=_("超频次检查理由"))


def _note(note: str) -> str:
    refuse_control_characters({"note": note})
    if len(note.strip()) > 300:
        raise ValidationError({"note": _("审批意见不超过 300 字。")})
    return note.strip()


@transaction.atomic
def approval_approve(*, actor, approval: Approval, note: str = "", cap_reason: str = "") -> Approval:
    """A head approves: the 审批表 and 通知书 are issued and the inspection gets its 扫码入企 code."""
    require_deciding_head(actor, approval, "approve")
    tally = tally_locked(approval.party, approval.year)
    approval = APPROVAL.lock(approval, "approve")
    if approval.planned_to < timezone.localdate():
        raise ValidationError({"planned_to": _("审批的检查期间已过，请重新申请。")})
    refuse_control_characters({"cap_reason": cap_reason})
    approval.cap_reason = cap_reason_checked(approval, cap_reason)
    approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), _note(note)
    approval.code = new_code()
    issue_documents(actor, approval)
    tally_count(approval, tally)
    APPROVAL.commit(actor, approval, "approve", _cap_facts(approval))
    return approval


@transaction.atomic
def approval_refuse(*, actor, approval: Approval, note: str) -> Approval:
    require_deciding_head(actor, approval, "refuse")
    approval = APPROVAL.lock(approval, "refuse")
    approval.decision_note = reason_check(note, what=_("不予批准的理由"))
    approval.decided_by, approval.decided_at = actor, timezone.now()
    APPROVAL.commit(actor, approval, "refuse", {"note": approval.decision_note})
    return approval


@transaction.atomic
def approval_withdraw(*, actor, approval: Approval, reason: str) -> Approval:
    """An approval not used (the visit no longer needed, or its period past) is withdrawn by whoever asked for it or
    a head: it no longer counts against the caps, and leaves the enterprise's tally."""
    APPROVAL.require(actor, approval.agency, "withdraw")
    if actor is not None and actor.pk != approval.requested_by_id and not is_head(actor, approval.agency):
        raise PermissionDenied(_("检查审批由申请人或负责人撤回。"))
    tally = tally_locked(approval.party, approval.year)
    approval = APPROVAL.lock(approval, "withdraw")
    reason = reason_check(reason, what=_("撤回理由"))
    if approval.status == S.APPROVED:
        tally_count(approval, tally, step=-1)
    APPROVAL.commit(actor, approval, "withdraw", {"reason": reason})
    return approval


@transaction.atomic
def approval_join(*, actor, approval: Approval, other: Approval) -> Approval:
    """综合查一次: a head joins the agency's inspection to another agency's of the same enterprise in the window
    (into its joint inspection, or a new one led by the other agency). Both rows are locked in one order; the other
    agency's approval gets its own ledger entry in its own agency."""
    require_deciding_head(actor, approval, "join")
    locked = {row.pk: row for row in Approval.objects.select_for_update().filter(pk__in=[approval.pk, other.pk])}
    if other.pk not in set(joint_candidates(approval).values_list("pk", flat=True)):
        raise ValidationError({"other": _("只能与其他机关在合并窗口内、尚未实施的对同一企业的检查合并。")})
    approval = APPROVAL.lock(approval, "join")
    if approval.joint_id is not None:
        raise ValidationError({"other": _("本次检查已纳入综合查一次。")})
    other = locked[other.pk]
    if other.joint_id is None:
        other.joint = JointInspection.objects.create(
            party=other.party, planned_on=other.planned_from, lead=other.agency
        )
        other.version += 1
        other.save(update_fields=["joint", "version"])
        ledger_append(
            actor=actor,
            agency=other.agency,
            action="inspection_approval.joined",
            subject=other,
            data={"joint": other.joint_id, "with": approval.pk, "version": other.version},
        )
    approval.joint = other.joint
    APPROVAL.commit(actor, approval, "join", {"joint": other.joint_id, "with": other.pk})
    return approval
