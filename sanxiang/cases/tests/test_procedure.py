"""The ordinary procedure end to end, and one test per gate that tries to break it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanxiang.cases import deadlines, services
from sanxiang.cases.forms import ScheduleHearingForm
from sanxiang.cases.models import Case, Outcome, Stage, Violation
from sanxiang.core.errors import Conflict, RuleViolation
from sanxiang.documents.models import Document
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import DECIDED, STATEMENT_DUE, at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.factories import make_certificate, make_staff
from sanxiang.testing.reviews import pass_review


def ledger_actions(case):
    return list(
        Entry.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
        .order_by("index")
        .values_list("action", flat=True)
    )


def test_a_case_runs_from_clue_to_archive_with_a_document_and_ledger_entry_at_every_step(world):
    case = walk(world, open_case(world), "served")
    with at(DECIDED + dt.timedelta(days=5)):
        case = services.case_record_payment(
            actor=world.people.officer, case=case, paid_on=DECIDED + dt.timedelta(days=5), amount=Decimal("150000")
        )
        case = services.case_close(actor=world.people.head, case=case, summary="罚款已缴清")
        case = services.case_archive(actor=world.people.clerk, case=case)
    assert case.stage == Stage.ARCHIVED and case.number.startswith("哈环立〔2026〕")
    assert case.decision_number.startswith("哈环罚〔2026〕")
    assert ledger_actions(case) == [
        "case.open",
        "case.file",
        "case.submit",
        "case.review",
        "case.notify",
        "case.reconsider",
        "case.decide",
        "case.serve",
        "case.pay",
        "case.close",
        "case.archive",
    ]
    types = set(
        Document.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).values_list("doc_type", flat=True)
    )
    assert {
        "filing_approval",
        "investigation_report",
        "case_review_opinion",
        "prior_notice",
        "penalty_decision",
        "service_receipt",
        "closing_approval",
    } <= types


def test_filing_needs_two_officers_with_valid_certificates(world):
    case = open_case(world)
    with at(dt.date(2026, 9, 3)):
        error = refused(
            "too_few_officers",
            lambda: services.case_file(
                actor=world.people.head, case=case, investigators=[world.people.officer], opinion="同意"
            ),
        )
        assert "第四十二条" in error.messages[0]
        lapsed = make_staff(agency=world.harbin, roles=["officer"], full_name="王过期")
        make_certificate(holder=lapsed, issued_on=dt.date(2020, 1, 1), expires_on=dt.date(2026, 8, 31))
        error = refused(
            "officer_not_certified",
            lambda: services.case_file(
                actor=world.people.head, case=case, investigators=[world.people.officer, lapsed], opinion="同意"
            ),
        )
        assert "王过期" in error.messages[0]
    assert Case.objects.get(pk=case.pk).stage == Stage.CLUE and ledger_actions(case) == ["case.open"]


def test_filing_is_for_the_head(world):
    case = open_case(world)
    with at(dt.date(2026, 9, 3)):
        refused(
            "head_approval_required",
            lambda: services.case_file(
                actor=world.people.officer,
                case=case,
                investigators=[world.people.officer, world.people.partner],
                opinion="同意",
            ),
        )


def test_the_filing_period_crosses_national_day_and_can_be_extended_once(world):
    case = open_case(world, discovered_on=dt.date(2026, 9, 20), act_date=dt.date(2026, 9, 18))
    assert deadlines.filing_due(case).date == dt.date(2026, 10, 8)  # 5 Oct is a holiday: next working day
    with at(dt.date(2026, 10, 9)):
        refused(
            "filing_late",
            lambda: services.case_file(
                actor=world.people.head,
                case=case,
                investigators=[world.people.officer, world.people.partner],
                opinion="同意",
            ),
        )
    with at(dt.date(2026, 10, 8)):
        case = services.case_extend_filing(actor=world.people.head, case=case, reason="需调取在线监测数据")
        refused(
            "filing_extended_twice",
            lambda: services.case_extend_filing(actor=world.people.head, case=case, reason="再次延长"),
        )
    assert deadlines.filing_due(case).date == dt.date(2026, 10, 20)


def test_a_violation_discovered_after_two_years_cannot_be_filed(world):
    case = open_case(world, act_date=dt.date(2024, 8, 31))
    with at(dt.date(2026, 9, 3)):
        error = refused(
            "limitation_expired",
            lambda: services.case_file(
                actor=world.people.head,
                case=case,
                investigators=[world.people.officer, world.people.partner],
                opinion="同意",
            ),
        )
    assert "第三十六条" in error.messages[0]


def test_case_review_is_by_someone_who_did_not_investigate(world):
    case = walk(world, open_case(world), "submitted")
    with at(dt.date(2026, 9, 22)):
        refused(
            "separation_of_duties",
            lambda: services.case_review(actor=world.people.partner, case=case, opinion="同意", approve_case=True),
        )


def test_the_statement_window_runs_over_national_day_and_no_decision_comes_inside_it(world):
    case = walk(world, open_case(world), "notified")
    assert deadlines.statement_due(case).date == STATEMENT_DUE
    with at(STATEMENT_DUE):
        error = refused(
            "statement_window_open",
            lambda: services.case_reconsider(
                actor=world.people.officer,
                case=case,
                kinds=["fine"],
                fine=Decimal("150000"),
                confiscation=None,
                note="复核",
            ),
        )
    assert "第六十二条" in error.messages[0]
    assert Case.objects.get(pk=case.pk).stage == Stage.NOTIFIED


def test_a_waiver_opens_the_decision_at_once(world):
    case = walk(world, open_case(world), "notified")
    with at(dt.date(2026, 9, 29)):
        case = services.case_record_waiver(actor=world.people.officer, case=case, waived_on=dt.date(2026, 9, 29))
        case = services.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("150000"),
            confiscation=None,
            note="当事人明确放弃陈述申辩",
        )
    assert case.stage == Stage.DECIDING


def test_a_defence_cannot_make_the_penalty_heavier(world):
    case = walk(world, open_case(world), "notified")
    with at(dt.date(2026, 10, 9)):
        case = services.case_record_statement(
            actor=world.people.officer, case=case, received_on=dt.date(2026, 10, 9), summary="当事人称已整改"
        )
    with at(dt.date(2026, 10, 12)):
        error = refused(
            "heavier_than_notified",
            lambda: services.case_reconsider(
                actor=world.people.officer,
                case=case,
                kinds=["fine"],
                fine=Decimal("160000"),
                confiscation=None,
                note="申辩不成立",
            ),
        )
        assert "第四十五条" in error.messages[0]
        refused(
            "heavier_than_notified",
            lambda: services.case_reconsider(
                actor=world.people.officer,
                case=case,
                kinds=["fine", "suspend_operation"],
                fine=Decimal("150000"),
                confiscation=None,
                note="申辩不成立",
            ),
        )
        case = services.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("120000"),
            confiscation=None,
            note="部分采纳，从轻",
        )
    assert case.decided_fine == Decimal("120000")


def hearing_case(world, fine=Decimal("300000")):
    case = walk(world, open_case(world), "notified", fine=fine)
    assert case.hearing_offered
    return case


def test_a_requested_hearing_must_be_held_before_a_decision(world):
    case = hearing_case(world)
    with at(dt.date(2026, 10, 9)):
        case = services.case_request_hearing(actor=world.people.officer, case=case, requested_on=dt.date(2026, 10, 9))
    with at(dt.date(2026, 10, 20)):
        error = refused(
            "hearing_missing",
            lambda: services.case_reconsider(
                actor=world.people.officer,
                case=case,
                kinds=["fine"],
                fine=Decimal("300000"),
                confiscation=None,
                note="复核",
            ),
        )
    assert "第六十四条" in error.messages[0]


def test_a_hearing_request_after_five_working_days_is_refused(world):
    case = hearing_case(world)
    with at(dt.date(2026, 10, 12)):
        refused(
            "hearing_request_late",
            lambda: services.case_request_hearing(
                actor=world.people.officer, case=case, requested_on=dt.date(2026, 10, 12)
            ),
        )


def test_a_hearing_needs_seven_working_days_notice_and_a_presiding_officer_who_did_not_investigate(world):
    case = hearing_case(world)
    with at(dt.date(2026, 10, 9)):
        case = services.case_request_hearing(actor=world.people.officer, case=case, requested_on=dt.date(2026, 10, 9))
        soon = dt.datetime(2026, 10, 16, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        refused(
            "hearing_notice_short",
            lambda: services.case_schedule_hearing(
                actor=world.people.head,
                case=case,
                presiding=world.people.reviewer,
                hearing_at=soon,
                place="局三楼会议室",
                notice_served_on=dt.date(2026, 10, 9),
            ),
        )
        later = dt.datetime(2026, 10, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        refused(
            "separation_of_duties",
            lambda: services.case_schedule_hearing(
                actor=world.people.head,
                case=case,
                presiding=world.people.partner,
                hearing_at=later,
                place="局三楼会议室",
                notice_served_on=dt.date(2026, 10, 9),
            ),
        )
        case = services.case_schedule_hearing(
            actor=world.people.head,
            case=case,
            presiding=world.people.reviewer,
            hearing_at=later,
            place="局三楼会议室",
            notice_served_on=dt.date(2026, 10, 9),
        )
    with at(dt.date(2026, 10, 20)):
        case = services.case_record_hearing(
            actor=world.people.reviewer,
            case=case,
            held_on=dt.date(2026, 10, 20),
            attended=True,
            record="当事人对监测数据提出异议。",
            report="建议维持告知的处罚。",
        )
    with at(dt.date(2026, 10, 21)):
        case = services.case_reconsider(
            actor=world.people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("300000"),
            confiscation=None,
            note="听证意见不成立",
        )
    assert case.stage == Stage.DECIDING and case.review_required
    # the hearing stopped the 90-day clock from 9 to 20 October, both days counted: 2 Dec + 12 days = 14 Dec
    assert deadlines.decision_due(case, today=dt.date(2026, 10, 21)).date == dt.date(2026, 12, 14)


def test_a_case_that_needs_legal_review_cannot_be_decided_until_a_review_agrees(world):
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    assert case.review_required and any("二十万元" in reason["description"] for reason in case.review_reasons)
    with at(DECIDED):
        error = refused(
            "legal_review_required",
            lambda: services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY),
        )
        assert error.messages[0] == "未经法制审核或者审核未通过的，不得作出决定（《行政处罚法》第五十八条）"
        pass_review(world, case)
        case = services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)
    assert case.stage == Stage.DECIDED


def test_a_major_case_needs_collective_discussion(world):
    case = walk(world, open_case(world), "reconsidered", kinds=("fine", "suspend_operation"), fine=Decimal("150000"))
    with at(DECIDED):
        pass_review(world, case)
        refused(
            "collective_discussion_required",
            lambda: services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY),
        )
        services.case_discuss(
            actor=world.people.head,
            case=case,
            held_on=DECIDED,
            participants=[world.people.head, world.people.reviewer],
            opinions="一致同意",
            conclusion="同意责令停产整治并处罚款",
        )
        case = services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)
    assert case.stage == Stage.DECIDED


def test_the_ninety_day_limit(world):
    case = walk(world, open_case(world), "reconsidered")
    late = dt.date(2026, 12, 3)  # filed 3 Sep + 90 days = 2 Dec
    assert deadlines.decision_due(case, today=late).date == dt.date(2026, 12, 2)
    with at(late):
        error = refused(
            "decision_late", lambda: services.case_decide(actor=world.people.head, case=case, outcome=Outcome.PENALTY)
        )
    assert "第六十条" in error.messages[0]


def test_the_decision_clock_can_be_extended_by_the_head_then_by_collective_discussion(world):
    case = walk(world, open_case(world), "reconsidered")
    with at(dt.date(2026, 11, 30)):
        case = services.case_extend_decision(actor=world.people.head, case=case, reason="需补充鉴定")
        refused(
            "extension_twice", lambda: services.case_extend_decision(actor=world.people.head, case=case, reason="再延")
        )
        services.case_discuss(
            actor=world.people.head,
            case=case,
            held_on=dt.date(2026, 11, 30),
            participants=[world.people.head, world.people.reviewer],
            opinions="案情特别复杂",
            conclusion="再延长三十日",
            extension_days=30,
        )
    case.refresh_from_db()
    due = deadlines.decision_due(case, today=dt.date(2026, 12, 1))
    # 2 Dec + 30 + 30 = 31 Jan 2027, a Sunday; 2027's schedule is not confirmed, so Monday 1 Feb, provisional
    assert (due.date, due.provisional) == (dt.date(2027, 2, 1), True)


def test_an_archived_case_cannot_be_changed(world):
    case = walk(world, open_case(world), "served")
    with at(DECIDED + dt.timedelta(days=3)):
        case = services.case_record_payment(
            actor=world.people.officer, case=case, paid_on=DECIDED + dt.timedelta(days=3), amount=Decimal("150000")
        )
        case = services.case_close(actor=world.people.head, case=case, summary="已缴清")
        case = services.case_archive(actor=world.people.clerk, case=case)
        error = refused(
            "invalid_transition", lambda: services.case_close(actor=world.people.head, case=case, summary="再次结案")
        )
        assert "已归档" in error.messages[0]
        refused("invalid_transition", lambda: services.case_archive(actor=world.people.clerk, case=case))


def test_a_second_writer_with_a_stale_version_gets_a_conflict(world):
    case = walk(world, open_case(world), "notified")
    seen = case.version
    with at(dt.date(2026, 10, 9)):
        services.case_record_statement(
            actor=world.people.officer, case=case, received_on=dt.date(2026, 10, 9), summary="第一份申辩", version=seen
        )
        with pytest.raises(Conflict):
            services.case_record_statement(
                actor=world.people.partner,
                case=case,
                received_on=dt.date(2026, 10, 9),
                summary="第二份申辩",
                version=seen,
            )


def test_late_payment_adds_three_percent_a_day_capped_at_the_fine(world):
    case = walk(
        world, open_case(world, violation=Violation.objects.get(code="DQ-117")), "served", fine=Decimal("10000")
    )
    due = deadlines.payment_due(case).date
    assert due == dt.date(2026, 10, 27)
    assert services.late_fee(case, due) == 0
    assert services.late_fee(case, due + dt.timedelta(days=2)) == Decimal("600.00")
    assert services.late_fee(case, due + dt.timedelta(days=100)) == Decimal("10000")
    with at(due + dt.timedelta(days=2)):
        with pytest.raises(ValidationError) as error:
            services.case_record_payment(
                actor=world.people.officer, case=case, paid_on=due + dt.timedelta(days=2), amount=Decimal("9999")
            )
        # less than the fine itself is refused (the fine alone may be paid: see test_remedies)
        assert "10000" in error.value.message_dict["amount"][0] and "600.00" in error.value.message_dict["amount"][0]
        case = services.case_record_payment(
            actor=world.people.officer, case=case, paid_on=due + dt.timedelta(days=2), amount=Decimal("10600")
        )
    assert case.paid_amount == Decimal("10600")


def test_court_application_needs_a_reminder_and_the_litigation_window_to_close(world):
    case = walk(
        world, open_case(world, violation=Violation.objects.get(code="DQ-117")), "served", fine=Decimal("10000")
    )
    with at(dt.date(2026, 11, 2)):
        case = services.case_remind(actor=world.people.officer, case=case, served_on=dt.date(2026, 11, 2))
    with at(dt.date(2026, 12, 1)):
        error = refused(
            "court_window",
            lambda: services.case_apply_court(actor=world.people.officer, case=case, applied_on=dt.date(2026, 12, 1)),
        )
    assert isinstance(error, RuleViolation) and "第五十三条" in error.messages[0]
    with at(dt.date(2027, 4, 20)):
        case = services.case_apply_court(actor=world.people.officer, case=case, applied_on=dt.date(2027, 4, 20))
        case = services.case_close(actor=world.people.head, case=case, summary="已申请法院强制执行")
    assert case.stage == Stage.CLOSED


def test_preserved_evidence_needs_a_decision_within_seven_working_days(world):
    case = walk(world, open_case(world), "filed")
    with at(dt.date(2026, 9, 29)):
        preservation = services.case_preserve(
            actor=world.people.officer, case=case, approver=world.people.head, items="在线监测数据存储卡 1 张"
        )
    # 30 Sep, 8, 9, 10 (Saturday, adjusted), 12, 13, 14 Oct: seven working days
    assert preservation.decide_by == dt.date(2026, 10, 14)
    with at(dt.date(2026, 10, 15)):
        error = refused(
            "preservation_lapsed",
            lambda: services.case_decide_preservation(
                actor=world.people.officer, preservation=preservation, decision="release"
            ),
        )
    assert "第五十六条" in error.messages[0]
    with at(dt.date(2026, 10, 14)):
        services.case_decide_preservation(actor=world.people.officer, preservation=preservation, decision="appraise")
    assert Document.objects.filter(doc_type="preservation_decision").exists()


def test_the_hearing_form_shows_the_earliest_lawful_hearing_day_for_a_notice_served_today(world):
    case = hearing_case(world)
    with at(dt.date(2026, 10, 9)):
        case = services.case_request_hearing(actor=world.people.officer, case=case, requested_on=dt.date(2026, 10, 9))
        help_text = str(ScheduleHearingForm(case=case).fields["hearing_at"].help_text)
    # seven working days after Friday 9 October: Saturday the 10th (a 调休 working day), the 12th to the 16th, the 19th
    assert "最早可于 2026-10-19（含当日）举行听证" in help_text and "第六十四条" in help_text
