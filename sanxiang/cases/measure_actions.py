"""The case actions beyond the procedure itself: 复议 and 诉讼, coercive and corrective measures, and the decisions
derived from the case (按日连续处罚, 限产停产, 责令停业、关闭), each with who may take it. Part of the one table (actions.WORKFLOW)."""

from __future__ import annotations

from sanxiang.cases import measure_forms as f
from sanxiang.cases import services as s
from sanxiang.cases.action_kit import case_action
from sanxiang.cases.models import CaseKind
from sanxiang.cases.services.base import today


def _open_seizure(case) -> bool:
    return case.seizures.filter(released_on__isnull=True).exists()


def _unchallenged(case) -> bool:
    return not case.challenges.filter(decided_on__isnull=True).exists()


MEASURE_ACTIONS = [
    # 复议 and 诉讼 are answered by the agency's legal staff (法制机构) and its heads.
    case_action(
        "challenge",
        f.ChallengeForm,
        lambda u, c, d: s.challenge_record(
            actor=u,
            case=c,
            kind=d["kind"],
            body=d["body"],
            reference=d["reference"],
            filed_on=d["day"],
            version=d["version"],
            late_reason=d["late_reason"],
        ),
        _unchallenged,
    ),
    case_action(
        "challenge_outcome",
        f.ChallengeOutcomeForm,
        lambda u, c, d: s.challenge_decide(
            actor=u,
            case=c,
            challenge=d["challenge"],
            decided_on=d["day"],
            outcome=d["outcome"],
            note=d["note"],
            version=d["version"],
            late_reason=d["late_reason"],
        ),
        lambda case: not _unchallenged(case),
    ),
    case_action(
        "seize",
        f.SeizeForm,
        lambda u, c, d: s.seizure_propose(
            actor=u,
            case=c,
            kind=d["kind"],
            items=d["items"],
            place=d["place"],
            reasons=d["reasons"],
            officers=d["officers"],
            days=d["days"],
            emergency=d["emergency"],
            started_at=d["started_at"],
            late_reason=d["late_reason"],
        ),
        lambda c: c.kind == CaseKind.PENALTY,
    ),
    case_action(
        "extend_seizure",
        f.SeizureForm,
        lambda u, c, d: s.seizure_extend(actor=u, seizure=d["seizure"], days=d["days"] or 0, reason=d["reason"]),
        _open_seizure,
    ),
    case_action(
        "release_seizure",
        f.SeizureForm,
        lambda u, c, d: s.seizure_release(
            actor=u,
            seizure=d["seizure"],
            released_on=d["day"] or today(),
            reason=d["reason"],
            late_reason=d["late_reason"],
        ),
        _open_seizure,
    ),
    case_action(
        "order_correction",
        f.CorrectionForm,
        lambda u, c, d: s.correction_order_issue(
            actor=u,
            case=c,
            content=d["content"],
            served_on=d["day"],
            correct_by=d["correct_by"],
            late_reason=d["late_reason"],
        ),
    ),
    # 按日连续处罚 and 限产停产 are decided in cases of their own (services.derived): the head approves opening one.
    case_action(
        "daily_penalty",
        f.DailyPenaltyForm,
        lambda u, c, d: s.daily_penalty_open(
            actor=u,
            case=c,
            order=d["order"],
            reinspected_on=d["day"],
            investigators=d["investigators"],
            late_reason=d["late_reason"],
        ),
        lambda c: c.kind == CaseKind.PENALTY and c.correction_orders.exists() and c.decided_on is not None,
    ),
    case_action(
        "limit_production",
        f.ProductionForm,
        lambda u, c, d: s.production_measure_open(
            actor=u,
            case=c,
            kind=d["kind"],
            months=d["months"],
            reason=d["reason"],
            investigators=d["investigators"],
        ),
        lambda c: c.kind == CaseKind.PENALTY,
    ),
    # 责令停业、关闭: proposed by the head in a case of its own, decided after the people's government approved it.
    case_action(
        "propose_closure",
        f.ClosureForm,
        lambda u, c, d: s.closure_propose(
            actor=u,
            case=c,
            kind=d["kind"],
            ground=d["ground"],
            reason=d["reason"],
            investigators=d["investigators"],
        ),
        lambda c: c.kind in (CaseKind.PENALTY, CaseKind.PRODUCTION),
    ),
    case_action(
        "record_government_approval",
        f.GovernmentApprovalForm,
        lambda u, c, d: s.closure_approval_record(
            actor=u,
            case=c,
            government=d["government"],
            approved_on=d["day"],
            number=d["number"],
            late_reason=d["late_reason"],
            version=d["version"],
        ),
        lambda c: c.closure.approved_on is None,
    ),
]
