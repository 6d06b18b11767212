"""按日连续处罚 and 限制生产、停产整治 are decided in cases of their own, through the ordinary procedure: 事先告知 with the
computed amount, 陈述申辩, the hearing right, the catalogue's legal review, then the decision and its publication.
No one-step shortcut is left (令第28号, 令第30号; 《生态环境行政处罚办法》第八条)."""

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import Case, CaseKind, ProductionMeasure, Stage
from sanxiang.documents.models import Document
from sanxiang.ledger.models import Entry
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.measures import record, seizure
from sanxiang.testing.reviews import pass_review

ORDERED = DECIDED  # the correction order is served with the decision, 12 October
REINSPECTED = dt.date(2026, 10, 22)  # ten days later: 13 to 22 October
SUBMITTED, REVIEWED, NOTIFIED = dt.date(2026, 10, 23), dt.date(2026, 10, 26), dt.date(2026, 10, 27)
STATEMENT_DUE = dt.date(2026, 11, 3)  # five working days from 28 October
RECONSIDERED, DECIDED_AGAIN = dt.date(2026, 11, 4), dt.date(2026, 11, 5)


def ordered(world, until="decided"):
    case = walk(world, open_case(world), until)
    with at(ORDERED):
        order = services.correction_order_issue(
            actor=world.people.officer,
            case=case,
            content="立即停止超标排放大气污染物",
            served_on=ORDERED,
            correct_by=ORDERED + dt.timedelta(days=1),
        )
    return Case.objects.get(pk=case.pk), order


def open_daily(world, case, order, on=REINSPECTED):
    with at(on):
        return services.daily_penalty_open(
            actor=world.people.head,
            case=case,
            order=order,
            reinspected_on=on,
            investigators=[world.people.officer, world.people.partner],
        )


def submit(world, case, kinds, fine):
    with at(SUBMITTED):
        return services.case_submit(
            actor=world.people.officer,
            case=case,
            facts=case.summary,
            evidence="复查现场检查笔录、在线监测数据",
            basis="《中华人民共和国环境保护法》第五十九条",
            kinds=kinds,
            fine=fine,
        )


def to_deciding(world, case, kinds, fine):
    """From the derived case's filing to the reconsideration after the party's periods ran out."""
    case = submit(world, case, kinds, fine)
    with at(REVIEWED):
        case = services.case_review(actor=world.people.reviewer, case=case, opinion="同意告知", approve_case=True)
    with at(NOTIFIED):
        case = services.case_notify(actor=world.people.officer, case=case, served_on=NOTIFIED)
    assert case.hearing_offered
    with at(STATEMENT_DUE):
        refused("statement_window_open", lambda: reconsider(world, case, kinds, fine))
    with at(RECONSIDERED):
        return reconsider(world, case, kinds, fine)


def reconsider(world, case, kinds, fine):
    return services.case_reconsider(
        actor=world.people.officer, case=case, kinds=kinds, fine=fine, confiscation=None, note="当事人未陈述申辩。"
    )


def test_a_daily_penalty_needs_the_original_decision_and_a_reinspection_within_thirty_days(world):
    case, order = ordered(world, until="reconsidered")
    refused("no_original_penalty", lambda: open_daily(world, case, order))
    case = walk(world, case, "decided", after="reconsidered")
    refused("reinspection_window", lambda: open_daily(world, case, order, on=dt.date(2026, 11, 12)))
    assert not Case.objects.filter(kind=CaseKind.DAILY_PENALTY).exists()


def test_a_daily_penalty_goes_through_notice_hearing_rights_review_and_decision(world):
    case, order = ordered(world)
    daily = open_daily(world, case, order)
    assert (daily.kind, daily.origin, daily.stage) == (CaseKind.DAILY_PENALTY, case, Stage.INVESTIGATING)
    assert (daily.daily_penalty.days, daily.daily_penalty.amount) == (10, Decimal("1500000"))
    assert "计罚 10 日" in daily.summary
    assert Entry.objects.filter(action="case.daily_penalty", subject_id=str(case.pk)).exists()
    # the amount is the law's, not the officer's
    refused("daily_amount", lambda: submit(world, daily, ["fine"], Decimal("1000000")))
    refused("daily_amount", lambda: submit(world, daily, ["fine", "warning"], Decimal("1500000")))
    daily = to_deciding(world, daily, ["fine"], Decimal("1500000"))
    with at(DECIDED_AGAIN):
        refused(
            "legal_review_required",
            lambda: services.case_decide(actor=world.people.head, case=daily, outcome="penalty"),
        )
        pass_review(world, daily)
        daily = services.case_decide(actor=world.people.head, case=daily, outcome="penalty")
    document = Document.objects.get(doc_type="daily_penalty_decision")
    assert daily.decision_number == document.number and document.number.startswith("哈环按日罚〔2026〕")
    publication = Publication.objects.get(case=daily)
    assert publication.kind == "penalty" and "按日连续处罚 10 日" in publication.summary["处罚内容"]


