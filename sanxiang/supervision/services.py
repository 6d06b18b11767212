"""行政执法监督: a supervisor (执法监督人员) of an agency above issues a 监督意见书 or 整改通知书 to an agency it
supervises; the agency's head signs for it (签收) and reports its 整改情况; the supervisor accepts it or returns it
with a reason, and closes the matter.

One function per move of NOTICE, each locking the notice, checking the move against the table and the actor against
the notice's agencies, applying it and ledgering it in one transaction. The ledger holds digests of the texts, never
the texts (they may name people)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency, Role
from sanxiang.core.rules import deadline
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.supervision import selectors
from sanxiang.supervision.flags import KINDS
from sanxiang.supervision.models import Notice, NoticeRecord

ISSUED, ACKNOWLEDGED, RESPONDED, RETURNED, ACCEPTED, CLOSED = (
    Notice.Status.ISSUED,
    Notice.Status.ACKNOWLEDGED,
    Notice.Status.RESPONDED,
    Notice.Status.RETURNED,
    Notice.Status.ACCEPTED,
    Notice.Status.CLOSED,
)
DUE_RULE = "supervision.rectification_workdays"
TEXT_LIMIT = 5000


class NoticeMachine(StateMachine):
    def facts(self, record: Notice) -> dict:
        return {"version": record.version, "kind": record.kind, "due_on": record.due_on.isoformat()}


NOTICE = NoticeMachine(
    model=Notice,
    prefix="supervision_notice",
    related=("agency", "issuing_agency"),
    conflict=gettext_lazy("该监督文书已被他人处理（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("该监督文书当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "issue": Move({NEW}, ISSUED, gettext_lazy("下达监督文书"), roles={Role.SUPERVISOR}),
        "acknowledge": Move({ISSUED}, ACKNOWLEDGED, gettext_lazy("签收监督文书"), roles={Role.HEAD}),
        "respond": Move({ACKNOWLEDGED, RETURNED}, RESPONDED, gettext_lazy("报送整改情况"), roles={Role.HEAD}),
        "accept": Move({RESPONDED}, ACCEPTED, gettext_lazy("认可整改情况"), roles={Role.SUPERVISOR}),
        "return": Move({RESPONDED}, RETURNED, gettext_lazy("退回整改情况"), roles={Role.SUPERVISOR}),
        "close": Move({ACCEPTED}, CLOSED, gettext_lazy("办结监督文书"), roles={Role.SUPERVISOR}),
    },
)
LEDGER_ACTIONS = NOTICE.labels()

NOT_SUPERVISED = gettext_lazy("只有上级机关的执法监督人员可以对本机关下达、审查监督文书。")
NOT_ADDRESSED = gettext_lazy("只有被监督机关的负责人可以签收监督文书、报送整改情况。")


def _digest(*texts: str) -> str:
    return hashlib.sha256("\n\n".join(texts).encode()).hexdigest()


def _text(value: str, *, field: str, what: str, limit: int = TEXT_LIMIT, required: bool = True) -> str:
    """A text of the notice, trimmed: no control characters but the line breaks of a multi-line text."""
    refuse_control_characters({field: (value or "").replace("\r\n", "").replace("\n", "")})
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: ValidationError(_("请填写%(what)s。") % {"what": what}, code="required")})
    if len(value) > limit:
        raise ValidationError({field: _("%(what)s不能超过 %(limit)d 字。") % {"what": what, "limit": limit}})
    return value


def _require_supervisor(actor, agency: Agency) -> None:
    if not selectors.supervises(actor, agency):
        raise PermissionDenied(NOT_SUPERVISED)


def _require_addressed(actor, notice: Notice) -> None:
    if not selectors.answers_for(actor, notice):
        raise PermissionDenied(NOT_ADDRESSED)


def notice_default_due(*, agency: Agency, issued_on: dt.date):
    """The 整改期限 a notice gets when the supervisor names none: the rule's working days from the day it is issued
    (the rule of the addressed agency's lineage, so a province may set its own)."""
    return deadline(DUE_RULE, issued_on, agency)


@transaction.atomic
def notice_issue(
    *,
    actor,
    agency: Agency,
    kind: str,
    subject: str,
    findings: str,
    requirement: str,
    due_on: dt.date | None = None,
    records: list[tuple[str, int, str]] = (),
) -> Notice:
    """下达: a supervisor of an agency above `agency` sends it a notice of `kind` with what was found and what is
    required, due on `due_on` (or the rule's default); `records` are the flags it is about (kind, id, words)."""
    NOTICE.require(actor, agency, "issue")
    _require_supervisor(actor, agency)
    if kind not in Notice.Kind.values:
        raise ValidationError({"kind": ValidationError(_("请选择文书类别。"), code="kind")})
    subject = _text(subject, field="subject", what=_("事由"), limit=200)
    findings = _text(findings, field="findings", what=_("发现的问题"))
    requirement = _text(requirement, field="requirement", what=_("监督意见和整改要求"))
    today = timezone.localdate()
    provisional = False
    if due_on is None:
        default = notice_default_due(agency=agency, issued_on=today)
        due_on, provisional = default.date, default.provisional
    elif due_on <= today:
        raise ValidationError({"due_on": ValidationError(_("整改期限应当晚于下达之日。"), code="due_in_past")})
    rows = []
    for record_kind, record_id, label in records:
        if record_kind not in KINDS:
            raise ValidationError({"records": _("无法识别的记录类别：%(kind)s") % {"kind": record_kind}})
        rows.append((record_kind, int(record_id), _text(label, field="records", what=_("记录"), limit=300)))
    notice = Notice.objects.create(
        agency=agency,
        issuing_agency=actor.agency,
        kind=kind,
        subject=subject,
        findings=findings,
        requirement=requirement,
        due_on=due_on,
        due_provisional=provisional,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    NoticeRecord.objects.bulk_create(
        NoticeRecord(notice=notice, kind=record_kind, record_id=record_id, label=label)
        for record_kind, record_id, label in dict.fromkeys(rows)
    )
    NOTICE.start(notice, "issue")
    NOTICE.commit(
        actor,
        notice,
        "issue",
        {
            "issuing_agency": actor.agency.code,
            "sha256": _digest(subject, findings, requirement),
            "records": sorted(f"{row[0]}:{row[1]}" for row in dict.fromkeys(rows)),
        },
    )
    return notice


@transaction.atomic
def notice_acknowledge(*, actor, notice: Notice, version: int | None = None) -> Notice:
    """签收: a head of the addressed agency signs for the notice."""
    notice = NOTICE.lock(notice, "acknowledge", version=version)
    _require_addressed(actor, notice)
    notice.acknowledged_by, notice.acknowledged_at = actor, timezone.now()
    NOTICE.commit(actor, notice, "acknowledge")
    return notice


@transaction.atomic
def notice_respond(
    *, actor, notice: Notice, response: str, evidence_note: str = "", version: int | None = None
) -> Notice:
    """报送整改情况: a head of the addressed agency reports what was done (and names the evidence: documents,
    records, photos kept by the agency); after a return, the new report replaces the old one."""
    notice = NOTICE.lock(notice, "respond", version=version)
    _require_addressed(actor, notice)
    response = _text(response, field="response", what=_("整改情况"))
    evidence_note = _text(evidence_note, field="evidence_note", what=_("佐证材料说明"), limit=500, required=False)
    today = timezone.localdate()
    late = today > notice.due_on
    notice.response, notice.evidence_note = response, evidence_note
    notice.responded_by, notice.responded_at = actor, timezone.now()
    if notice.first_responded_on is None:
        notice.first_responded_on = today
    NOTICE.commit(actor, notice, "respond", {"sha256": _digest(response, evidence_note), "late": late})
    return notice


@transaction.atomic
def notice_accept(*, actor, notice: Notice, version: int | None = None) -> Notice:
    """认可: a supervisor above the agency finds the 整改情况 sufficient."""
    notice = NOTICE.lock(notice, "accept", version=version)
    _require_supervisor(actor, notice.agency)
    notice.decided_by, notice.decided_at = actor, timezone.now()
    NOTICE.commit(actor, notice, "accept")
    return notice


@transaction.atomic
def notice_return(*, actor, notice: Notice, reason: str, version: int | None = None) -> Notice:
    """退回: a supervisor above the agency finds the 整改情况 insufficient and says why; the agency reports again
    (the due date stays: a notice returned and not answered again by then is overdue)."""
    notice = NOTICE.lock(notice, "return", version=version)
    _require_supervisor(actor, notice.agency)
    reason = reason_check(reason, what=_("退回理由"), limit=500)
    notice.return_reason, notice.returns = reason, notice.returns + 1
    notice.decided_by, notice.decided_at = actor, timezone.now()
    NOTICE.commit(actor, notice, "return", {"sha256": _digest(reason), "returns": notice.returns})
    return notice


@transaction.atomic
def notice_close(*, actor, notice: Notice, note: str = "", version: int | None = None) -> Notice:
    """办结: the supervisor closes an accepted notice, with an optional note."""
    notice = NOTICE.lock(notice, "close", version=version)
    _require_supervisor(actor, notice.agency)
    notice.closing_note = _text(note, field="note", what=_("办结说明"), limit=500, required=False)
    notice.closed_at = timezone.now()
    NOTICE.commit(actor, notice, "close", {"sha256": _digest(notice.closing_note)} if notice.closing_note else {})
    return notice
