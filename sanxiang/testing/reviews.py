"""Factories for legal review: the nine points filled in, and a review taken to an opinion through the services."""

from __future__ import annotations

import io

from sanxiang.cases.models import Act
from sanxiang.evidence.models import EvidenceKind
from sanxiang.evidence.services import evidence_ingest
from sanxiang.review import services
from sanxiang.review.models import ITEM_CODES, ItemResult, Review, Round


def items(**problems: str) -> dict:
    """All nine points 符合, except the ones named here as 存在问题 with their comment."""
    return {
        code: {"result": ItemResult.PROBLEM, "comment": problems[code]} if code in problems
        else {"result": ItemResult.CONFORMS, "comment": ""}
        for code in ITEM_CODES
    }


def add_evidence(world, case, name="监测报告.pdf"):
    """A monitoring report in the case file (a review needs the evidence, not only its list)."""
    return evidence_ingest(actor=world.people.officer, source=io.BytesIO(b"%PDF-1.4 monitoring report " + name.encode()),
                           original_name=name, act=Act.EVIDENCE, kind=EvidenceKind.DOCUMENTARY,
                           recorded_by=world.people.officer, case=case, description="有资质机构出具的监测报告")


def submit(world, case) -> Review:
    """The investigator sends `case` for review (with a piece of evidence in its file if it has none)."""
    if not case.evidence_items.exists():
        add_evidence(world, case)
    return services.review_submit(actor=world.people.officer, case=case, affirmed=True)


def agree(reviewer, review: Review) -> Round:
    return services.review_record_opinion(actor=reviewer, review=review, items=items(), outcome=Round.Outcome.AGREE,
                                          opinion="事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意作出决定。")


def find_problems(reviewer, review: Review, **problems: str) -> Round:
    problems = problems or {"discretion": "罚款未说明从重理由"}
    return services.review_record_opinion(
        actor=reviewer, review=review, items=items(**problems), outcome=Round.Outcome.PROBLEMS,
        opinion="案件基本事实清楚，但存在以下问题。", corrections="；".join(problems.values()))


def pass_review(world, case, *, reviewer=None) -> Review:
    """Submit `case` and have it agreed (by the counsel unless another reviewer is named)."""
    review = submit(world, case)
    agree(reviewer or world.people.counsel, review)
    review.refresh_from_db()
    return review
