"""The machinery every case transition shares: lock, check the move, apply, refresh the clocks, ledger."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases import deadlines
from sanxiang.cases.models import OPEN_STAGES, Approval, Case, Stage
from sanxiang.core.errors import Conflict
from sanxiang.documents.services import document_issue
from sanxiang.documents.types import doc_type as document_type
from sanxiang.ledger.services import ledger_append

ACTIVE = {Stage.INVESTIGATING, Stage.REVIEWING, Stage.NOTIFIED, Stage.HEARING, Stage.DECIDING}

# action: (stages it may start from, stage it leads to — None keeps the stage, label)
MOVES = {
    "open": ({Stage.CLUE}, None, gettext_lazy("登记案源")),
    "file": ({Stage.CLUE}, Stage.INVESTIGATING, gettext_lazy("立案")),
    "not_file": ({Stage.CLUE}, Stage.NOT_FILED, gettext_lazy("不予立案")),
    "extend_filing": ({Stage.CLUE}, None, gettext_lazy("延长立案期限")),
    "preserve": ({Stage.INVESTIGATING}, None, gettext_lazy("先行登记保存")),
    "decide_preservation": ({Stage.INVESTIGATING, Stage.REVIEWING}, None, gettext_lazy("作出先行登记保存处理决定")),
    "calculate_discretion": ({Stage.INVESTIGATING, Stage.DECIDING}, None, gettext_lazy("自由裁量计算")),
    "submit": ({Stage.INVESTIGATING}, Stage.REVIEWING, gettext_lazy("调查终结，移送案件审查")),
    "review": ({Stage.REVIEWING}, None, gettext_lazy("案件审查")),
    "send_back": ({Stage.REVIEWING}, Stage.INVESTIGATING, gettext_lazy("退回补充调查")),
    "notify": ({Stage.REVIEWING}, Stage.NOTIFIED, gettext_lazy("事先告知")),
    "statement": ({Stage.NOTIFIED, Stage.HEARING}, None, gettext_lazy("记录陈述申辩")),
    "waive": ({Stage.NOTIFIED}, None, gettext_lazy("记录放弃陈述申辩和听证")),
    "request_hearing": ({Stage.NOTIFIED}, Stage.HEARING, gettext_lazy("受理听证申请")),
    "schedule_hearing": ({Stage.HEARING}, None, gettext_lazy("安排听证")),
    "hold_hearing": ({Stage.HEARING}, None, gettext_lazy("记录听证")),
    "reconsider": ({Stage.NOTIFIED, Stage.HEARING}, Stage.DECIDING, gettext_lazy("复核")),
    "correct": ({Stage.DECIDING}, None, gettext_lazy("补正案件材料")),
    "discuss": ({Stage.DECIDING}, None, gettext_lazy("集体讨论")),
    "extend_decision": (ACTIVE, None, gettext_lazy("延长办案期限")),
    "suspend": (ACTIVE, None, gettext_lazy("中止计算办案期限")),
    "resume": (ACTIVE, None, gettext_lazy("恢复计算办案期限")),
    "record_review": ({Stage.DECIDING}, None, gettext_lazy("记录法制审核结果")),
    "decide": ({Stage.DECIDING}, Stage.DECIDED, gettext_lazy("作出决定")),
    "serve": ({Stage.DECIDED}, Stage.SERVED, gettext_lazy("送达决定书")),
    "pay": ({Stage.SERVED}, None, gettext_lazy("记录缴纳")),
    "defer": ({Stage.SERVED}, None, gettext_lazy("批准延期、分期缴纳")),
    "remind": ({Stage.SERVED}, None, gettext_lazy("送达催告书")),
    "apply_court": ({Stage.SERVED}, None, gettext_lazy("申请法院强制执行")),
    "close": ({Stage.SERVED}, Stage.CLOSED, gettext_lazy("结案")),
    "withdraw": ({Stage.INVESTIGATING, Stage.REVIEWING}, Stage.WITHDRAWN, gettext_lazy("销案")),
    "archive": ({Stage.CLOSED, Stage.NOT_FILED, Stage.WITHDRAWN}, Stage.ARCHIVED, gettext_lazy("归档")),
    "edit": (ACTIVE | {Stage.CLUE}, None, gettext_lazy("修改案件信息")),
    "seize": (ACTIVE | {Stage.CLUE, Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("查封、扣押")),
    "order_correction": (ACTIVE | {Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("责令改正违法行为")),
    "extend_seizure": (ACTIVE | {Stage.CLUE, Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("延长查封、扣押")),
    "release_seizure": (ACTIVE | {Stage.CLUE, Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("解除查封、扣押")),
    "daily_penalty": (ACTIVE | {Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("按日连续处罚")),
    "limit_production": (ACTIVE | {Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("责令限制生产、停产整治")),
}


def today() -> dt.date:
    return timezone.localdate()


def lock(case: Case, action: str, *, version: int | None = None) -> Case:
    """The case, locked for this transaction, if `action` is allowed from its stage (and nobody changed it since
    the caller read `version`)."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("agency", "party", "violation").get(pk=case.pk)
    if version is not None and locked.version != version:
        raise Conflict(_("案件已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。")
                       % {"now": locked.version, "seen": version})
    allowed, _target, label = MOVES[action]
    if locked.stage not in allowed:
        if locked.stage == Stage.ARCHIVED:
            message = _("案件已归档，案卷不得修改、增加或抽取（《环境行政处罚办法》第七十条）")
        else:
            message = _("案件当前处于“%(stage)s”阶段，不能%(action)s。") % {
                "stage": locked.get_stage_display(), "action": label,
            }
        raise ValidationError(message, code="invalid_transition")
    return locked


