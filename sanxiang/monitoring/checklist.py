"""第四十一条审核 — the checklist 《行政处罚法》第四十一条 sets for monitoring data used as evidence, and the gate it is:
the device reviewed and its location published (read from the device and the point, never ticked by hand), the
records reviewed by the agency as 真实、清晰、完整、准确, the party told of the facts and invited to state its case.

A case whose evidence is only this data is not decided before the list is complete (`decision_gate`, the hook
cases.decision_evidence_gate); a case with other evidence is not held by it, and its page still shows the list."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Role
from sanxiang.cases.models import Case
from sanxiang.core.errors import RuleViolation
from sanxiang.core.text import reason_check
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger.services import staff_refs
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.monitoring.models import CaseSegment, EvidenceCheck, Exceedance
from sanxiang.monitoring.registry import not_future

OPEN, COMPLETE = EvidenceCheck.Status.OPEN, EvidenceCheck.Status.COMPLETE
STAFF = {Role.OFFICER, Role.HEAD}
CITATION = "《行政处罚法》第四十一条"
EITHER = {OPEN, COMPLETE}

CHECK = StateMachine(
    model=EvidenceCheck,
    prefix="evidence_check",
    related=("agency", "case"),
    conflict=gettext_lazy("第四十一条审核已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    moves={
        "open": Move({NEW}, OPEN, gettext_lazy("开始第四十一条审核")),
        "manifest": Move(EITHER, None, gettext_lazy("登记在线监控哈希清单")),
        "review_records": Move(EITHER, EITHER, gettext_lazy("审核监控记录"), roles=STAFF),
        "tell_party": Move(EITHER, EITHER, gettext_lazy("登记告知当事人违法事实"), roles=STAFF),
        "invite_statement": Move(EITHER, EITHER, gettext_lazy("登记告知陈述申辩"), roles=STAFF),
        "reissue_party_key": Move(EITHER, EITHER, gettext_lazy("重新生成当事人查询地址"), roles=STAFF),
    },
)
LEDGER_ACTIONS = CHECK.labels()


def open_check(*, case: Case) -> EvidenceCheck:
    """The case's checklist, opened with the case (its first monitoring evidence)."""
    check = EvidenceCheck.objects.filter(case=case).first()
    if check is not None:
        return check
    check = CHECK.start(EvidenceCheck(agency=case.agency, case=case), "open")
    CHECK.commit(None, check, "open", {"case": case.pk})
    return check


def missing(check: EvidenceCheck) -> list[str]:
    """What the checklist still lacks, each in words; empty when complete. Device and point are read as they stand
    for each exceedance's day: a review or a publication later than the data does not cover it."""
    lacking = []
    for exceedance in Exceedance.objects.filter(case_id=check.case_id).select_related("device", "point"):
        day = timezone.localdate(exceedance.period_start)
        device, point = exceedance.device, exceedance.point
        if device.review_passed_on is None or device.review_passed_on > day:
            lacking.append(_("设备 %(mn)s 在 %(day)s 未经法制和技术审核") % {"mn": device.mn, "day": day})
        if point.location_published_on is None or point.location_published_on > day:
            lacking.append(_("点位 %(point)s 的设置地点在 %(day)s 未向社会公布") % {"point": point.name, "day": day})
    if check.records_reviewed_on is None:
        lacking.append(_("监控记录尚未经审核（真实、清晰、完整、准确）"))
    elif not check.records_conform:
        lacking.append(_("监控记录经审核不符合要求，不得作为行政处罚的证据"))
    if check.party_told_on is None:
        lacking.append(_("尚未告知当事人违法事实"))
    if check.statement_invited_on is None:
        lacking.append(_("尚未告知当事人陈述、申辩的权利"))
    return list(dict.fromkeys(lacking))


def monitoring_only(case: Case) -> bool:
    """Whether the case's evidence (its own items and its inspection's) is only the monitoring data it was given."""
    ours = CaseSegment.objects.filter(case=case, item__isnull=False).values("item_id")
    owned = (
        Q(case=case) | Q(inspection_id=case.inspection_id, case__isnull=True) if case.inspection_id else Q(case=case)
    )
    return not EvidenceItem.objects.filter(owned).exclude(pk__in=ours).exists()


