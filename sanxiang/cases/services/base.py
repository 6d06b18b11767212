"""The machinery every case transition shares: lock, check the move, apply, refresh the clocks, ledger."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases import deadlines, hooks
from sanxiang.cases.models import OPEN_STAGES, Approval, Case, CaseKind, LateRecord, Stage
from sanxiang.cases.search import cases_index
from sanxiang.cases.selectors import case_document_fields
from sanxiang.documents.services import document_issue
from sanxiang.documents.types import context_for
from sanxiang.ledger.transitions import NEW, Move, StateMachine

ACTIVE = {Stage.INVESTIGATING, Stage.REVIEWING, Stage.NOTIFIED, Stage.HEARING, Stage.DECIDING}
ARCHIVABLE = {Stage.CLOSED, Stage.NOT_FILED, Stage.WITHDRAWN}
MEASURES = ACTIVE | {Stage.DECIDED, Stage.SERVED}  # stages in which a coercive or corrective measure may be taken


# A seizure case decides its seizure and nothing else; the seizure's own moves belong to it alone.
SEIZURE_MOVES = {
    "propose_seizure",
    "record_review",
    "correct",
    "decide",
    "discuss",
    "extend_seizure",
    "release_seizure",
    "challenge",
    "challenge_outcome",
    "archive",
}
# Who takes each move (查审分离): officers investigate and act, reviewers review, heads approve and decide; the
# workbench and the API offer each step to these roles (action_kit), and the machine refuses anyone else.
OFFICERS, HEADS = {"officer"}, {"head"}
OFFICER_OR_HEAD = {"officer", "head"}
CASE_REVIEWERS = {"officer", "reviewer"}  # 案件审查 by the handling unit's reviewer, before legal review
HEARING_STAFF = {"officer", "reviewer", "head"}
LEGAL_OR_HEAD = {"reviewer", "head"}  # 复议 and 诉讼 are answered by the legal staff (法制机构) and heads
ARCHIVISTS = {"officer", "publicity_clerk", "head"}

# Moves that belong to one kind of case alone.
OWN_MOVES = {
    "propose_seizure": CaseKind.SEIZURE,
    "extend_seizure": CaseKind.SEIZURE,
    "release_seizure": CaseKind.SEIZURE,
    "record_government_approval": CaseKind.CLOSURE,
}


class CaseMachine(StateMachine):
    """The procedure of a case: its stage moves by the table below, the moves of its kind only; every move refreshes
    the case's clocks."""

    def allows(self, record: Case, move: str) -> bool:
        own = OWN_MOVES.get(move, record.kind) == record.kind
        return own and (record.kind != CaseKind.SEIZURE or move in SEIZURE_MOVES) and super().allows(record, move)

    def refusal(self, record: Case, move: str) -> str:
        if record.stage == Stage.ARCHIVED:
            return _("案件已归档，案卷不得修改、增加或抽取（《环境行政处罚办法》第七十条）")
        if super().allows(record, move):  # the stage allows it; the case's kind does not
            return _("%(kind)s案件不能%(action)s。") % {
                "kind": record.get_kind_display(),
                "action": self.moves[move].label,
            }
        return _("案件当前处于“%(stage)s”阶段，不能%(action)s。") % {
            "stage": record.get_stage_display(),
            "action": self.moves[move].label,
        }

    def facts(self, record: Case) -> dict:
        return {"number": record.number, "version": record.version}

    def before_save(self, record: Case) -> None:
        deadlines.refresh(record, today=today())

    def commit(self, actor, record: Case, move: str, data: dict | None = None, **options) -> int:
        """As every machine commits, and the acts of the move recorded after their day (补录, see act_on) are kept
        with their reason, their two dates going into the entry."""
        late = record.__dict__.pop("_late", [])
        if late:
            data = (data or {}) | {
                "late": [
                    {"what": str(item["what"]), "acted_on": item["acted_on"], "recorded_on": today()} for item in late
                ]
            }
        index = super().commit(actor, record, move, data, **options)
        LateRecord.objects.bulk_create(
            LateRecord(
                case=record,
                move=move,
                what=str(item["what"])[:60],
                acted_on=item["acted_on"],
                recorded_on=today(),
                reason=item["reason"],
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            for item in late
        )
        return index


M = Move
# A decision may be challenged until the file is archived.
CHALLENGEABLE = {Stage.DECIDED, Stage.SERVED, Stage.CLOSED}
CASE = CaseMachine(
    model=Case,
    prefix="case",
    field="stage",
    related=("agency", "party", "violation"),
    conflict=gettext_lazy("案件已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    moves={
        "open": M({NEW}, Stage.CLUE, gettext_lazy("登记案源"), roles=OFFICER_OR_HEAD),
        "file": M({Stage.CLUE}, Stage.INVESTIGATING, gettext_lazy("立案"), roles=HEADS),
        "not_file": M({Stage.CLUE}, Stage.NOT_FILED, gettext_lazy("不予立案"), roles=HEADS),
        "extend_filing": M({Stage.CLUE}, None, gettext_lazy("延长立案期限"), roles=HEADS),
        "transfer": M({Stage.CLUE}, None, gettext_lazy("移送管辖"), roles=HEADS),
        "record_act_place": M({Stage.CLUE}, None, gettext_lazy("登记违法行为发生地"), roles=HEADS),
        "preserve": M({Stage.INVESTIGATING}, None, gettext_lazy("先行登记保存"), roles=OFFICERS),
        "decide_preservation": M(
            {Stage.INVESTIGATING, Stage.REVIEWING},
            None,
            gettext_lazy("作出先行登记保存处理决定"),
            roles=OFFICER_OR_HEAD,
        ),
        "calculate_discretion": M(
            {Stage.INVESTIGATING, Stage.DECIDING}, None, gettext_lazy("自由裁量计算"), roles=OFFICERS
        ),
        "submit": M({Stage.INVESTIGATING}, Stage.REVIEWING, gettext_lazy("调查终结，移送案件审查"), roles=OFFICERS),
        "review": M({Stage.REVIEWING}, None, gettext_lazy("案件审查"), roles=CASE_REVIEWERS),
        "send_back": M({Stage.REVIEWING}, Stage.INVESTIGATING, gettext_lazy("退回补充调查"), roles=CASE_REVIEWERS),
        "notify": M({Stage.REVIEWING}, Stage.NOTIFIED, gettext_lazy("事先告知"), roles=OFFICERS),
        "statement": M({Stage.NOTIFIED, Stage.HEARING}, None, gettext_lazy("记录陈述申辩"), roles=OFFICERS),
        "waive": M({Stage.NOTIFIED, Stage.HEARING}, None, gettext_lazy("记录放弃陈述申辩、听证"), roles=OFFICERS),
        # A request made in time is accepted even after the case was reconsidered (it was recorded late).
        "request_hearing": M(
            {Stage.NOTIFIED, Stage.DECIDING}, Stage.HEARING, gettext_lazy("受理听证申请"), roles=OFFICERS
        ),
        "schedule_hearing": M({Stage.HEARING}, None, gettext_lazy("安排听证"), roles=HEADS),
        "hold_hearing": M({Stage.HEARING}, None, gettext_lazy("记录听证"), roles=HEARING_STAFF),
        "reconsider": M({Stage.NOTIFIED, Stage.HEARING}, Stage.DECIDING, gettext_lazy("复核"), roles=OFFICERS),
        "correct": M({Stage.DECIDING}, None, gettext_lazy("补正案件材料"), roles=OFFICER_OR_HEAD),
        "discuss": M({Stage.DECIDING}, None, gettext_lazy("集体讨论"), roles=HEADS),
        "extend_decision": M(ACTIVE, None, gettext_lazy("延长办案期限"), roles=HEADS),
        "suspend": M(ACTIVE, None, gettext_lazy("中止计算办案期限"), roles=OFFICER_OR_HEAD),
        "resume": M(ACTIVE, None, gettext_lazy("恢复计算办案期限"), roles=OFFICER_OR_HEAD),
        "record_review": M({Stage.DECIDING}, None, gettext_lazy("记录法制审核结果")),
        "decide": M({Stage.DECIDING}, Stage.DECIDED, gettext_lazy("作出决定"), roles=HEADS),
        "serve": M({Stage.DECIDED}, Stage.SERVED, gettext_lazy("送达决定书"), roles=OFFICERS),
        "pay": M({Stage.SERVED}, None, gettext_lazy("记录缴纳"), roles=OFFICERS),
        "defer": M({Stage.SERVED}, None, gettext_lazy("批准延期、分期缴纳"), roles=HEADS),
        "remind": M({Stage.SERVED}, None, gettext_lazy("送达催告书"), roles=OFFICERS),
        "apply_court": M({Stage.SERVED}, None, gettext_lazy("申请法院强制执行"), roles=OFFICERS),
        "close": M({Stage.SERVED}, Stage.CLOSED, gettext_lazy("结案"), roles=HEADS),
        "challenge": M(CHALLENGEABLE, None, gettext_lazy("登记行政复议、行政诉讼"), roles=LEGAL_OR_HEAD),
        "challenge_outcome": M(CHALLENGEABLE, None, gettext_lazy("记录复议决定、判决结果"), roles=LEGAL_OR_HEAD),
        "withdraw": M({Stage.INVESTIGATING, Stage.REVIEWING}, Stage.WITHDRAWN, gettext_lazy("销案"), roles=HEADS),
        "archive": M(ARCHIVABLE, Stage.ARCHIVED, gettext_lazy("归档"), roles=ARCHIVISTS),
        "edit": M(ACTIVE | {Stage.CLUE}, None, gettext_lazy("修改案件信息"), roles=OFFICER_OR_HEAD),
        # A seizure is proposed on the filed case that found the violation (its number anchors the seizure's
        # documents) and decided in a case of its own (services.seizures): proposed at the decision stage, approved
        # by `decide`, ended by its release.
        "seize": M(ACTIVE | {Stage.DECIDED, Stage.SERVED}, None, gettext_lazy("查封、扣押呈批"), roles=OFFICERS),
        "propose_seizure": M({NEW}, Stage.DECIDING, gettext_lazy("查封、扣押呈批"), roles=OFFICERS),
        "order_correction": M(MEASURES, None, gettext_lazy("责令改正违法行为"), roles=OFFICERS),
        "extend_seizure": M({Stage.DECIDING, Stage.DECIDED}, None, gettext_lazy("延长查封、扣押"), roles=HEADS),
        "release_seizure": M(
            {Stage.DECIDING, Stage.DECIDED}, Stage.CLOSED, gettext_lazy("解除查封、扣押"), roles=OFFICER_OR_HEAD
        ),
        # Each opens a case of its own (services.derived); a daily penalty may follow a case already closed.
        "daily_penalty": M(MEASURES | {Stage.CLOSED}, None, gettext_lazy("按日连续处罚立案"), roles=HEADS),
        "limit_production": M(MEASURES, None, gettext_lazy("责令限制生产、停产整治立案"), roles=HEADS),
        "propose_closure": M(MEASURES, None, gettext_lazy("责令停业、关闭立案"), roles=HEADS),
        # A closure is decided only once the people's government with the power approved it (《环境保护法》第六十条).
        "record_government_approval": M(
            {Stage.DECIDING}, None, gettext_lazy("登记人民政府批准文件"), roles=OFFICER_OR_HEAD
        ),
    },
)


def today() -> dt.date:
    return timezone.localdate()


def lock(case: Case, action: str, *, version: int | None = None) -> Case:
    """The case, locked for this transaction, if `action` is allowed from its stage (and nobody changed it since
    the caller read `version`)."""
    return CASE.lock(case, action, version=version)


def commit(actor, case: Case, action: str, data: dict | None = None) -> Case:
    """Apply the move's stage, refresh the clocks, save, and ledger — the end of every transition."""
    CASE.commit(actor, case, action, data)
    cases_index(Case.objects.filter(pk=case.pk))  # a move may give the number (filing) or the title (opening)
    return case


def approve(case: Case, step: str, approver, opinion: str) -> Approval:
    return Approval.objects.create(case=case, step=step, approver=approver, opinion=opinion, approved_at=timezone.now())


def issue(actor, case: Case, doc_type: str, on: dt.date, subject: Model | None = None, **fields):
    """A document of the case (numbered when its type has a 文号)."""
    return document_issue(
        actor=actor,
        agency=case.agency,
        doc_type_code=doc_type,
        subject=subject or case,
        issued_on=on,
        context=context_for(doc_type, case_document_fields(case) | fields),
    )


def review_needed(case: Case) -> bool:
    """Whether the decision as it now stands needs legal review by the agency's catalogue (the review app's, through
    hooks.review_gate); the catalogue lines it meets are kept on the case."""
    # Production measures and seizures are the catalogue's coercive measures (查封、扣押、限制生产、停产整治).
    reasons = hooks.review().reasons(case, coercive=case.kind in (CaseKind.PRODUCTION, CaseKind.SEIZURE))
    case.review_required, case.review_reasons = bool(reasons), reasons
    return bool(reasons)


def legal_review_refusal(case: Case) -> str:
    """Why the case may not go on for want of the legal review its catalogue requires ("" when it needs none or the
    review's final opinion cleared it). The review's own records decide, not the case's flag."""
    return hooks.review().refusal(case) if review_needed(case) else ""


def decision_issued(actor, case: Case, document, *, content: str, kinds=(), fine=None, confiscation=None) -> None:
    """Tell the apps above that a decision was issued (publicity opens its publication record), in this
    transaction: if one of them refuses, the decision is not made either."""
    hooks.decision_issued(
        actor=actor,
        case=case,
        document=document,
        content=content,
        kinds=list(kinds),
        fine=fine,
        confiscation=confiscation,
    )


def officer_names(officers) -> str:
    return "、".join(officer.full_name for officer in officers)


def not_future(day: dt.date, what: str) -> None:
    if day > today():
        raise ValidationError(_("%(what)s不能晚于今天。") % {"what": what}, code="future_date")


def late_facts(day: dt.date, what: str, late_reason: str) -> dict | None:
    """Check the date of an act against the day it is recorded: never in the future; earlier only as a 补录 with its
    reason. Returns what the record keeps of a 补录 (None for an act recorded on its day)."""
    not_future(day, what)
    if day == today():
        return None
    reason = late_reason.strip()
    if not reason:
        raise ValidationError(
            {"late_reason": _("%(what)s（%(day)s）早于今天，属于补录，请写明补录理由。") % {"what": what, "day": day}},
            code="late_reason_required",
        )
    return {"what": what, "acted_on": day, "reason": reason[:300]}


def moment_facts(moment: dt.datetime, what: str, late_reason: str) -> dict | None:
    """late_facts for an act recorded with its time (on the spot): a time later than now is refused as well."""
    if moment > timezone.now() + dt.timedelta(minutes=5):  # a phone's clock may run a little ahead
        raise ValidationError(_("%(what)s不能晚于现在。") % {"what": what}, code="future_date")
    return late_facts(timezone.localtime(moment).date(), what, late_reason)


def act_on(case: Case, day: dt.date, what: str, late_reason: str = "") -> dt.date:
    """The date of a case's act (late_facts); a 补录 is kept by the move's commit (LateRecord) and named in its ledger
    entry. A gate decided by a clock must still hold on the recording day: the services check both days."""
    late = late_facts(day, what, late_reason)
    if late is not None:
        case.__dict__.setdefault("_late", []).append(late)
    return day


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
            Case.objects.filter(pk=case.pk).update(
                next_due_on=case.next_due_on,
                next_due_kind=case.next_due_kind,
                next_due_provisional=case.next_due_provisional,
            )
            changed += 1
    return changed
