"""Submission, the opinion, resubmission and coordination — and the bad input each refuses."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.cases import services as cases
from sanxiang.cases.models import Outcome, Stage
from sanxiang.core.blobs import blob_read
from sanxiang.core.errors import Conflict
from sanxiang.ledger.models import Entry
from sanxiang.review import selectors, services
from sanxiang.review.models import Coordination, Review, Round
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.reviews import add_evidence, agree, find_problems, items, submit


@pytest.fixture
def case(world):
    return walk(world, open_case(world), "reconsidered", fine=Decimal("200000"), evidence=False)


@pytest.fixture
def review(world, case):
    with at(DECIDED):
        return submit(world, case)


def docx_text(document) -> str:
    with zipfile.ZipFile(io.BytesIO(blob_read(document.docx_sha256))) as docx:
        return docx.read("word/document.xml").decode()


def test_submission_assembles_the_materials_runs_the_prechecks_and_sets_the_period(world, review):
    first = review.rounds.get()
    assert first.number == 1 and first.submitted_by == world.people.officer
    assert "真实性、准确性、完整性" in first.statement
    assert first.materials["decision_text"].startswith("罚款") and first.materials["evidence_items"]
    assert {"investigation_report", "prior_notice"} <= {doc["type"] for doc in first.materials["documents"]}
    assert set(first.prechecks) == {
        "subject",
        "officers",
        "jurisdiction",
        "procedure",
        "facts",
        "law",
        "evidence",
        "documents",
        "discretion",
    }
    assert str(first.due_on) == "2026-10-19"  # five working days after Monday 12 October


def test_submitting_a_case_without_evidence_files_names_what_is_missing(world, case):
    with at(DECIDED):
        error = refused(
            "incomplete", lambda: services.review_submit(actor=world.people.officer, case=case, affirmed=True)
        )
    assert "证据材料" in error.messages[0]
    assert not Review.objects.exists()


def test_submission_needs_the_responsibility_statement_a_settled_decision_and_the_catalogue(world, case):
    add_evidence(world, case)
    with at(DECIDED), pytest.raises(ValidationError) as error:
        services.review_submit(actor=world.people.officer, case=case, affirmed=False)
    assert "affirmed" in error.value.error_dict
    early = walk(world, open_case(world), "notified", fine=Decimal("200000"))
    add_evidence(world, early)
    minor = walk(world, open_case(world), "reconsidered", fine=Decimal("150000"))
    add_evidence(world, minor)
    with at(DECIDED):
        refused(
            "invalid_transition", lambda: services.review_submit(actor=world.people.officer, case=early, affirmed=True)
        )
        refused(
            "review_not_required", lambda: services.review_submit(actor=world.people.officer, case=minor, affirmed=True)
        )


def test_only_the_handling_unit_submits(world, case):
    add_evidence(world, case)
    for person in (world.people.clerk, world.people.counsel, world.people.outsider):
        with at(DECIDED), pytest.raises(PermissionDenied):
            services.review_submit(actor=person, case=case, affirmed=True)


def test_an_opinion_is_a_numbered_document_with_the_nine_points_and_a_ledger_entry(world, case, review):
    with at(DECIDED):
        services.review_take(actor=world.people.counsel, review=review)
        decided = agree(world.people.counsel, review)
    assert decided.opinion_document.number == "哈环审〔2026〕1号"
    text = docx_text(decided.opinion_document)
    for label in (
        "执法主体",
        "执法人员",
        "管辖权限",
        "执法程序",
        "事实认定",
        "法律适用",
        "证据使用",
        "执法文书",
        "自由裁量权运用",
    ):
        assert label in text
    assert "周雅琴（公职律师）" in text
    actions = list(
        Entry.objects.filter(subject_type="review.review", subject_id=str(review.pk))
        .order_by("index")
        .values_list("action", flat=True)
    )
    assert actions == ["review.submit", "review.take", "review.opinion"]
    assert Entry.objects.filter(
        subject_type="cases.case", subject_id=str(case.pk), action="case.record_review"
    ).exists()


@pytest.mark.parametrize(
    ("outcome", "problems", "corrections", "code"),
    [
        ("problems", {"discretion": "未说明理由"}, "", "corrections_required"),
        ("problems", {}, "请补充", "no_problem_items"),
        ("agree", {"facts": "证据不足"}, "", "agree_with_problems"),
    ],
)
def test_an_opinion_must_be_consistent(world, review, outcome, problems, corrections, code):
    with at(DECIDED):
        refused(
            code,
            lambda: services.review_record_opinion(
                actor=world.people.counsel,
                review=review,
                items=items(**problems),
                outcome=outcome,
                opinion="意见",
                corrections=corrections,
            ),
        )
    assert review.rounds.get().outcome == ""


def test_every_point_needs_a_result_and_a_problem_needs_its_description(world, review):
    incomplete = items()
    del incomplete["law"]
    incomplete["facts"] = {"result": "problem", "comment": ""}
    with at(DECIDED), pytest.raises(ValidationError) as error:
        services.review_record_opinion(
            actor=world.people.counsel,
            review=review,
            items=incomplete,
            outcome="problems",
            opinion="意见",
            corrections="补充",
        )
    messages = error.value.message_dict["items"]
    assert any("法律适用" in message for message in messages) and any("事实认定" in message for message in messages)


def test_two_reviewers_saving_at_once_get_a_conflict_not_a_lost_update(world, review):
    seen = review.version
    with at(DECIDED):
        services.review_record_opinion(
            actor=world.people.counsel, review=review, items=items(), outcome="agree", opinion="同意", version=seen
        )
        with pytest.raises(Conflict):
            services.review_record_opinion(
                actor=world.people.reviewer,
                review=review,
                items=items(discretion="偏高"),
                outcome="problems",
                opinion="存在问题",
                corrections="降低罚款",
                version=seen,
            )
    decided = review.rounds.get()
    assert decided.outcome == Round.Outcome.AGREE and decided.reviewer == world.people.counsel


def test_the_handling_unit_corrects_and_resubmits_and_the_rounds_can_be_compared(world, case, review):
    with at(DECIDED):
        find_problems(world.people.counsel, review, facts="未写明超标排放的持续时间")
        refused("invalid_transition", lambda: agree(world.people.counsel, review))
        with pytest.raises(ValidationError) as error:
            services.review_resubmit(actor=world.people.officer, review=review, response=" ", affirmed=True)
        assert "response" in error.value.error_dict
        case.refresh_from_db()
        case = cases.case_correct(
            actor=world.people.officer,
            case=case,
            facts=case.facts + "超标排放持续至2026年8月30日。",
            evidence=case.evidence,
            basis=case.basis,
            kinds=["fine"],
            fine=Decimal("200000"),
            confiscation=None,
            departure_reason=case.departure_reason,
            note="按审核意见补充违法行为持续时间",
        )
        services.review_resubmit(
            actor=world.people.officer, review=review, response="已补充违法行为持续时间", affirmed=True
        )
        first, second = review.rounds.order_by("number")
        assert selectors.round_changes(first, second) == ["违法事实"]
        assert second.response == "已补充违法行为持续时间" and second.outcome == ""
        agree(world.people.counsel, review)
        case = cases.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)
    assert case.stage == Stage.DECIDED
    assert list(review.rounds.values_list("number", "outcome")) == [(1, "problems"), (2, "agree")]


def test_a_contested_opinion_upheld_by_the_head_must_still_be_corrected(world, case, review):
    with at(DECIDED):
        find_problems(world.people.counsel, review)
        refused(
            "invalid_transition",
            lambda: services.review_coordinate(
                actor=world.people.head, review=review, decision="overrule", note="尚无异议"
            ),
        )
        services.review_contest(actor=world.people.officer, review=review, reason="裁量理由已在调查报告中写明")
        refused(
            "head_approval_required",
            lambda: services.review_coordinate(
                actor=world.people.officer, review=review, decision="overrule", note="不采纳"
            ),
        )
        services.review_coordinate(
            actor=world.people.head, review=review, decision="uphold", note="审核意见成立，承办机构应补充裁量理由"
        )
        review.refresh_from_db()
        assert review.status == Review.Status.PROBLEMS
        refused(
            "already_coordinated",
            lambda: services.review_contest(actor=world.people.officer, review=review, reason="仍不同意"),
        )
        refused(
            "legal_review_required",
            lambda: cases.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY),
        )


def test_collective_discussion_may_overrule_the_opinion_and_that_opens_the_gate(world, case, review):
    with at(DECIDED):
        find_problems(world.people.counsel, review)
        coordination = services.review_contest(
            actor=world.people.officer, review=review, reason="监测数据已经复核，证据充分"
        )
        discussion = cases.case_discuss(
            actor=world.people.head,
            case=case,
            held_on=DECIDED,
            participants=[world.people.head, world.people.counsel],
            opinions="审核意见所提问题不影响事实认定",
            conclusion="不采纳审核意见，作出决定",
        )
        services.review_coordinate(
            actor=world.people.head,
            review=review,
            decision="overrule",
            note="经负责人集体讨论，不采纳审核意见",
            discussion=discussion,
        )
        coordination.refresh_from_db()
        assert coordination.decision == Coordination.Decision.OVERRULE and coordination.discussion == discussion
        case = cases.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)
    review.refresh_from_db()
    assert review.status == Review.Status.OVERRULED and case.stage == Stage.DECIDED


def test_a_coordination_cannot_rest_on_a_discussion_held_before_the_opinion_was_contested(world, case, review):
    with at(DECIDED):
        earlier = cases.case_discuss(
            actor=world.people.head,
            case=case,
            held_on=DECIDED.replace(day=10),
            participants=[world.people.head, world.people.counsel],
            opinions="讨论罚款",
            conclusion="维持",
            late_reason="讨论笔录次日整理后补录",
        )
        find_problems(world.people.counsel, review)
        services.review_contest(actor=world.people.officer, review=review, reason="不同意")
        with pytest.raises(ValidationError) as error:
            services.review_coordinate(
                actor=world.people.head, review=review, decision="overrule", note="不采纳", discussion=earlier
            )
    assert "discussion" in error.value.error_dict


def test_the_head_who_contested_the_opinion_cannot_settle_it_alone(world, case, review):
    with at(DECIDED):
        find_problems(world.people.counsel, review)
        services.review_contest(actor=world.people.head, review=review, reason="本人认为证据充分")
        error = refused(
            "coordinator_conflict",
            lambda: services.review_coordinate(
                actor=world.people.head, review=review, decision="overrule", note="不采纳"
            ),
        )
        assert "集体讨论" in error.messages[0]
        discussion = cases.case_discuss(
            actor=world.people.head,
            case=case,
            held_on=DECIDED,
            participants=[world.people.head, world.people.counsel],
            opinions="证据充分",
            conclusion="不采纳审核意见",
        )
        services.review_coordinate(
            actor=world.people.head, review=review, decision="overrule", note="经集体讨论不采纳", discussion=discussion
        )
    review.refresh_from_db()
    assert review.status == Review.Status.OVERRULED
