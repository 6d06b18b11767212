"""Factories for legal review: the nine points filled in, and a review taken to an opinion through the services."""

from __future__ import annotations

from sanxiang.cases import services as cases
from sanxiang.review import services
from sanxiang.review.models import ITEM_CODES, ItemResult, Review, Round
from sanxiang.testing.cases import add_evidence

__all__ = ["add_evidence", "agree", "find_problems", "items", "pass_review", "ready", "submit"]


def items(**problems: str) -> dict:
    """All nine points 符合, except the ones named here as 存在问题 with their comment."""
    return {
        code: {"result": ItemResult.PROBLEM, "comment": problems[code]}
        if code in problems
        else {"result": ItemResult.CONFORMS, "comment": ""}
        for code in ITEM_CODES
    }


def calculate_discretion(world, case):
    """The discretion calculation at every factor's lowest level; a fine above it is given its reason."""
    case = cases.case_calculate_discretion(actor=world.people.officer, case=case, violation=case.violation, choices={})
    if case.departs_from_benchmark:
        case = cases.case_correct(
            actor=world.people.officer,
            case=case,
            facts=case.facts,
            evidence=case.evidence,
            basis=case.basis,
            kinds=case.decided_kinds,
            fine=case.decided_fine,
            confiscation=case.decided_confiscation,
            departure_reason="一年内两次超标排放，从重处罚",
            note="说明偏离裁量计算结果的理由",
        )
    return case


def ready(world, case):
    """What a submission needs that a walked case lacks: evidence in its file and the discretion calculation."""
    if not case.evidence_items.exists():
        add_evidence(world, case)
    return calculate_discretion(world, case) if case.decided_fine is not None and not case.discretion else case


def submit(world, case) -> Review:
    """The investigator sends `case` for review, made ready first."""
    return services.review_submit(actor=world.people.officer, case=ready(world, case), affirmed=True)


def agree(reviewer, review: Review) -> Round:
    return services.review_record_opinion(
        actor=reviewer,
        review=review,
        items=items(),
        outcome=Round.Outcome.AGREE,
        opinion="事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意作出决定。",
    )


def find_problems(reviewer, review: Review, **problems: str) -> Round:
    problems = problems or {"discretion": "罚款未说明从重理由"}
    return services.review_record_opinion(
        actor=reviewer,
        review=review,
        items=items(**problems),
        outcome=Round.Outcome.PROBLEMS,
        opinion="案件基本事实清楚，但存在以下问题。",
        corrections="；".join(problems.values()),
    )


def pass_review(world, case, *, reviewer=None) -> Review:
    """Submit `case` and have it agreed (by the counsel unless another reviewer is named)."""
    review = submit(world, case)
    agree(reviewer or world.people.counsel, review)
    review.refresh_from_db()
    return review
