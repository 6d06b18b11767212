import datetime as dt
import random
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.agencies.services import calendar_day_set, calendar_year_confirm
from sanxiang.core import calendar
from sanxiang.core.models import CalendarDay, CalendarYear

D = dt.date
pytestmark = pytest.mark.django_db


def test_spring_festival_2026_holidays_are_not_working_days_and_adjusted_saturdays_are():
    cal = calendar.work_calendar()
    assert all(not cal.is_workday(D(2026, 2, day)) for day in range(15, 24))
    assert cal.is_workday(D(2026, 2, 14))  # Saturday, 调休上班
    assert cal.is_workday(D(2026, 2, 28))  # Saturday, 调休上班
    assert not cal.is_workday(D(2026, 2, 21))  # a Saturday inside the holiday


def test_working_days_skip_the_spring_festival_but_count_the_adjusted_saturday():
    assert calendar.add_working_days(D(2026, 2, 13), 1) == calendar.Deadline(D(2026, 2, 14))
    assert calendar.add_working_days(D(2026, 2, 14), 1).date == D(2026, 2, 24)
    # 5 working days from Thursday 12 Feb: 13, 14 (Sat, adjusted), 24, 25, 26.
    assert calendar.add_working_days(D(2026, 2, 12), 5).date == D(2026, 2, 26)


def test_seven_working_days_from_30_september_2026_cross_national_day():
    # 1–7 Oct are holidays; 8, 9, 10 (Saturday, adjusted), 12, 13, 14, 15.
    assert calendar.add_working_days(D(2026, 9, 30), 7) == calendar.Deadline(D(2026, 10, 15))
    assert calendar.add_working_days(D(2026, 9, 19), 1).date == D(2026, 9, 20)  # Sunday 20 Sep is adjusted


def test_calendar_day_deadline_ending_on_a_holiday_moves_to_the_next_working_day():
    assert calendar.add_calendar_days(D(2026, 9, 1), 30).date == D(2026, 10, 8)
    assert calendar.add_calendar_days(D(2026, 2, 10), 7).date == D(2026, 2, 24)
    assert calendar.add_calendar_days(D(2026, 3, 1), 15).date == D(2026, 3, 16)  # Monday, unchanged


def test_calendar_day_deadline_ending_on_an_adjusted_saturday_stays_there():
    assert calendar.add_calendar_days(D(2026, 10, 3), 7).date == D(2026, 10, 10)


def test_a_deadline_in_a_year_the_calendar_does_not_know_is_provisional():
    assert not CalendarYear.objects.filter(year=2027).exists()
    deadline = calendar.add_working_days(D(2026, 12, 24), 7)
    assert deadline.provisional and deadline.unknown_years == (2027,)
    assert str(deadline).endswith("provisional")
    assert not calendar.add_working_days(D(2026, 12, 1), 7).provisional


def test_a_calendar_day_deadline_that_ends_in_an_unknown_year_is_provisional():
    assert calendar.add_calendar_days(D(2026, 12, 20), 15).provisional
    assert not calendar.add_calendar_days(D(2026, 11, 20), 15).provisional


