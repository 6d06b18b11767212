"""Who may review (《行政处罚法》第五十八条) and who may not review their own case (查处分离)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.agencies import services as agencies
from sanxiang.agencies.models import ReviewPost, Role
from sanxiang.review import services
from sanxiang.review.models import Review
from sanxiang.testing.cases import DECIDED, HEARD, at, heard, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.factories import make_staff
from sanxiang.testing.reviews import agree, submit


@pytest.fixture
def review(world):
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        return submit(world, case)


def make_reviewer(person, **details):
    """Give `person` the reviewer role with a qualification (unless told otherwise)."""
    agencies.staff_set_roles(actor=None, staff=person, roles=[*person.roles, Role.REVIEWER])
    details.setdefault("has_legal_qualification", True)
    return agencies.staff_update(actor=None, staff=person, **details)


def take(person, review):
    with at(DECIDED):
        return services.review_take(actor=person, review=review)


def test_an_investigator_cannot_review_the_case(world, review):
    officer = make_reviewer(world.people.partner)
    error = refused("reviewer_conflict", lambda: take(officer, review))
    assert "调查人员" in error.messages[0] and "查处分离" in error.messages[0]


def test_the_head_who_approved_the_filing_cannot_review_it(world, review):
    head = make_reviewer(world.people.head)
    error = refused("reviewer_conflict", lambda: take(head, review))
    assert "立案审批人" in error.messages[0]


def test_the_presiding_officer_of_the_hearing_cannot_review_it(world):
    case = heard(
        world, walk(world, open_case(world), "notified", fine=Decimal("300000")), presiding=world.people.reviewer
    )
    with at(HEARD):
        review = submit(world, case)
        error = refused("reviewer_conflict", lambda: services.review_take(actor=world.people.reviewer, review=review))
        assert "听证主持人" in error.messages[0]
        services.review_take(actor=world.people.counsel, review=review)


def test_a_first_time_reviewer_without_the_legal_qualification_is_refused(world, review):
    novice = make_staff(
        agency=world.harbin,
        roles=[Role.REVIEWER],
        username="novice",
        full_name="新审核员",
        reviewing_since=dt.date(2026, 3, 1),
    )
    error = refused("reviewer_unqualified", lambda: take(novice, review))
    assert "法律职业资格" in error.messages[0] and "第五十八条" in error.messages[0]
    with at(DECIDED):
        refused("reviewer_unqualified", lambda: agree(novice, review))


def test_a_reviewer_from_before_the_2021_law_keeps_reviewing_without_the_qualification(world, review):
    veteran = make_staff(
        agency=world.harbin,
        roles=[Role.REVIEWER],
        username="veteran",
        full_name="老审核员",
        reviewing_since=dt.date(2018, 5, 1),
        review_post=ReviewPost.LEGAL_UNIT,
    )
    with at(DECIDED):
        agree(veteran, review)
    review.refresh_from_db()
    assert review.status == Review.Status.AGREED


def test_staff_without_the_reviewer_role_and_reviewers_of_other_agencies_are_refused(world, review):
    outsider = make_staff(
        agency=world.qiqihar, roles=[Role.REVIEWER], username="qq-reviewer", has_legal_qualification=True
    )
    for person in (world.people.clerk, outsider):
        with pytest.raises(PermissionDenied):
            take(person, review)


def test_a_provincial_reviewer_may_review_a_city_case(world, review):
    provincial = make_staff(
        agency=world.province, roles=[Role.REVIEWER], username="hlj-reviewer", has_legal_qualification=True
    )
    take(provincial, review)
    assert review.rounds.get().reviewer == provincial


def test_a_round_taken_by_one_reviewer_cannot_be_taken_or_decided_by_another(world, review):
    take(world.people.counsel, review)
    refused("taken", lambda: take(world.people.reviewer, review))
    with at(DECIDED):
        refused("taken", lambda: agree(world.people.reviewer, review))


def test_the_head_assigns_a_round_to_a_reviewer_but_not_to_a_conflicted_one(world, review):
    with at(DECIDED):
        services.review_take(actor=world.people.head, review=review, reviewer=world.people.counsel)
        assert review.rounds.get().reviewer == world.people.counsel
        conflicted = make_reviewer(world.people.partner)
        refused(
            "reviewer_conflict",
            lambda: services.review_take(actor=world.people.head, review=review, reviewer=conflicted),
        )
        refused(
            "head_approval_required",
            lambda: services.review_take(actor=world.people.counsel, review=review, reviewer=world.people.reviewer),
        )
