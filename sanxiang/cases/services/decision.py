"""复核, legal review gate, 集体讨论, the decision clock and 决定 (《行政处罚法》第四十五条、第五十七条、第五十八条、
第六十条、第六十二条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Role
from sanxiang.cases import deadlines, gates, hooks, recitals
from sanxiang.cases.models import (
    Approval,
    Case,
    CaseKind,
    CollectiveDiscussion,
    Outcome,
    PenaltyKind,
    Suspension,
    describe_penalty,
)
from sanxiang.cases.services.base import (
    act_on,
    approve,
    commit,
    decision_issued,
    issue,
    legal_review_refusal,
    lock,
    review_needed,
    today,
)
from sanxiang.cases.services.derived import derived_content, derived_decision
from sanxiang.cases.services.seizures import seizure_approve
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import rule
from sanxiang.core.wording import deadline_words, last_day_words
from sanxiang.documents.texts import payment_fields, remedy_fields
from sanxiang.ledger.services import staff_refs

# Penalties serious enough that the heads must deliberate together (重大违法行为, 《行政处罚法》第五十七条).
MAJOR_KINDS = {PenaltyKind.REVOKE_LICENCE, PenaltyKind.SUSPEND_OPERATION, PenaltyKind.CLOSE}


def collective_required(case: Case) -> bool:
    return case.complex_or_major or bool(set(case.decided_kinds or case.proposed_kinds) & MAJOR_KINDS)


def _rights_respected(case: Case, on: dt.date) -> None:
    """No decision (nor the reconsideration that settles it) before the notice was served and each of the party's
    rights ran its course: the statement period and the hearing-request period are separate clocks, each named
    when it still runs (《行政处罚法》第四十四条、第四十五条、第六十二条至第六十四条)."""
    if case.notice_served_on is None:
        raise RuleViolation(_("未经事先告知不得作出处罚决定"), code="not_notified", citation="《行政处罚法》第六十二条")
    hearing_withdrawn = case.hearing_waived_on and case.hearing_waived_on >= (case.hearing_requested_on or on)
    if case.hearing_requested_on and not case.hearing_held_on and not hearing_withdrawn:
        raise RuleViolation(
            _("当事人要求听证的，应当组织听证后再作决定"),
            code="hearing_missing",
            citation="《行政处罚法》第六十四条、第六十五条",
        )
    windows = deadlines.open_windows(case, on=on)
    if windows:
        running = "；".join(
            _("%(label)s至 %(date)s尚未届满") % {"label": window.label, "date": last_day_words(window.due.date)}
            for window in windows
        )
        raise RuleViolation(
            _("%(running)s，当事人未明确放弃，不得作出处罚决定") % {"running": running},
            code=f"{windows[0].kind}_window_open",
            citation="《行政处罚法》第四十四条、第六十二条、第六十三条、第六十四条",
        )
    if case.statement_received_on and not case.statement_handled:
        raise RuleViolation(
            _("应当充分听取当事人的陈述、申辩并进行复核"),
            code="statement_not_handled",
            citation="《行政处罚法》第四十五条",
        )


def _base(case: Case) -> Decimal | None:
    return Decimal(case.discretion["base"]) if case.discretion.get("base") else None


def _proposed_outcome(outcome: str, kinds: list[str]) -> str:
    """What the decision will be (处罚, 不予处罚 or 移送); by default a penalty when there are penalty kinds."""
    outcome = outcome or (Outcome.PENALTY if kinds else Outcome.NO_PENALTY)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择处理结果。")})
    if outcome == Outcome.PENALTY and not kinds:
        raise ValidationError(_("给予行政处罚的，须有处罚种类。"), code="no_penalty_kinds")
    return outcome


@transaction.atomic
def case_reconsider(
    *,
    actor,
    case: Case,
    kinds: list[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
    note: str,
    outcome: str = "",
    version=None,
) -> Case:
    """复核: weigh the statements and the hearing, and fix the decision to make — never heavier than notified."""
    case = lock(case, "reconsider", version=version)
    if case.statement_received_on or case.hearing_held_on:
        case.statement_handled = True
    _rights_respected(case, today())
    gates.not_heavier(case, kinds, fine, confiscation)
    gates.proposal_lawful(case, kinds, fine, confiscation, base=_base(case), settled=True)
    if not note.strip():
        raise ValidationError({"note": _("请写明复核意见（对陈述申辩、听证意见的采纳情况）。")})
    case.proposed_outcome = _proposed_outcome(outcome, kinds)
    case.decided_kinds, case.decided_fine, case.decided_confiscation = kinds, fine, confiscation
    case.reconsideration_note = note.strip()
    return commit(
        actor,
        case,
        "reconsider",
        {
            "outcome": case.proposed_outcome,
            "kinds": sorted(kinds),
            "fine": fine,
            "review_required": review_needed(case),
        },
    )


@transaction.atomic
def case_correct(
    *,
    actor,
    case: Case,
    facts: str,
    evidence: str,
    basis: str,
    kinds: list[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
    departure_reason: str,
    note: str,
    outcome: str = "",
    version=None,
) -> Case:
    """补正: before the decision the handling unit corrects facts, evidence, basis or the penalty (as a legal review
    asked); the decision then differs from what any earlier review saw, so it must be reviewed again."""
    case = lock(case, "correct", version=version)
    if not all(text.strip() for text in (facts, evidence, basis)):
        raise ValidationError(_("违法事实、证据和处罚依据都须填写。"), code="incomplete")
    if not note.strip():
        raise ValidationError({"note": _("请说明补正的内容和理由。")})
    gates.not_heavier(case, kinds, fine, confiscation)
    gates.proposal_lawful(case, kinds, fine, confiscation, base=_base(case), settled=True)
    case.departs_from_benchmark = gates.departs_from_calculation(case.discretion, fine, departure_reason)
    case.departure_reason = departure_reason.strip() if case.departs_from_benchmark else ""
    case.facts, case.evidence, case.basis = facts.strip(), evidence.strip(), basis.strip()
    case.proposed_outcome = _proposed_outcome(outcome or case.proposed_outcome, kinds)
    case.decided_kinds, case.decided_fine, case.decided_confiscation = kinds, fine, confiscation
    review_needed(case)
    return commit(
        actor,
        case,
        "correct",
        {"outcome": case.proposed_outcome, "kinds": sorted(kinds), "fine": fine, "note": note.strip()},
    )


@transaction.atomic
def case_discuss(
    *,
    actor,
    case: Case,
    held_on: dt.date,
    participants,
    opinions: str,
    conclusion: str,
    extension_days: int = 0,
    late_reason: str = "",
    version=None,
) -> CollectiveDiscussion:
    """负责人集体讨论, with minutes; it may also extend the decision period once more (≤ 30 days)."""
    case = lock(case, "discuss", version=version)
    participants = list(participants)
    gates.require_head(actor, case.agency, _("集体讨论"))
    act_on(case, held_on, _("讨论日期"), late_reason)
    if len(participants) < 2 or not any(person.has_role(Role.HEAD) for person in participants):
        raise RuleViolation(
            _("集体讨论须由负责人主持、多人参加"), code="discussion_too_small", citation="《行政处罚法》第五十七条"
        )
    if not (opinions.strip() and conclusion.strip()):
        raise ValidationError(_("讨论意见和结论都须记录。"), code="incomplete")
    if extension_days:
        limit = rule("decision.collective_extension_days", case.agency)
        if case.decision_extension_days < rule("decision.extension_days", case.agency).number:
            raise RuleViolation(
                _("须先经负责人批准延长三十日，集体讨论才可决定再延长"), code="extension_order", citation=limit.citation
            )
        if not 0 < extension_days <= limit.number:
            raise RuleViolation(
                _("集体讨论决定延长的期限最长三十日"), code="extension_too_long", citation=limit.citation
            )
        case.decision_extension_days += extension_days
    discussion = CollectiveDiscussion.objects.create(
        case=case,
        held_on=held_on,
        opinions=opinions.strip(),
        conclusion=conclusion.strip(),
        extension_days=extension_days,
    )
    discussion.participants.set(participants)
    case.collective_held_on = held_on
    issue(
        actor,
        case,
        "collective_minutes",
        held_on,
        subject=discussion,
        held_on=str(held_on),
        participants="、".join(person.full_name for person in participants),
        opinions=opinions,
        conclusion=conclusion,
    )
    commit(
        actor,
        case,
        "discuss",
        {
            "held_on": held_on,
            "extension_days": extension_days,
            "participants": staff_refs(person.pk for person in participants),
        },
    )
    return discussion


@transaction.atomic
def case_extend_decision(*, actor, case: Case, reason: str, version=None) -> Case:
    """A complex case: the head extends the 90-day period by 30 days, once (2023 办法 art 57)."""
    case = lock(case, "extend_decision", version=version)
    gates.require_head(actor, case.agency, _("延长办案期限"))
    extension = rule("decision.extension_days", case.agency)
    if case.decision_extension_days:
        raise RuleViolation(
            _("负责人批准延长只能一次，再延长须经集体讨论决定"), code="extension_twice", citation=extension.citation
        )
    if today() > deadlines.decision_due(case, today=today()).date:
        raise RuleViolation(_("办案期限已届满，不能再延长"), code="decision_late", citation=extension.citation)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明延长理由。")})
    if actor:
        approve(case, Approval.Step.DECISION_EXTENSION, actor, reason)
    case.decision_extension_days = extension.number
    return commit(actor, case, "extend_decision", {"days": extension.number})


@transaction.atomic
def case_suspend(*, actor, case: Case, kind: str, started_on: dt.date, late_reason: str = "", version=None) -> Case:
    """Stop the decision clock for monitoring, appraisal, service or public notice (2010 办法 art 55)."""
    case = lock(case, "suspend", version=version)
    if kind not in Suspension.Kind.values or kind == Suspension.Kind.HEARING:
        raise ValidationError({"kind": _("请选择中止事由（听证由听证申请自动中止）。")})
    if deadlines.open_suspension(case):
        raise ValidationError(_("办案期限已在中止中。"), code="already_suspended")
    act_on(case, started_on, _("中止日期"), late_reason)
    Suspension.objects.create(case=case, kind=kind, started_on=started_on)
    return commit(actor, case, "suspend", {"kind": kind, "from": started_on})


@transaction.atomic
def case_resume(*, actor, case: Case, ended_on: dt.date, late_reason: str = "", version=None) -> Case:
    case = lock(case, "resume", version=version)
    suspension = deadlines.open_suspension(case)
    if suspension is None or suspension.kind == Suspension.Kind.HEARING:
        raise ValidationError(_("没有可以恢复的中止（听证中止在听证结束时恢复）。"), code="not_suspended")
    act_on(case, ended_on, _("恢复日期"), late_reason)
    if ended_on < suspension.started_on:
        raise ValidationError({"ended_on": _("恢复日期不能早于中止日期。")})
    suspension.ended_on = ended_on
    suspension.save(update_fields=["ended_on"])
    return commit(actor, case, "resume", {"kind": suspension.kind, "to": ended_on})


@transaction.atomic
def case_record_review_result(*, actor, case: Case, passed: bool, reference: str) -> Case:
    """The outcome of the legal review (法制审核) on the case's record, written by the review workflow only.

    The decision gate reads the review itself (hooks.review_gate); this keeps the case's history.
    """
    case = lock(case, "record_review")
    case.review_passed_at = timezone.now() if passed else None
    return commit(actor, case, "record_review", {"passed": passed, "review": reference})


@transaction.atomic
def case_decide(
    *, actor, case: Case, outcome: str, decided_on: dt.date | None = None, late_reason: str = "", version=None
) -> Case:
    """决定, made by the head once every gate holds; the decision document gets its 文号. A decision recorded late
    (补录) must also have been lawful on the day it is recorded: the decision period is checked on both days."""
    case = lock(case, "decide", version=version)
    decided_on = act_on(case, decided_on or today(), _("决定日期"), late_reason)
    gates.require_head(actor, case.agency, _("作出行政处罚决定"))
    # A seizure case decides a coercive measure: no prior notice, no 90-day clock (its own law's timing applies).
    coercive = case.kind == CaseKind.SEIZURE
    outcome = Outcome.MEASURE if coercive else outcome
    if outcome not in Outcome.values or (outcome == Outcome.MEASURE and not coercive):
        raise ValidationError({"outcome": _("请选择处理结果。")})
    if not coercive:
        _rights_respected(case, decided_on)
    gates.not_heavier(case, case.decided_kinds, case.decided_fine, case.decided_confiscation)
    case.outcome = outcome if coercive else _proposed_outcome(outcome, case.decided_kinds)  # a penalty has kinds
    # The review's own records decide, not the case's flag: nothing but a review's final opinion opens this gate.
    refused = legal_review_refusal(case)
    if refused:
        raise RuleViolation(refused, code="legal_review_required", citation="《行政处罚法》第五十八条")
    hooks.decision_evidence_gate(case=case)  # e.g. monitoring data alone, before its art-41 checklist is complete
    if case.kind == CaseKind.CLOSURE:
        gates.government_approved(case, decided_on)
    if collective_required(case) and case.collective_held_on is None:
        raise RuleViolation(
            _("情节复杂或者重大违法行为给予行政处罚，负责人应当集体讨论决定"),
            code="collective_discussion_required",
            citation="《行政处罚法》第五十七条",
        )
    due = None if coercive else deadlines.decision_due(case, today=decided_on)
    if due is not None and max(decided_on, today()) > due.date:
        raise RuleViolation(
            _("已超过办案期限（应于 %(date)s作出决定）") % {"date": deadline_words(due.date)},
            code="decision_late",
            citation=rule("decision.days", case.agency).citation,
        )
    if deadlines.open_suspension(case):
        raise ValidationError(_("办案期限中止期间不能作出决定，请先恢复。"), code="suspended")
    if actor:
        approve(case, Approval.Step.DECISION, actor, _("同意") + Outcome(outcome).label)
    case.decided_on = decided_on
    _issue_decision(actor, case, outcome, decided_on)
    return commit(
        actor,
        case,
        "decide",
        {
            "outcome": outcome,
            "decision_number": case.decision_number,
            "kinds": sorted(case.decided_kinds),
            "fine": case.decided_fine,
        },
    )


def _issue_decision(actor, case: Case, outcome: str, on: dt.date) -> None:
    """The decision's document by the case's kind, and the publication it opens."""
    if case.kind == CaseKind.SEIZURE:
        seizure_approve(actor, case, on)  # issues (or, after an emergency, has issued) its own documents
        return
    derived = case.kind != CaseKind.PENALTY and outcome == Outcome.PENALTY
    document = derived_decision(actor, case, on) if derived else _decision_document(actor, case, outcome, on)
    case.decision_number = document.number
    decision_issued(
        actor,
        case,
        document,
        content=derived_content(case) if derived else case.decided_text,
        kinds=case.decided_kinds,
        fine=case.decided_fine,
        confiscation=case.decided_confiscation,
    )


def _decision_document(actor, case: Case, outcome: str, on: dt.date):
    """The decision with what the law has it name (art 59): the procedure and the evidence by number, how a fine is
    paid and the routes of both remedies — refused by name when the case or the agency lacks any (document_issue)."""
    remedies = remedy_fields(case.agency)
    if outcome == Outcome.PENALTY:
        return issue(
            actor,
            case,
            "penalty_decision",
            on,
            facts=case.facts,
            evidence=case.evidence,
            basis=case.basis,
            decision_text=describe_penalty(case.decided_kinds, case.decided_fine, case.decided_confiscation),
            **recitals.penalty_recitals(case),
            **(payment_fields(case.agency) if case.decided_fine else {}),
            **remedies,
        )
    if outcome == Outcome.NO_PENALTY:
        case.decided_kinds, case.decided_fine, case.decided_confiscation = [], None, None
        return issue(
            actor,
            case,
            "no_penalty_decision",
            on,
            facts=case.facts,
            basis=case.basis,
            decision_text=_("决定不予行政处罚。"),
            **remedies,
        )
    return issue(actor, case, "referral", on, facts=case.facts, basis=case.basis, receiver=_("公安机关或者司法机关"))