def test_a_year_entered_by_hand_counts_and_becomes_final_once_confirmed():
    calendar_day_set(day=D(2027, 1, 1), kind="holiday", name="元旦")
    calendar_day_set(day=D(2027, 2, 20), kind="workday", name="春节调休")  # a Saturday
    deadline = calendar.add_working_days(D(2026, 12, 31), 1)
    assert deadline.date == D(2027, 1, 4) and deadline.provisional  # draft year: still provisional
    assert calendar.add_working_days(D(2027, 2, 19), 1).date == D(2027, 2, 20)

    calendar_year_confirm(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    assert calendar.add_working_days(D(2026, 12, 31), 1) == calendar.Deadline(D(2027, 1, 4))
    assert CalendarYear.objects.get(year=2027).status == CalendarYear.Status.CONFIRMED


def test_a_working_day_deadline_into_an_unknown_year_skips_national_day_and_stays_provisional():
    assert not CalendarYear.objects.filter(year=2030).exists()
    # From Friday 27 Sep 2030: 30 Sep, then 1–3 Oct (Tue–Thu) are 国庆节 by the 办法; 4, 7, 8, 9 Oct.
    deadline = calendar.add_working_days(D(2030, 9, 27), 5)
    assert deadline == calendar.Deadline(D(2030, 10, 9), provisional=True, unknown_years=(2030,))


def test_a_calendar_day_deadline_on_a_statutory_holiday_of_an_unknown_year_moves_to_the_next_working_day():
    deadline = calendar.add_calendar_days(D(2030, 9, 2), 10)  # Thursday 12 Sep 2030 is 中秋节
    assert deadline.date == D(2030, 9, 13) and deadline.provisional
    assert not calendar.work_calendar().is_workday(D(2030, 2, 4))  # Monday, 春节 (初三)


def test_an_entered_day_of_a_draft_year_wins_over_the_statutory_holidays_which_still_count_elsewhere():
    calendar_day_set(day=D(2030, 10, 3), kind="workday", name="更正")
    cal = calendar.work_calendar()
    assert cal.is_workday(D(2030, 10, 3)) and not cal.is_workday(D(2030, 10, 2))
    assert not cal.is_workday(D(2030, 6, 5))  # 端午节, not entered
    assert calendar.add_working_days(D(2030, 9, 30), 1) == calendar.Deadline(D(2030, 10, 3), True, (2030,))


def test_a_confirmed_year_is_its_entered_schedule_alone():
    calendar_day_set(day=D(2031, 1, 1), kind="holiday", name="元旦")
    calendar_year_confirm(year=2031, source="通知")
    assert calendar.work_calendar().is_workday(D(2031, 10, 1))  # the confirmed schedule leaves out 国庆节


def test_a_year_past_the_lunar_tables_counts_monday_to_friday_and_is_provisional():
    deadline = calendar.add_working_days(D(2150, 9, 30), 3)
    assert deadline == calendar.Deadline(D(2150, 10, 5), provisional=True, unknown_years=(2150,))


def test_a_year_without_holidays_cannot_be_confirmed():
    calendar_day_set(day=D(2028, 1, 8), kind="workday")
    with pytest.raises(ValidationError) as error:
        calendar_year_confirm(year=2028, source="通知")
    assert error.value.code == "calendar_year_empty"
    assert CalendarYear.objects.get(year=2028).status == CalendarYear.Status.DRAFT
    with pytest.raises(ValidationError):
        calendar_year_confirm(year=2031, source="通知")
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_an_unknown_kind_is_refused_and_writes_nothing():
    with pytest.raises(ValidationError):
        calendar_day_set(day=D(2029, 5, 1), kind="festival")
    assert not CalendarDay.objects.filter(date=D(2029, 5, 1)).exists()
    assert not CalendarYear.objects.filter(year=2029).exists()


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 5), -1)


def test_the_seeded_calendar_comes_from_the_package_and_is_confirmed():
    entry = CalendarYear.objects.get(year=2026)
    assert entry.status == "confirmed" and entry.source.startswith("chinesecalendar")
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


def test_command_line_deadline_prints_the_iso_date():
    out = StringIO()
    call_command("calendar", "deadline", "--from", "2026-09-30", "--workdays", "7", stdout=out)
    assert out.getvalue().strip() == "2026-10-15"
    out, err = StringIO(), StringIO()
    call_command("calendar", "deadline", "--from", "2026-12-25", "--days", "10", stdout=out, stderr=err)
    assert out.getvalue().strip() == "2027-01-04 provisional"
    assert "2027" in err.getvalue()


def test_command_line_set_and_status():
    out = StringIO()
    call_command("calendar", "set", "2027-10-01", "holiday", "--name", "国庆节", stdout=out)
    assert CalendarDay.objects.get(date=D(2027, 10, 1)).name == "国庆节"
    call_command("calendar", "status", stdout=out)
    assert "2027\tdraft" in out.getvalue()


@settings(max_examples=200, deadline=None)
@given(start=st.dates(D(2020, 1, 1), D(2030, 10, 31)), days=st.integers(0, 40))
def test_a_working_day_deadline_is_a_working_day_exactly_n_working_days_later(start, days):
    cal = calendar.work_calendar()
    deadline = cal.add_working_days(start, days)
    assert cal.working_days_between(start, deadline.date) == days
    if days:
        assert cal.is_workday(deadline.date)
        assert cal.working_days_between(start, deadline.date - dt.timedelta(days=1)) == days - 1


@settings(max_examples=200, deadline=None)
@given(start=st.dates(D(2020, 1, 1), D(2030, 10, 31)), days=st.integers(0, 120))
def test_a_calendar_day_deadline_is_the_first_working_day_on_or_after_start_plus_n(start, days):
    cal = calendar.work_calendar()
    deadline = cal.add_calendar_days(start, days).date
    target = start + dt.timedelta(days=days)
    assert deadline >= target and cal.is_workday(deadline)
    assert all(not cal.is_workday(target + dt.timedelta(days=i)) for i in range((deadline - target).days))


@pytest.mark.django_db
def test_working_days_between_reads_each_years_running_count_as_a_day_by_day_count_would():
    calendar_ = calendar.work_calendar()
    rng = random.Random(16)
    days = [dt.date(2024, 12, 20) + dt.timedelta(days=rng.randrange(0, 3 * 365)) for _ in range(200)]
    for start, end in zip(days, days[1:], strict=False):
        walked, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            walked += calendar_.is_workday(day)
        assert calendar_.working_days_between(start, end) == walked, (start, end)
    assert calendar_.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 13)) == 5
    assert calendar_.working_days_between(dt.date(2026, 12, 31), dt.date(2027, 1, 1)) == 0
