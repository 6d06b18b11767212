"""Every dated act is checked against the day it is recorded: a date in the future is refused for every act; an
earlier date is a 补录 that needs its reason, is listed on the case and named in its ledger entry; and a 补录 never
opens a gate that was already shut on the recording day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import LateRecord, Stage
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.cases import DECIDED, FILED, NOTIFIED, REVIEWED, at, make_party, open_case, walk
from sanxiang.testing.checks import refused

TOMORROW = dt.timedelta(days=1)


def test_a_date_in_the_future_is_refused_for_every_dated_act(world):
    case = walk(world, open_case(world), "reviewed")
    with at(NOTIFIED):
        refused(
            "future_date",
            lambda: services.case_notify(actor=world.people.officer, case=case, served_on=NOTIFIED + TOMORROW),
        )
    heard_case = walk(world, open_case(world), "notified", fine=Decimal("300000"))
    with at(NOTIFIED + TOMORROW):
        heard_case = services.case_request_hearing(
            actor=world.people.officer, case=heard_case, requested_on=NOTIFIED + TOMORROW
        )
        # The hearing notice was accepted with tomorrow's service date before.
        refused(
            "future_date",
            lambda: services.case_schedule_hearing(
                actor=world.people.head,
                case=heard_case,
                presiding=world.people.counsel,
                hearing_at=timezone.make_aware(dt.datetime(2026, 10, 20, 9)),
                place="听证室",
                notice_served_on=NOTIFIED + TOMORROW + TOMORROW,
            ),
        )
    # So was an on-the-spot penalty decided tomorrow.
    with at(FILED):
        refused(
            "future_date",
            lambda: services.onsite_penalty_decide(
                actor=world.people.officer,
                agency=world.harbin,
                party=make_party(world.harbin),
                officers=[world.people.officer, world.people.partner],
                decided_at=timezone.make_aware(dt.datetime(2026, 9, 4, 10)),
                place="厂区",
                facts="露天焚烧",
                basis="《大气污染防治法》第一百一十九条",
                kind="warning",
            ),
        )


def test_an_earlier_date_is_a_late_record_with_its_reason(client, world):
    case = walk(world, open_case(world), "reviewed")
    recorded = REVIEWED + dt.timedelta(days=3)
    with at(recorded):
        with pytest.raises(ValidationError) as error:
            services.case_notify(actor=world.people.officer, case=case, served_on=REVIEWED)
        assert "补录理由" in error.value.message_dict["late_reason"][0]
        case = services.case_notify(
            actor=world.people.officer, case=case, served_on=REVIEWED, late_reason="送达回证今日才交回"
        )
    late = LateRecord.objects.get(case=case)
    assert (late.move, late.acted_on, late.recorded_on, late.reason) == (
        "notify",
        REVIEWED,
        recorded,
        "送达回证今日才交回",
    )
    data = entry_json(Entry.objects.filter(action="case.notify", subject_id=str(case.pk)).get())["data"]
    assert data["late"] == [{"what": "告知书送达日期", "acted_on": str(REVIEWED), "recorded_on": str(recorded)}]
    client.force_login(world.people.head)
    body = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "补录记录" in body and "送达回证今日才交回" in body


def test_a_decision_recorded_after_the_decision_period_is_refused_whatever_date_is_typed(world):
    case = walk(world, open_case(world), "reconsidered")
    due = dt.date(2026, 12, 2)  # 90 days from filing on 3 September
    with at(due + dt.timedelta(days=5)):
        error = refused(
            "decision_late",
            lambda: services.case_decide(
                actor=world.people.head,
                case=case,
                outcome="penalty",
                decided_on=DECIDED,
                late_reason="决定书已于10月12日签发，未及时录入",
            ),
        )
    assert str(due) in error.messages[0]
    assert case.__class__.objects.get(pk=case.pk).stage == Stage.DECIDING


def test_a_decision_recorded_late_within_the_period_is_kept_as_a_late_record(world):
    case = walk(world, open_case(world), "reconsidered")
    with at(DECIDED + dt.timedelta(days=2)):
        case = services.case_decide(
            actor=world.people.head,
            case=case,
            outcome="penalty",
            decided_on=DECIDED,
            late_reason="负责人出差返回后录入",
        )
    assert case.decided_on == DECIDED and case.late_records.get().move == "decide"


def test_a_filing_recorded_after_its_period_is_refused_whatever_date_is_typed(world):
    case = open_case(world)
    with at(dt.date(2026, 9, 20)):
        refused(
            "filing_late",
            lambda: services.case_file(
                actor=world.people.head,
                case=case,
                investigators=[world.people.officer, world.people.partner],
                opinion="同意立案",
                filed_on=FILED,
                late_reason="补录",
            ),
        )
