"""备案 of an on-the-spot penalty (《行政处罚法》第五十二条; 《生态环境行政处罚办法》第六十八条第三款): filed by a deciding
officer within three working days of the decision, then acknowledged by the head — each step tried the wrong way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies.services import rule_set
from sanxiang.cases import services
from sanxiang.cases.models import OnSitePenalty
from sanxiang.core.errors import RuleViolation
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.cases import at, make_party
from sanxiang.testing.checks import refused
from sanxiang.web.selectors import due_items_for_user

FRIDAY = dt.date(2026, 9, 11)
DUE = dt.date(2026, 9, 16)  # three working days after a Friday: Monday, Tuesday, Wednesday


def decided(world, day=FRIDAY, **overrides) -> OnSitePenalty:
    values = {
        "officers": [world.people.officer, world.people.partner],
        "decided_at": dt.datetime(day.year, day.month, day.day, 11, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        "place": "道里区新阳路",
        "facts": "露天焚烧废弃包装物",
        "basis": "《大气污染防治法》第一百一十九条",
        "kind": "fine",
        "fine": Decimal("500"),
    }
    values.update(overrides)
    with at(day, hour=12):
        return services.onsite_penalty_decide(
            actor=world.people.officer, agency=world.harbin, party=make_party(world.harbin), **values
        )


def filed(world, penalty, day=FRIDAY, actor=None, **extra) -> OnSitePenalty:
    with at(day, hour=15):
        return services.onsite_penalty_file(actor=actor or world.people.partner, penalty=penalty, **extra)


def test_the_filing_falls_due_three_working_days_after_the_decision(world):
    penalty = decided(world)
    assert (penalty.status, penalty.filing_due) == (OnSitePenalty.Status.DECIDED, DUE)
    assert entry_json(Entry.objects.get(action="onsite_penalty.decide"))["data"]["filing_due"] == str(DUE)


def test_an_agency_can_shorten_the_filing_period_never_lengthen_it(world):
    with pytest.raises(RuleViolation) as error:
        rule_set(actor=None, key="onsite.filing_workdays", agency=world.harbin, value=5, citation="哈环规〔2026〕4号")
    assert error.value.code == "rule_above_ceiling"
    rule_set(actor=None, key="onsite.filing_workdays", agency=world.harbin, value=1, citation="哈环规〔2026〕4号")
    assert decided(world).filing_due == dt.date(2026, 9, 14)


def test_only_an_officer_who_decided_it_files_it(world):
    penalty = decided(world)
    for someone in (world.people.head, world.people.clerk, world.people.county_officer):
        refused("not_deciding_officer", lambda someone=someone: filed(world, penalty, actor=someone))
    penalty.refresh_from_db()
    assert penalty.status == OnSitePenalty.Status.DECIDED and penalty.filed_on is None
    penalty = filed(world, penalty, day=DUE)
    assert (penalty.status, penalty.filed_on, penalty.filed_by, penalty.filed_late) == (
        OnSitePenalty.Status.FILED,
        DUE,
        world.people.partner,
        False,
    )
    refused("invalid_transition", lambda: filed(world, penalty, day=DUE))


def test_a_filing_after_the_period_needs_its_reason_and_is_marked_late(world):
    penalty = decided(world)
    late_day = DUE + dt.timedelta(days=1)
    error = refused("filing_late_reason", lambda: filed(world, penalty, day=late_day))
    assert "2026-09-16（含当日）" in error.messages[0] and "第六十八条" in error.citation
    assert OnSitePenalty.objects.get(pk=penalty.pk).status == OnSitePenalty.Status.DECIDED
    penalty = filed(world, penalty, day=late_day, late_reason="执法人员连续外勤，决定书存根次日交回")
    assert penalty.filed_late and penalty.filing_late_reason.startswith("执法人员连续外勤")
    assert entry_json(Entry.objects.get(action="onsite_penalty.file"))["data"]["late"] is True


def test_only_the_head_acknowledges_and_only_after_filing(world):
    penalty = decided(world)
    acknowledge = services.onsite_penalty_acknowledge
    refused("invalid_transition", lambda: acknowledge(actor=world.people.head, penalty=penalty, sound=True))
    penalty = filed(world, penalty)
    refused("head_approval_required", lambda: acknowledge(actor=world.people.officer, penalty=penalty, sound=True))
    refused("head_approval_required", lambda: acknowledge(actor=world.people.reviewer, penalty=penalty, sound=True))
    with pytest.raises(Exception) as error:
        acknowledge(actor=world.people.head, penalty=penalty, sound=False)
    assert "opinion" in error.value.message_dict
    penalty = acknowledge(
        actor=world.people.head, penalty=penalty, sound=False, opinion="处罚依据条款引用不全，责令补正"
    )
    assert (penalty.status, penalty.sound, penalty.acknowledged_by) == (
        OnSitePenalty.Status.ACKNOWLEDGED,
        False,
        world.people.head,
    )
    entry = entry_json(Entry.objects.get(action="onsite_penalty.acknowledge"))["data"]
    assert (entry["status"], entry["previous_status"], entry["sound"]) == ("acknowledged", "filed", False)


def test_the_workbench_shows_each_step_to_whom_it_falls(world):
    penalty = decided(world)
    on_due = [item for item in due_items_for_user(world.people.officer, today=FRIDAY) if penalty.number in item.title]
    assert [(str(item.kind), item.due_on) for item in on_due] == [("当场处罚报备案", DUE)]
    assert not [i for i in due_items_for_user(world.people.head, today=FRIDAY) if penalty.number in i.title]
    overdue = [i for i in due_items_for_user(world.people.head, today=DUE + dt.timedelta(days=1)) if i.overdue]
    assert [str(item.kind) for item in overdue if penalty.number in item.title] == ["当场处罚报备案"]
    filed(world, penalty)
    waiting = [i for i in due_items_for_user(world.people.head, today=FRIDAY) if penalty.number in i.title]
    assert [str(item.kind) for item in waiting] == ["确认当场处罚备案"]
    assert not [i for i in due_items_for_user(world.people.outsider, today=FRIDAY) if penalty.number in i.title]


def test_the_list_offers_each_step_to_whom_it_falls(client, world):
    penalty = decided(world)
    step = reverse("cases:onsite-step", args=[penalty.pk, "file"])
    client.force_login(world.people.partner)
    page = client.get(reverse("cases:onsite-list")).content.decode()
    assert penalty.number in page and step in page and "2026-09-16（含当日）前" in page
    client.force_login(world.people.head)
    assert step not in client.get(reverse("cases:onsite-list")).content.decode()
    assert client.post(step, {}).status_code == 403
    client.force_login(world.people.outsider)
    assert penalty.number not in client.get(reverse("cases:onsite-list")).content.decode()
    assert client.get(step).status_code == 404
    assert client.get(reverse("cases:onsite-step", args=[penalty.pk, "erase"])).status_code == 404
    client.force_login(world.people.partner)
    with at(DUE + dt.timedelta(days=2), hour=9):
        page = client.post(step, {}).content.decode()
        assert "逾期理由" in page and "已超过报备案期限" in page
        response = client.post(step, {"late_reason": "决定书存根遗失后补找"})
    assert response.status_code == 302 and OnSitePenalty.objects.get(pk=penalty.pk).filed_late
    client.force_login(world.people.head)
    acknowledge = reverse("cases:onsite-step", args=[penalty.pk, "acknowledge"])
    assert client.post(acknowledge, {"sound": "yes"}).status_code == 302
    page = client.get(reverse("cases:onsite-list")).content.decode()
    assert "已备案" in page and "逾期" in page


def test_the_api_lists_files_and_acknowledges(world):
    api = APIClient()
    penalty = decided(world)
    api.force_authenticate(world.people.partner)
    listed = api.get("/api/v1/onsite-penalties/", {"status": "decided"}).json()["results"]
    assert [(row["number"], row["steps"], row["filing_due"]) for row in listed] == [
        (penalty.number, ["file"], str(DUE))
    ]
    assert api.get("/api/v1/onsite-penalties/", {"status": "lost"}).status_code == 400
    with at(DUE + dt.timedelta(days=1), hour=9):
        response = api.post(f"/api/v1/onsite-penalties/{penalty.pk}/file/", {}, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "filing_late_reason"
        response = api.post(f"/api/v1/onsite-penalties/{penalty.pk}/file/", {"late_reason": "补交"}, format="json")
    assert response.status_code == 200 and response.json()["filed_late"] is True
    ack = f"/api/v1/onsite-penalties/{penalty.pk}/acknowledge/"
    assert api.post(ack, {"sound": "yes"}, format="json").json()["error"]["code"] == "head_approval_required"
    api.force_authenticate(world.people.outsider)
    assert api.post(ack, {"sound": "yes"}, format="json").status_code == 404
    api.force_authenticate(world.people.head)
    response = api.post(ack, {"sound": "yes"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"


def test_the_list_the_api_and_the_workbench_ask_as_many_queries_for_many_decisions_as_for_one(client, world):
    api = APIClient()
    api.force_authenticate(world.people.partner)
    client.force_login(world.people.partner)

    def queries() -> list[int]:
        counts = []
        for read in (
            lambda: client.get(reverse("cases:onsite-list")),
            lambda: api.get("/api/v1/onsite-penalties/"),
            lambda: due_items_for_user(world.people.head, today=FRIDAY),
        ):
            with CaptureQueriesContext(connection) as captured:
                read()
            counts.append(len(captured))
        return counts

    filed(world, decided(world))
    queries()  # the first reads fill the caches a request starts with (the user's roles, the calendar)
    one = queries()
    for _ in range(3):
        filed(world, decided(world))
    decided(world)
    assert queries() == one
