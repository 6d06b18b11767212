"""The party's rights hold the decision: the statement period and the hearing-request period are two clocks, each
ended only by itself or its own waiver, both named in the refusal; a hearing request made in time is accepted even
after the case was reconsidered; a local rule may lengthen the party's periods, never shorten them below the law."""

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.agencies.services import rule_set
from sanxiang.cases import deadlines, services
from sanxiang.cases.models import Stage
from sanxiang.core.errors import RuleViolation
from sanxiang.core.models import Rule
from sanxiang.core.rules import rule
from sanxiang.testing.cases import NOTIFIED, STATEMENT_DUE, at, heard, open_case, walk
from sanxiang.testing.checks import refused

HEARING_FINE = Decimal("300000")  # above the 200,000 yuan 较大数额 for an organisation: the notice gives the right
AFTER = STATEMENT_DUE + dt.timedelta(days=2)  # 12 October, both five-working-day periods over


def notified(world, fine=HEARING_FINE):
    return walk(world, open_case(world), "notified", fine=fine)


def reconsider(world, case, on):
    with at(on):
        return services.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=case.proposed_fine,
            confiscation=None,
            note="复核当事人陈述申辩。",
        )


def test_a_statement_does_not_end_the_statement_period(world):
    case = notified(world, fine=Decimal("150000"))
    with at(NOTIFIED + dt.timedelta(days=1)):
        case = services.case_record_statement(
            actor=world.people.officer, case=case, received_on=NOTIFIED + dt.timedelta(days=1), summary="认为浓度有误"
        )
    error = refused("statement_window_open", lambda: reconsider(world, case, NOTIFIED + dt.timedelta(days=2)))
    assert f"陈述、申辩期限至 {STATEMENT_DUE}（含当日）尚未届满" in error.messages[0]
    assert reconsider(world, case, AFTER).stage == Stage.DECIDING


def test_a_statement_and_a_waived_statement_are_no_waiver_of_the_hearing(world):
    case = notified(world)
    assert case.hearing_offered
    day = NOTIFIED + dt.timedelta(days=1)
    with at(day):
        case = services.case_record_statement(actor=world.people.officer, case=case, received_on=day, summary="无异议")
        case = services.case_record_waiver(actor=world.people.officer, case=case, waived_on=day, scope="statement")
    error = refused("hearing_window_open", lambda: reconsider(world, case, day))
    assert "要求听证的期限" in error.messages[0] and "陈述、申辩期限" not in error.messages[0]
    assert "第六十四条" in error.messages[0]
    assert reconsider(world, case, AFTER).stage == Stage.DECIDING


def test_both_running_periods_are_named_in_the_refusal_of_the_decision_too(world):
    case = notified(world)
    error = refused("statement_window_open", lambda: reconsider(world, case, NOTIFIED + dt.timedelta(days=1)))
    assert "陈述、申辩期限" in error.messages[0] and "要求听证的期限" in error.messages[0]


def test_a_waived_hearing_leaves_the_statement_period_running(world):
    case = notified(world)
    day = NOTIFIED + dt.timedelta(days=1)
    with at(day):
        case = services.case_record_waiver(actor=world.people.officer, case=case, waived_on=day, scope="hearing")
    error = refused("statement_window_open", lambda: reconsider(world, case, day))
    assert "要求听证的期限" not in error.messages[0]
    with at(day):
        case = services.case_record_waiver(actor=world.people.officer, case=case, waived_on=day, scope="statement")
    assert case.rights_waived_on == day and reconsider(world, case, day).stage == Stage.DECIDING


def test_a_hearing_request_made_in_time_is_accepted_after_the_case_was_reconsidered(world):
    case = reconsider(world, notified(world), AFTER)
    assert case.stage == Stage.DECIDING
    # The party's request was posted on the last day of its period and reached the agency two days later.
    with at(AFTER + dt.timedelta(days=2)):
        case = services.case_request_hearing(
            actor=world.people.officer,
            case=case,
            requested_on=STATEMENT_DUE,
            late_reason="当事人邮寄的听证申请，邮戳日期为期限最后一日",
        )
    assert case.stage == Stage.HEARING and case.hearing_requested_on == STATEMENT_DUE
    assert case.late_records.get().acted_on == STATEMENT_DUE
    refused("hearing_missing", lambda: reconsider(world, case, AFTER + dt.timedelta(days=2)))


def test_a_request_after_an_express_waiver_of_the_hearing_is_refused(world):
    case = notified(world)
    day = NOTIFIED + dt.timedelta(days=1)
    with at(day):
        case = services.case_record_waiver(actor=world.people.officer, case=case, waived_on=day, scope="hearing")
        refused(
            "hearing_waived",
            lambda: services.case_request_hearing(actor=world.people.officer, case=case, requested_on=day),
        )


def test_a_hearing_request_after_its_period_is_refused_whatever_the_stage(world):
    case = notified(world)
    with at(dt.date(2026, 10, 13)):
        error = refused(
            "hearing_request_late",
            lambda: services.case_request_hearing(
                actor=world.people.officer, case=case, requested_on=dt.date(2026, 10, 13)
            ),
        )
    assert "含当日" in error.messages[0]


def test_a_local_rule_cannot_shorten_the_hearing_period_below_the_law(world):
    with pytest.raises(RuleViolation) as error:
        rule_set(actor=None, key="hearing.request_workdays", agency=world.harbin, value=3, citation="哈环规〔2026〕2号")
    assert error.value.code == "rule_below_floor" and "第六十四条" in error.value.messages[0]
    with pytest.raises(RuleViolation) as error:
        rule_set(actor=None, key="seizure.max_days", agency=world.harbin, value=45, citation="哈环规〔2026〕2号")
    assert error.value.code == "rule_above_ceiling"
    rule_set(actor=None, key="hearing.request_workdays", agency=world.harbin, value=7, citation="哈环规〔2026〕2号")
    assert rule("hearing.request_workdays", world.harbin).number == 7


def test_a_shorter_statement_period_leaves_the_hearing_period_whole(world):
    rule_set(actor=None, key="notice.statement_workdays", agency=world.harbin, value=3, citation="哈环规〔2026〕3号")
    case = notified(world)
    assert deadlines.statement_due(case).date < deadlines.hearing_request_due(case).date == STATEMENT_DUE
    error = refused(
        "hearing_window_open",
        lambda: reconsider(world, case, deadlines.statement_due(case).date + dt.timedelta(days=1)),
    )
    assert "陈述、申辩期限" not in error.messages[0]


def test_a_local_value_below_the_floor_stored_earlier_never_applies(world):
    Rule.objects.create(
        key="hearing.request_workdays",
        agency_code=world.harbin.code,
        value=2,
        unit="working_days",
        title="旧规定",
        citation="旧文件",
        confidence="U",
    )
    assert rule("hearing.request_workdays", world.harbin).number == 5
    assert deadlines.hearing_request_due(notified(world)).date == STATEMENT_DUE


def test_a_held_hearing_lets_the_case_be_reconsidered(world):
    case = heard(world, notified(world), presiding=world.people.counsel)
    assert case.stage == Stage.DECIDING
