"""Every clock of the licensing procedure across the holidays of 2026 (the calendar of the State Council's notice,
seeded by core): 受理 5 working days (第三十二条), decision 20 working days + 10 (第四十二条), the periods not
counted (第四十五条), hearing 5 + 20 (第四十七条), service 10 working days (第四十四条), renewal 30 days before
expiry (第五十条). The expected days are counted by hand from the 2026 calendar."""

import datetime as dt

import pytest
import time_machine

from sanxiang.licensing import clocks, services
from sanxiang.licensing.models import Application, Licence
from sanxiang.testing.checks import refused
from sanxiang.testing.licensing import accepted, make_type, submit

D = dt.date


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 2, 12), D(2026, 2, 26)),  # 2/14 a working Saturday, 2/15–2/23 春节
        (D(2026, 9, 30), D(2026, 10, 13)),  # 10/1–10/7 国庆, 10/10 a working Saturday
        (D(2026, 4, 29), D(2026, 5, 9)),  # 5/1–5/5 劳动节, 5/9 a working Saturday
    ],
)
def test_acceptance_period_is_five_working_days(world, received, due):
    assert clocks.accept_due(received, world.harbin).date == due
    with at(received.isoformat()):
        application = submit(world.people.officer, make_type(world.harbin))
    assert application.accept_due_on == due


def test_decision_period_twenty_working_days_then_ten_more(world):
    # 9/25–9/27 中秋 and 10/1–10/7 国庆 fall inside the twenty days
    due = clocks.decision_due(
        accepted_on=D(2026, 9, 24), days=20, unit="working_days", paused=0, extended=False, agency=world.harbin
    )
    assert due.date == D(2026, 10, 29)
    extended = clocks.decision_due(
        accepted_on=D(2026, 9, 24), days=20, unit="working_days", paused=0, extended=True, agency=world.harbin
    )
    assert extended.date == D(2026, 11, 12)


def test_a_type_counted_in_days_by_its_own_law_ends_on_the_next_working_day(world):
    # 《环境影响评价法》第二十二条: 报告表 within 30 days; 10/1 is 国庆, so the last day moves to 10/8
    due = clocks.decision_due(
        accepted_on=D(2026, 9, 1), days=30, unit="calendar_days", paused=0, extended=False, agency=world.harbin
    )
    assert due.date == D(2026, 10, 8)


def test_resume_after_the_hearing_request_period_adds_the_days_paused(world, published):
    kind = make_type(world.harbin, hearing="art47")
    officer = world.people.officer
    with at("2026-09-24"):
        application = accepted(officer, kind)
    with at("2026-10-12"):
        services.application_pause(
            actor=officer, application=application, kind="hearing", reason="涉及相邻居民重大利益", expected_days=10
        )
    with at("2026-10-16"):
        refused(
            "hearing_request_open",
            lambda: services.application_resume(actor=officer, application=application, result="未申请"),
        )
    with at("2026-10-20"):
        pause = services.application_resume(actor=officer, application=application, result="期限内无人申请听证")
    # 10/13–10/20: six working days not counted, so the twenty run out six working days later
    assert pause.days == 6
    application.refresh_from_db()
    assert application.paused_days == 6 and application.decision_due_on == D(2026, 11, 6)


def test_hearing_request_within_five_working_days_and_hearing_within_twenty(world):
    officer = world.people.officer
    kind = make_type(world.harbin, hearing="art47")
    with at("2026-06-10"):
        application = accepted(officer, kind)
    with at("2026-06-18"):
        pause = services.application_pause(
            actor=officer, application=application, kind="hearing", reason="告知听证权利", expected_days=15
        )
    assert pause.request_due_on == D(2026, 6, 26)  # 6/19–6/21 端午
    with at("2026-06-26"):
        pause = services.application_request_hearing(actor=officer, application=application)
    assert pause.hearing_due_on == D(2026, 7, 24)
    with at("2026-07-27"):
        refused(
            "hearing_late",
            lambda: services.application_resume(
                actor=officer, application=application, result="听证", held_on=D(2026, 7, 27)
            ),
        )
        pause = services.application_resume(
            actor=officer, application=application, result="听证会已举行", held_on=D(2026, 7, 24)
        )
    assert pause.held_on == D(2026, 7, 24)


def test_a_hearing_asked_for_late_is_refused(world):
    officer = world.people.officer
    with at("2026-06-10"):
        application = accepted(officer, make_type(world.harbin, hearing="art47"))
    with at("2026-06-18"):
        services.application_pause(
            actor=officer, application=application, kind="hearing", reason="告知听证权利", expected_days=15
        )
    with at("2026-06-29"):
        error = refused(
            "hearing_request_late", lambda: services.application_request_hearing(actor=officer, application=application)
        )
    assert "第四十七条" in error.messages[0]


def test_service_due_ten_working_days_after_the_decision(world, published):
    officer, head = world.people.officer, world.people.head
    with at("2026-04-20"):
        application = accepted(officer, make_type(world.harbin))
    with at("2026-04-30"):
        services.application_grant(actor=head, application=application, content="同意建设")
    application.refresh_from_db()
    assert application.service_due_on == D(2026, 5, 18)  # 5/1–5/5 劳动节, 5/9 a working Saturday
    with at("2026-05-19"):
        services.application_serve(actor=officer, application=application, method="mail")
    from sanxiang.ledger.models import Entry

    entry = Entry.objects.filter(action="licence_application.serve").last()
    assert b'"on_time":false' in bytes(entry.body)


def test_renewal_thirty_days_before_expiry_counted_back_and_never_moved(world, published):
    kind = make_type(world.harbin, validity_years=5, renewable=True)
    assert clocks.renewal_latest(D(2026, 10, 31), kind, world.harbin) == D(2026, 10, 1)  # a holiday, kept
    officer, head = world.people.officer, world.people.head
    with at("2026-03-02"):
        application = accepted(officer, kind)
        licence = services.application_grant(actor=head, application=application, content="危险废物经营")
    Licence.objects.filter(pk=licence.pk).update(valid_to=D(2026, 10, 31))
    licence.refresh_from_db()
    with at("2026-10-02"):
        error = refused("renewal_late", lambda: submit(officer, kind, kind="renewal", licence=licence))
    assert "第五十条" in error.messages[0]
    assert not licence.applications.exists()
    with at("2026-10-01"):
        renewal = submit(officer, kind, kind="renewal", licence=licence)
    assert renewal.kind == Application.Kind.RENEWAL and renewal.licence == licence
