"""The review period: five working days by default (an agency may set its own), across National Day 2026, one
extension with its reason, and the alerts when it runs out."""

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.agencies.services import rule_set
from sanxiang.cases import services as cases
from sanxiang.review import services
from sanxiang.testing.cases import NOTIFIED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.reviews import submit
from sanxiang.web.models import Notification
from sanxiang.web.services import notifications_send_due

EVE = dt.date(2026, 9, 30)  # the day before the National Day holiday (1–7 October; Saturday 10 October is worked)


@pytest.fixture
def review(world):
    """Submitted on 30 September: the party waived its rights the day before, so the case was settled that day."""
    case = walk(world, open_case(world), "notified", fine=Decimal("200000"))
    with at(NOTIFIED + dt.timedelta(days=1)):
        case = cases.case_record_waiver(
            actor=world.people.officer, case=case, waived_on=NOTIFIED + dt.timedelta(days=1)
        )
    with at(EVE):
        case = cases.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("200000"),
            confiscation=None,
            note="当事人放弃陈述申辩",
        )
        return submit(world, case)


def test_five_working_days_from_the_eve_of_national_day_end_on_13_october(review):
    # 8, 9, 10 (the adjusted Saturday), 12 and 13 October
    assert review.rounds.get().due_on == dt.date(2026, 10, 13)


def test_an_agency_may_set_its_own_review_period(world):
    rule_set(actor=None, key="review.workdays", agency=world.harbin, value=3, citation="哈环规〔2026〕1号")
    case = walk(world, open_case(world), "notified", fine=Decimal("200000"))
    with at(EVE):
        case = cases.case_record_waiver(actor=world.people.officer, case=case, waived_on=EVE)
        case = cases.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("200000"),
            confiscation=None,
            note="当事人放弃陈述申辩",
        )
        assert submit(world, case).rounds.get().due_on == dt.date(2026, 10, 10)


def test_the_head_extends_once_with_a_reason_and_not_after_the_period_ran_out(world, review):
    with at(dt.date(2026, 10, 12)):
        refused(
            "head_approval_required",
            lambda: services.review_extend(actor=world.people.counsel, review=review, reason="案情复杂"),
        )
        services.review_extend(actor=world.people.head, review=review, reason="涉及多个法律关系，需征求法律顾问意见")
        current = review.rounds.get()
        assert current.due_on == dt.date(2026, 10, 20) and current.extended_by == world.people.head
        refused(
            "extension_twice", lambda: services.review_extend(actor=world.people.head, review=review, reason="仍需时间")
        )


def test_an_extension_after_the_period_ran_out_is_refused(world, review):
    with at(dt.date(2026, 10, 14)):
        error = refused(
            "review_late", lambda: services.review_extend(actor=world.people.head, review=review, reason="案情复杂")
        )
    assert "审核期限已届满" in error.messages[0]


def test_an_overdue_review_alerts_the_heads_and_the_reviewer_once(world, review):
    with at(dt.date(2026, 10, 12)):
        services.review_take(actor=world.people.counsel, review=review)
        notifications_send_due(today=dt.date(2026, 10, 12))
    assert not Notification.objects.filter(key__startswith="review:").exists()
    with at(dt.date(2026, 10, 14)):
        notifications_send_due(today=dt.date(2026, 10, 14))
        notifications_send_due(today=dt.date(2026, 10, 14))
    alerts = Notification.objects.filter(key__startswith="review:")
    assert sorted(alerts.values_list("user__username", flat=True)) == ["counsel", "head"]
    assert all("法制审核已逾期" in alert.title and alert.overdue for alert in alerts)


def test_the_heads_home_page_lists_an_overdue_review_and_the_reviewers_lists_the_queue(client, world, review):
    client.force_login(world.people.head)
    with at(dt.date(2026, 10, 12)):
        assert review.case.number not in client.get("/workbench/").content.decode()
    with at(dt.date(2026, 10, 14)):
        assert review.case.number in client.get("/workbench/").content.decode()
        client.force_login(world.people.counsel)
        page = client.get("/workbench/").content.decode()
        assert review.case.number in page and "法制审核" in page