def commit(actor, case: Case, action: str, data: dict | None = None) -> Case:
    """Apply the move's stage, refresh the clocks, save, and ledger — the end of every transition."""
    target = MOVES[action][1]
    if target is not None:
        case.stage = target
    case.version += 1
    deadlines.refresh(case, today=today())
    case.save()
    facts = {"stage": case.stage, "number": case.number, "version": case.version}
    facts.update(data or {})
    ledger_append(actor=actor, agency=case.agency, action=f"case.{action}", subject=case, data=facts)
    return case


def approve(case: Case, step: str, approver, opinion: str) -> Approval:
    return Approval.objects.create(case=case, step=step, approver=approver, opinion=opinion, approved_at=timezone.now())


def case_context(case: Case) -> dict:
    """The fields every case document shares (personal data stays in the document, never in the ledger)."""
    party = case.party
    return {
        "case_number": case.number, "case_title": case.title, "party_name": party.name, "party_code": party.code,
        "legal_representative": party.legal_representative, "party_address": party.address,
    }


def issue(actor, case: Case, doc_type: str, on: dt.date, subject: Model | None = None, **fields):
    """A document of the case (numbered when its type has a 文号)."""
    context = case_context(case)
    context.update(fields)
    allowed = document_type(doc_type).fields
    return document_issue(
        actor=actor, agency=case.agency, doc_type_code=doc_type, subject=subject or case, issued_on=on,
        context={key: value for key, value in context.items() if key in allowed},
    )


def officer_names(officers) -> str:
    return "、".join(officer.full_name for officer in officers)


def not_future(day: dt.date, what: str) -> None:
    if day > today():
        raise ValidationError(_("%(what)s不能晚于今天。") % {"what": what}, code="future_date")


def case_refresh_deadlines(*, batch: int = 2000) -> int:
    """Recompute the stored next deadline of every open case for today; returns how many changed.

    No ledger entry: the deadline is derived from recorded facts and the calendar, and changes nothing legal.
    """
    changed, day = 0, today()
    cases = Case.objects.filter(stage__in=OPEN_STAGES).select_related("agency", "party").order_by("pk")
    for case in cases.iterator(chunk_size=batch):
        before = (case.next_due_on, case.next_due_kind, case.next_due_provisional)
        deadlines.refresh(case, today=day)
        if (case.next_due_on, case.next_due_kind, case.next_due_provisional) != before:
            Case.objects.filter(pk=case.pk).update(next_due_on=case.next_due_on, next_due_kind=case.next_due_kind,
                                                   next_due_provisional=case.next_due_provisional)
            changed += 1
    return changed
