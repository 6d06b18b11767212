"""Service of the decision: 公告送达 is deemed made thirty days after the notice is issued (《民事诉讼法》第九十五条, by
《行政处罚法》第六十一条) and the payment and appeal periods run from that day; the form asks for the notice day. 邮寄送达
counts from the day of receipt on the return slip."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanxiang.cases import deadlines, services
from sanxiang.cases.models import Case
from sanxiang.documents.models import Document
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.checks import refused

NOTICE = dt.date(2026, 10, 13)
DEEMED = dt.date(2026, 11, 12)  # thirty days after the notice, a Thursday


def decided(world):
    return walk(world, open_case(world), "decided")


def test_public_notice_asks_for_the_notice_day_and_service_is_deemed_thirty_days_later(world, client):
    case = decided(world)
    client.force_login(world.people.officer)
    with at(NOTICE):
        response = client.post(
            reverse("cases:case-action", args=[case.pk, "serve"]),
            {"version": case.version, "day": NOTICE, "method": "public_notice"},
            follow=True,
        )
    page = response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert (case.service_notice_on, case.served_on) == (NOTICE, DEEMED)
    assert "2026-10-13 发出公告，经过 30 日，2026-11-12 视为送达" in page
    # payment: fifteen days from the deemed day (27 November), not from the notice (28 October)
    assert deadlines.payment_due(case).date == dt.date(2026, 11, 27)
    opens, _closes = deadlines.court_window(case)
    assert opens.date == dt.date(2027, 5, 12)
    data = entry_json(Entry.objects.filter(action="case.serve").latest("index"))["data"]
    assert data["notice_on"] == "2026-10-13" and data["served_on"] == "2026-11-12"
    assert Document.objects.get(subject_id=str(case.pk), doc_type="service_receipt").issued_on == NOTICE


def test_a_notice_dated_tomorrow_is_refused(world):
    case = decided(world)
    with at(DECIDED):
        refused(
            "future_date",
            lambda: services.case_serve(
                actor=world.people.officer, case=case, method="public_notice", notice_on=DECIDED + dt.timedelta(days=1)
            ),
        )
    assert Case.objects.get(pk=case.pk).served_on is None


def test_a_payment_made_after_the_notice_before_the_deemed_day_is_accepted(world):
    case = decided(world)
    with at(NOTICE):
        case = services.case_serve(actor=world.people.officer, case=case, method="public_notice", notice_on=NOTICE)
    with at(dt.date(2026, 10, 20)):
        case = services.case_record_payment(
            actor=world.people.officer, case=case, paid_on=dt.date(2026, 10, 20), amount=Decimal("150000")
        )
    assert case.paid_on == dt.date(2026, 10, 20)


def test_postal_service_runs_from_the_receipt_on_the_return_slip(world):
    case = decided(world)
    received = dt.date(2026, 10, 16)  # posted on the 13th, signed for on the 16th
    with at(dt.date(2026, 10, 19)):
        case = services.case_serve(
            actor=world.people.officer, case=case, method="post", served_on=received, late_reason="回执今日寄回"
        )
    assert case.served_on == received and case.service_notice_on is None
    assert deadlines.payment_due(case).date == dt.date(2026, 11, 2)  # 31 October is a Saturday


@pytest.mark.parametrize(
    ("method", "given", "missing"),
    [("public_notice", {"served_on": DECIDED}, "notice_on"), ("direct", {"notice_on": DECIDED}, "served_on")],
)
def test_each_method_needs_its_own_day(world, method, given, missing):
    case = decided(world)
    with at(DECIDED), pytest.raises(ValidationError) as error:
        services.case_serve(actor=world.people.officer, case=case, method=method, **given)
    assert missing in error.value.message_dict
    assert Case.objects.get(pk=case.pk).served_on is None