def decision_gate(*, case: Case) -> None:
    """The hook cases.decision_evidence_gate: refuse to decide a case resting on monitoring data alone while its
    checklist is incomplete (未经审核或者经审核不符合要求的，不得作为行政处罚的证据)."""
    check = EvidenceCheck.objects.filter(case=case).first()
    if check is None or not monitoring_only(case):
        return
    lacking = missing(check)
    if lacking:
        raise RuleViolation(
            _("本案证据仅有在线监控数据，第四十一条审核尚未完成：%(lacking)s。") % {"lacking": "；".join(lacking)},
            code="monitoring_evidence_unchecked",
            citation=CITATION,
        )


def _after_findings(check: EvidenceCheck, day: dt.date, field: str) -> None:
    first = Exceedance.objects.filter(case_id=check.case_id).order_by("found_at").first()
    if first and day < timezone.localdate(first.found_at):
        raise ValidationError({field: _("日期不能早于发现超标之日。")})


def _commit(actor, check: EvidenceCheck, move: str, data: dict) -> EvidenceCheck:
    check.status = COMPLETE if not missing(check) else OPEN
    CHECK.commit(actor, check, move, data)
    return check


@transaction.atomic
def check_review_records(
    *, actor, check: EvidenceCheck, reviewed_on: dt.date, conform: bool, opinion: str, version=None
) -> EvidenceCheck:
    """审核记录内容: a person of the agency states whether the data are 真实、清晰、完整、准确, and why."""
    check = CHECK.lock(check, "review_records", version=version)
    CHECK.require(actor, check.agency, "review_records")
    not_future(reviewed_on, "reviewed_on")
    _after_findings(check, reviewed_on, "reviewed_on")
    opinion = reason_check(opinion, what=_("审核意见"), field="opinion")
    check.records_reviewed_by, check.records_reviewed_on = actor, reviewed_on
    check.records_conform, check.records_opinion = bool(conform), opinion
    facts = {"reviewed_on": reviewed_on, "conform": bool(conform), "reviewer": staff_refs([actor]) if actor else []}
    return _commit(actor, check, "review_records", facts)


@transaction.atomic
def check_tell_party(*, actor, check: EvidenceCheck, told_on: dt.date, how: str, version=None) -> EvidenceCheck:
    """及时告知当事人违法事实: when and how the party was told (and shown the data); the first time, the key of the
    party's own page of the data (portal /monitoring/party/<key>/) is made, for the notice to carry."""
    check = CHECK.lock(check, "tell_party", version=version)
    CHECK.require(actor, check.agency, "tell_party")
    not_future(told_on, "told_on")
    _after_findings(check, told_on, "told_on")
    how = reason_check(how, what=_("告知方式"), limit=100, field="how")
    check.party_told_on, check.party_told_how = told_on, how
    # the party's own page of the data (第四十一条第三款: 为当事人查询、陈述和申辩提供便利), its key given with the notice
    check.party_key = check.party_key or secrets.token_urlsafe(24)
    return _commit(actor, check, "tell_party", {"told_on": told_on, "how": how})


@transaction.atomic
def check_reissue_party_key(*, actor, check: EvidenceCheck, reason: str, version=None) -> EvidenceCheck:
    """A new key for the party's page, the old one answering no more: for a notice that reached someone else, or an
    address the party lost. Only once the party was told (before, there is no address to replace); the reason is
    recorded, the key never."""
    check = CHECK.lock(check, "reissue_party_key", version=version)
    CHECK.require(actor, check.agency, "reissue_party_key")
    if not check.party_key:
        raise RuleViolation(
            _("尚未告知当事人，没有可以更换的查询地址。"), code="party_not_told", citation=f"{CITATION}第三款"
        )
    reason = reason_check(reason, what=_("更换原因"), field="reason")
    check.party_key = secrets.token_urlsafe(24)
    return _commit(actor, check, "reissue_party_key", {"reason": reason})


@transaction.atomic
def check_invite_statement(*, actor, check: EvidenceCheck, invited_on: dt.date, version=None) -> EvidenceCheck:
    """为当事人陈述和申辩提供便利: when the party was told it may state its case."""
    check = CHECK.lock(check, "invite_statement", version=version)
    CHECK.require(actor, check.agency, "invite_statement")
    not_future(invited_on, "invited_on")
    _after_findings(check, invited_on, "invited_on")
    check.statement_invited_on = invited_on
    return _commit(actor, check, "invite_statement", {"invited_on": invited_on})
