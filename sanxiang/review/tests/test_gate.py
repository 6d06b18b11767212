"""No major decision without a review that agreed (《行政处罚法》第五十八条): every path that might open the gate."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from rest_framework.test import APIClient

from sanxiang.cases import services as cases
from sanxiang.cases.actions import WORKFLOW
from sanxiang.cases.models import DiscretionFactor, Outcome, Stage
from sanxiang.review import services
from sanxiang.review.models import Review, Round
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.reviews import add_evidence, agree, find_problems, pass_review, submit


@pytest.fixture
def case(world):
    """A 200,000 yuan fine on an organisation: in the catalogue, so it needs review."""
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    assert case.review_required
    return case


def decide(world, case):
    return cases.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)


def test_decision_is_refused_without_any_review(world, case):
    with at(DECIDED):
        error = refused("legal_review_required", lambda: decide(world, case))
    assert "第五十八条" in error.messages[0]


def test_decision_is_allowed_once_the_latest_round_agrees(world, case):
    with at(DECIDED):
        pass_review(world, case)
        case = decide(world, case)
    assert case.stage == Stage.DECIDED


def test_recording_a_passed_result_on_the_case_alone_does_not_open_the_gate(world, case):
    with at(DECIDED):
        case = cases.case_record_review_result(actor=world.people.head, case=case, passed=True, reference="forged")
        assert case.review_passed_at is not None
        refused("legal_review_required", lambda: decide(world, case))


def test_a_review_with_problems_keeps_the_gate_closed(world, case):
    with at(DECIDED):
        find_problems(world.people.counsel, submit(world, case))
        refused("legal_review_required", lambda: decide(world, case))


def test_an_earlier_agreement_does_not_cover_a_later_open_review(world, case):
    with at(DECIDED):
        first = pass_review(world, case)
        case.refresh_from_db()
        case = cases.case_correct(
            actor=world.people.officer,
            case=case,
            facts=case.facts + "当事人拒不改正。",
            evidence=case.evidence,
            basis=case.basis,
            kinds=["fine"],
            fine=Decimal("200000"),
            confiscation=None,
            departure_reason=case.departure_reason,
            note="补充违法事实",
        )
        error = refused("legal_review_required", lambda: decide(world, case))
        assert "已改变" in error.messages[0]
        submit(world, case)
        error = refused("legal_review_required", lambda: decide(world, case))
        assert "已改变" not in error.messages[0]
    assert first.status == Review.Status.AGREED


def test_an_opinion_always_goes_to_the_latest_round(world, case):
    with at(DECIDED):
        review = submit(world, case)
        find_problems(world.people.counsel, review)
        services.review_resubmit(actor=world.people.officer, review=review, response="已补充裁量理由", affirmed=True)
        agree(world.people.counsel, review)
    rounds = list(review.rounds.order_by("number").values_list("number", "outcome"))
    assert rounds == [(1, "problems"), (2, "agree")]


def test_an_old_rounds_agreement_written_into_the_database_does_not_open_the_gate(world, case):
    with at(DECIDED):
        review = submit(world, case)
        find_problems(world.people.counsel, review)
        services.review_resubmit(actor=world.people.officer, review=review, response="已补充", affirmed=True)
    Round.objects.filter(review=review, number=1).update(outcome="agree")  # forged past the services
    with at(DECIDED):
        refused("legal_review_required", lambda: decide(world, case))
    Review.objects.filter(pk=review.pk).update(status=Review.Status.AGREED)  # and the status too
    with at(DECIDED):
        refused("legal_review_required", lambda: decide(world, case))


def test_an_agreement_covers_only_the_outcome_the_reviewer_saw(world, case):
    with at(DECIDED):
        pass_review(world, case)
        for outcome in (Outcome.REFERRAL, Outcome.NO_PENALTY):
            error = refused(
                "legal_review_required",
                lambda outcome=outcome: cases.case_decide(actor=world.people.head, case=case, outcome=outcome),
            )
            assert "拟作出的决定已改变" in error.messages[0]
        assert decide(world, case).stage == Stage.DECIDED


def test_a_referral_in_the_catalogue_is_reviewed_and_then_decided(world):
    case = walk(world, open_case(world), "notified", fine=Decimal("150000"))
    with at(DECIDED):
        case = cases.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=[],
            fine=None,
            confiscation=None,
            outcome=Outcome.REFERRAL,
            note="涉嫌环境污染犯罪，拟移送公安机关",
        )
        assert case.review_required and case.review_reasons[0]["kind"] == "referral"
        pass_review(world, case)
        case = cases.case_decide(actor=world.people.head, case=case, outcome=Outcome.REFERRAL)
    assert case.stage == Stage.DECIDED


def test_a_new_calculation_or_new_evidence_after_agreement_needs_a_new_review(world, case):
    with at(DECIDED):
        pass_review(world, case)
        add_evidence(world, case, name="补充监测报告.pdf")
        assert "证据材料" in refused("legal_review_required", lambda: decide(world, case)).messages[0]
    other = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        pass_review(world, other)
        factor = DiscretionFactor.objects.filter(violation__isnull=True).first()
        cases.case_calculate_discretion(
            actor=world.people.officer, case=other, violation=other.violation, choices={str(factor.pk): 3}
        )
        error = refused("legal_review_required", lambda: decide(world, other))
    assert "自由裁量计算" in error.messages[0]


def test_a_second_open_review_of_the_same_case_is_refused_by_the_service_and_the_database(world, case):
    with at(DECIDED):
        submit(world, case)
        refused("review_open", lambda: submit(world, case))
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(case=case, agency=case.agency, opened_at=timezone.now())


def test_no_interface_records_a_review_result_and_the_api_decision_is_gated(world, case):
    assert "record_review" not in WORKFLOW.actions
    with pytest.raises(Resolver404):
        resolve(f"/api/v1/cases/{case.pk}/record_review")
    api = APIClient()
    api.force_authenticate(world.people.head)
    with at(DECIDED):
        response = api.post(
            f"/api/v1/cases/{case.pk}/decide", {"outcome": "penalty", "version": case.version}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "legal_review_required"


def test_the_admin_cannot_change_a_review(client, world, case, django_user_model):
    with at(DECIDED):
        review = submit(world, case)
        find_problems(world.people.counsel, review)
    operator = django_user_model.objects.create_superuser("operator", password="Correct-Horse-9", full_name="运维")
    client.force_login(operator)
    response = client.post(f"/django-admin/review/review/{review.pk}/change/", {"status": "agreed"})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == Review.Status.PROBLEMS