def test_no_daily_penalty_while_a_seizure_stopped_the_discharge(world):
    case, order = ordered(world)
    record(world, case)
    seizure(world, case, on=ORDERED)
    refused("discharge_stopped", lambda: open_daily(world, case, order))


def test_the_one_step_shortcuts_are_gone():
    assert not hasattr(services, "daily_penalty_decide") and not hasattr(services, "production_measure_decide")


def open_production(world, case, kind="limit", months=3):
    with at(REINSPECTED):
        return services.production_measure_open(
            actor=world.people.head,
            case=case,
            kind=kind,
            months=months,
            reason="二氧化硫排放浓度超过排放标准，依法责令限制生产",
            investigators=[world.people.officer, world.people.partner],
        )


def test_a_production_limit_is_notified_with_hearing_rights_reviewed_and_recorded_before_it_takes_effect(world):
    case = walk(world, open_case(world), "filed")
    refused("limit_too_long", lambda: open_production(world, case, months=4))
    limit = open_production(world, case)
    measure = limit.production_measures.get()
    assert (limit.kind, measure.kind, measure.months, measure.started_on) == (CaseKind.PRODUCTION, "limit", 3, None)
    refused("production_kind", lambda: submit(world, limit, ["restrict_operation", "fine"], Decimal("100000")))
    limit = to_deciding(world, limit, ["restrict_operation"], None)
    assert any(reason["kind"] == "coercive" for reason in limit.review_reasons)
    with at(DECIDED_AGAIN):
        refused(
            "legal_review_required",
            lambda: services.case_decide(actor=world.people.head, case=limit, outcome="penalty"),
        )
        record(world, limit, act="production")
        pass_review(world, limit)
        limit = services.case_decide(actor=world.people.head, case=limit, outcome="penalty")
    measure = ProductionMeasure.objects.get(case=limit)
    # three months end on Friday 5 February 2027, 除夕 of the 春节 holiday (5 to 8 February): moved to the 9th
    assert (measure.started_on, measure.ends_on) == (DECIDED_AGAIN, dt.date(2027, 2, 9))
    assert measure.number.startswith("哈环限〔2026〕") and limit.decision_number == measure.number
    assert Publication.objects.get(case=limit).kind == "production"


def test_a_production_measure_is_not_decided_without_its_audiovisual_record(world):
    limit = to_deciding(
        world, open_production(world, walk(world, open_case(world), "filed")), ["restrict_operation"], None
    )
    with at(DECIDED_AGAIN):
        pass_review(world, limit)
        refused(
            "audiovisual_required", lambda: services.case_decide(actor=world.people.head, case=limit, outcome="penalty")
        )
    assert ProductionMeasure.objects.get(case=limit).started_on is None


def test_a_production_stop_needs_collective_discussion(world):
    case = walk(world, open_case(world), "filed")
    stop = open_production(world, case, kind="stop", months=None)
    stop = to_deciding(world, stop, ["suspend_operation"], None)
    record(world, stop, act="production")
    with at(DECIDED_AGAIN):
        pass_review(world, stop)
        refused(
            "collective_discussion_required",
            lambda: services.case_decide(actor=world.people.head, case=stop, outcome="penalty"),
        )


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_only_the_head_opens_a_derived_case(world, persona):
    case = walk(world, open_case(world), "filed")
    with at(REINSPECTED):
        refused(
            "head_approval_required",
            lambda: services.production_measure_open(
                actor=getattr(world.people, persona),
                case=case,
                kind="stop",
                reason="超标排放",
                investigators=[world.people.officer, world.people.partner],
            ),
        )
