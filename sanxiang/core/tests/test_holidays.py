import datetime as dt

import chinese_calendar
import pytest

from sanxiang.core.holidays import YEARS, revision_for, statutory_holidays

D = dt.date

# The chinesecalendar package transcribes each year's State Council notice; it is independent of borax.
PACKAGE_YEARS = range(2008, max(day.year for day in chinese_calendar.constants.holidays) + 1)
PACKAGE_NAMES = {
    "New Year's Day": ("元旦", "新年"),
    "Spring Festival": ("春节",),
    "Tomb-sweeping Day": ("清明节",),
    "Labour Day": ("劳动节",),
    "Dragon Boat Festival": ("端午节",),
    "Mid-autumn Festival": ("中秋节",),
    "National Day": ("国庆节",),
}


def span(year, month, first, last):
    return [D(year, month, day) for day in range(first, last + 1)]


def test_the_2025_revision_gives_thirteen_days_dated_from_the_lunar_calendar_and_the_qingming_term():
    assert list(statutory_holidays(2025)) == [
        D(2025, 1, 1),
        *span(2025, 1, 28, 31),
        D(2025, 4, 4),
        *span(2025, 5, 1, 2),
        D(2025, 5, 31),
        *span(2025, 10, 1, 3),
        D(2025, 10, 6),
    ]
    assert list(statutory_holidays(2026)) == [
        D(2026, 1, 1),
        *span(2026, 2, 16, 19),
        D(2026, 4, 5),
        *span(2026, 5, 1, 2),
        D(2026, 6, 19),
        D(2026, 9, 25),
        *span(2026, 10, 1, 3),
    ]
    holidays = statutory_holidays(2025)
    assert holidays[D(2025, 1, 28)] == "春节"  # 除夕, the 29th of the twelfth month that year
    assert [holidays[D(2025, *day)] for day in ((4, 4), (5, 31), (10, 6))] == ["清明节", "端午节", "中秋节"]


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_every_statutory_holiday_is_a_rest_day_of_the_state_council_schedule_the_package_holds(year):
    for day, name in statutory_holidays(year).items():
        assert not chinese_calendar.is_workday(day), (day, name)
        # A festival on a weekend is sometimes left out of the package's named days; a named one must match.
        listed = chinese_calendar.constants.holidays.get(day)
        assert listed is None or any(part in PACKAGE_NAMES[listed] for part in name.split("、")), (day, name, listed)


def test_the_older_revisions_govern_the_years_before_2025():
    assert "第644号" in revision_for(2024).citation and "第795号" in revision_for(2025).citation
    assert "第513号" in revision_for(2013).citation
    # 2014–2024: 春节 is 初一 to 初三 without 除夕 (9 Feb 2024), 劳动节 one day.
    assert [*span(2024, 2, 10, 12), D(2024, 5, 1)] == [day for day in statutory_holidays(2024) if day.month in (2, 5)]
    # 2008–2013: 除夕, 初一 and 初二.
    assert span(2013, 2, 9, 11) == [day for day, name in statutory_holidays(2013).items() if name == "春节"]


def test_a_far_year_is_computed_from_the_calendars_alone():
    # Cross-checked with the lunar-python package, which computes new moons and solar terms astronomically.
    assert statutory_holidays(2030) == {
        D(2030, 1, 1): "元旦",
        **dict.fromkeys(span(2030, 2, 2, 5), "春节"),  # 除夕 is 2 February, the 30th of the twelfth month
        D(2030, 4, 5): "清明节",
        **dict.fromkeys(span(2030, 5, 1, 2), "劳动节"),
        D(2030, 6, 5): "端午节",
        D(2030, 9, 12): "中秋节",
        **dict.fromkeys(span(2030, 10, 1, 3), "国庆节"),
    }


def test_mid_autumn_on_national_day_is_one_day_with_both_names():
    holidays = statutory_holidays(2028)
    assert holidays[D(2028, 10, 3)] == "中秋节、国庆节"
    assert len(holidays) == 12


def test_qingming_agrees_with_the_solar_term_formula_of_the_chinesecalendar_package_until_2099():
    for year in range(2025, 2100):
        terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 30))
        (day,) = [day for day, name in terms if name == "清明"]
        assert statutory_holidays(year)[day] == "清明节"


def test_years_outside_the_lunar_tables_and_the_encoded_revisions_are_refused():
    assert YEARS == range(2008, 2101)
    assert statutory_holidays(2100)
    for year in (2007, 2101):
        with pytest.raises(ValueError):
            statutory_holidays(year)
