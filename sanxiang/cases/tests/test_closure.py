"""责令停业、关闭 is an act of its own (《环境保护法》第六十条; 令第30号 art 8): proposed by the agency in its own case,
notified with the hearing right, reviewed and discussed collectively, approved by the people's government (body,
date, number recorded), only then decided — with its audio/video record — and published as a penalty."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sanxiang.cases import services
from sanxiang.cases.models import CaseKind, Closure, Stage
from sanxiang.cases.tests.test_derived import REINSPECTED, submit, to_deciding
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.measures import record
from sanxiang.testing.reviews import pass_review

DISCUSSED = dt.date(2026, 11, 5)
APPROVED = dt.date(2026, 11, 9)
CLOSED = dt.date(2026, 11, 10)


def propose(world, case=None, **overrides):
    values = {
        "kind": "close",
        "ground": "defied",
        "reason": "被责令停产整治后擅自恢复生产，继续超标排放",
        "investigators": [world.people.officer, world.people.partner],
    }
    values.update(overrides)
    with at(REINSPECTED):
        return services.closure_propose(
            actor=world.people.head, case=case or walk(world, open_case(world), "filed"), **values
        )


def discussed(world, case, on=DISCUSSED):
    with at(on):
        pass_review(world, case)
        services.case_discuss(
            actor=world.people.head,
            case=case,
            held_on=on,
            participants=[world.people.head, world.people.reviewer],
            opinions="情节严重，拟报请市人民政府批准责令关闭",
            conclusion="同意报请批准",
        )


def approve(world, case, on=APPROVED, actor=None, **overrides):
    values = {"government": "哈尔滨市人民政府", "approved_on": on, "number": "哈政函〔2026〕88号"}
    values.update(overrides)
    with at(on):
        return services.closure_approval_record(actor=actor or world.people.officer, case=case, **values)


def decide(world, case, on=CLOSED):
    with at(on):
        return services.case_decide(actor=world.people.head, case=case, outcome="penalty")


def test_a_closure_is_its_own_case_notified_with_the_hearing_right(world):
    closure = propose(world)
    assert (closure.kind, closure.closure.kind, closure.origin.stage) == (
        CaseKind.CLOSURE,
        "close",
        Stage.INVESTIGATING,
    )
    refused("closure_kind", lambda: submit(world, closure, ["close", "fine"], Decimal("100000")))
    refused("closure_kind", lambda: submit(world, closure, ["suspend_operation"], None))
    closure = to_deciding(world, closure, ["close"], None)
    assert closure.hearing_offered and any(reason["kind"] for reason in closure.review_reasons)


def test_an_ordinary_penalty_case_cannot_order_closure_itself(world):
    error = refused("closure_in_own_case", lambda: walk(world, open_case(world), "submitted", kinds=("fine", "close")))
    assert "人民政府批准" in error.messages[0] and "第六十条" in error.citation


def test_no_closure_is_decided_without_the_governments_approval_recorded(world):
    closure = to_deciding(world, propose(world), ["close"], None)
    record(world, closure, act="closure")
    refused("closure_not_ready", lambda: approve(world, closure))  # before review and collective discussion
    discussed(world, closure)
    error = refused("government_approval_required", lambda: decide(world, closure))
    assert "有批准权的人民政府" in error.messages[0]
    refused("approval_before_report", lambda: approve(world, closure, on=DISCUSSED - dt.timedelta(days=1)))
    refused("incomplete", lambda: approve(world, closure, number=" "))
    refused("not_case_staff", lambda: approve(world, closure, actor=world.people.clerk))
    closure = approve(world, closure)
    refused("decided_before_approval", lambda: decide(world, closure, on=APPROVED - dt.timedelta(days=1)))
    closure = decide(world, closure)
    measure = Closure.objects.get(case=closure)
    assert (measure.government, measure.approved_on, measure.approval_number) == (
        "哈尔滨市人民政府",
        APPROVED,
        "哈政函〔2026〕88号",
    )
    assert measure.number.startswith("哈环关〔2026〕") and closure.decision_number == measure.number
    assert measure.recordings.count() == 1
    entry = entry_json(Entry.objects.get(action="case.record_government_approval"))["data"]
    assert entry["number"] == "哈政函〔2026〕88号" and entry["approved_on"] == str(APPROVED)
    publication = Publication.objects.get(case=closure)
    assert publication.kind == "penalty" and publication.credit_class == "serious"
    assert "哈政函〔2026〕88号" in str(publication.summary)


def test_a_closure_is_not_decided_without_its_audiovisual_record(world):
    closure = to_deciding(world, propose(world, kind="suspend"), ["suspend_operation"], None)
    discussed(world, closure)
    closure = approve(world, closure)
    refused("audiovisual_required", lambda: decide(world, closure))
    assert Closure.objects.get(case=closure).started_on is None


def test_the_governments_approval_is_recorded_once(world):
    closure = to_deciding(world, propose(world), ["close"], None)
    discussed(world, closure)
    closure = approve(world, closure)
    refused("already_approved", lambda: approve(world, closure, number="哈政函〔2026〕99号"))
    assert Closure.objects.get(case=closure).approval_number == "哈政函〔2026〕88号"
    assert Entry.objects.filter(action="case.record_government_approval").count() == 1


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_only_the_head_proposes_a_closure(world, persona):
    case = walk(world, open_case(world), "filed")
    with at(REINSPECTED):
        refused(
            "head_approval_required",
            lambda: services.closure_propose(
                actor=getattr(world.people, persona),
                case=case,
                kind="close",
                ground="other",
                reason="情节严重",
                investigators=[world.people.officer],
            ),
        )


def test_the_approval_step_belongs_to_closure_cases_and_the_page_shows_it_pending(client, world):
    ordinary = walk(world, open_case(world), "reconsidered")
    refused("invalid_transition", lambda: approve(world, ordinary))
    closure = to_deciding(world, propose(world), ["close"], None)
    client.force_login(world.people.officer)
    page = client.get(reverse("cases:case-detail", args=[closure.pk])).content.decode()
    assert "尚未批准" in page and "登记人民政府批准文件" in page and "第六十条" in page
