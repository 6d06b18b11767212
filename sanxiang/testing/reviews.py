"""Factories for legal review: the nine points filled in, and a review taken to an opinion through the services —
of a case's decision, or of a licence decision the agency's catalogue names."""

from __future__ import annotations

from sanxiang.cases import services as cases
from sanxiang.licensing import services as licensing
from sanxiang.licensing.models import Application, Examination, LicenceType
from sanxiang.review import services
from sanxiang.review.models import ITEM_CODES, ItemResult, Review, ReviewRule, Round
from sanxiang.testing.cases import add_evidence

__all__ = [
    "add_evidence",
    "agree",
    "examine_site",
    "find_problems",
    "items",
    "licence_line",
    "pass_review",
    "ready",
    "submit",
    "submit_application",
]


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


def licence_line(licence_type: LicenceType) -> ReviewRule:
    """A line of the agency's catalogue naming the decisions of the type's licensing power (kind `licence`)."""
    return services.review_rule_add(
        actor=None,
        agency=licence_type.agency,
        kind=ReviewRule.Kind.LICENCE,
        value="",
        description=f"作出{licence_type.name}决定",
        citation="哈环规〔2026〕5号",
        power=licence_type.power,
    )


def examine_site(world, application: Application) -> Application:
    """The officer and the partner check the site: both become the application's officers (审查人员)."""
    licensing.application_examine(
        actor=world.people.officer,
        application=application,
        kind=Examination.Kind.SITE,
        findings="现场核查，建设地点、规模与申请材料一致。",
        officers=[world.people.officer, world.people.partner],
    )
    return Application.objects.get(pk=application.pk)


def submit_application(world, application: Application) -> Review:
    """The officer who checked the site sends the application for review."""
    return services.review_submit_application(actor=world.people.officer, application=application, affirmed=True)
