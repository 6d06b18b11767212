"""The statutory holidays of 《全国年节及纪念日放假办法》 (art 2, 全体公民放假的节日), computed for any year.

The State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知) decides weekends moved and days made up
(调休); it cannot move these days, which the 办法 fixes on the Gregorian calendar, the lunar calendar (农历) and the
清明 solar term. So a year whose notice is not out yet still knows them, and the working-day calendar rests on them
for every year it has not confirmed (domain.md §1).

Each revision of the 办法 governs from the year it came into force, as data with its citation:

- 国务院令第513号 (2007-12-14, in force 2008-01-01): 春节 is 除夕, 正月初一 and 初二; 劳动节 one day; 清明, 端午 and
  中秋 added.
- 国务院令第644号 (2013-12-11, in force 2014-01-01): 春节 is 正月初一 to 初三.
- 国务院令第795号 (2024-11-10, in force 2025-01-01): 春节 four days from 除夕; 劳动节 1 and 2 May.

Years before 2008 followed the 1999 revision, which is not encoded here: the calendar's database holds every one of
them from the `chinesecalendar` package.

The lunar dates and the solar term come from `borax` (kinegratii/borax, MIT, pure Python, no dependencies), whose
tables cover the lunar years 1900–2100 (after the Hong Kong Observatory's conversion tables); hence `YEARS` ends at
2100. No data is downloaded: the tables ship inside the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from borax.calendars.lunardate import LunarDate, TermUtils

Rule = Callable[[int], list[dt.date]]


def gregorian(month: int, *days: int) -> Rule:
    """Fixed days of the Gregorian calendar (公历)."""
    return lambda year: [dt.date(year, month, day) for day in days]


def lunar(month: int, *days: int) -> Rule:
    """Days of an ordinary (never a leap, 闰) lunar month, in the lunar year that begins in this Gregorian year."""
    return lambda year: [LunarDate(year, month, day).to_solar_date() for day in days]


def new_years_eve(year: int) -> list[dt.date]:
    """除夕: the last day of the twelfth lunar month, the 29th or the 30th, so it is the eve of 正月初一."""
    return [LunarDate(year, 1, 1).to_solar_date() - dt.timedelta(days=1)]


def qingming(year: int) -> list[dt.date]:
    """The day of the 清明 solar term (the sun at 15° ecliptic longitude, Beijing time)."""
    return [TermUtils.nth_term_day(year, term_name="清明")]


@dataclass(frozen=True)
class Revision:
    """One version of art 2 of the 办法: the festivals every citizen has off, each with the rule that dates it."""

    first_year: int
    citation: str
    confidence: str
    festivals: tuple[tuple[str, tuple[Rule, ...]], ...]


REVISIONS = (
    Revision(
        first_year=2008,
        citation="《全国年节及纪念日放假办法》第二条（国务院令第513号修订，2008年1月1日起施行）",
        confidence="C2",
        festivals=(
            ("新年", (gregorian(1, 1),)),
            ("春节", (new_years_eve, lunar(1, 1, 2))),
            ("清明节", (qingming,)),
            ("劳动节", (gregorian(5, 1),)),
            ("端午节", (lunar(5, 5),)),
            ("中秋节", (lunar(8, 15),)),
            ("国庆节", (gregorian(10, 1, 2, 3),)),
        ),
    ),
    Revision(
        first_year=2014,
        citation="《全国年节及纪念日放假办法》第二条（国务院令第644号修订，2014年1月1日起施行）",
        confidence="C",
        festivals=(
            ("新年", (gregorian(1, 1),)),
            ("春节", (lunar(1, 1, 2, 3),)),
            ("清明节", (qingming,)),
            ("劳动节", (gregorian(5, 1),)),
            ("端午节", (lunar(5, 5),)),
            ("中秋节", (lunar(8, 15),)),
            ("国庆节", (gregorian(10, 1, 2, 3),)),
        ),
    ),
    Revision(
        first_year=2025,
        citation="《全国年节及纪念日放假办法》第二条（国务院令第795号修订，2025年1月1日起施行）",
        confidence="C2",
        festivals=(
            ("元旦", (gregorian(1, 1),)),
            ("春节", (new_years_eve, lunar(1, 1, 2, 3))),
            ("清明节", (qingming,)),
            ("劳动节", (gregorian(5, 1, 2),)),
            ("端午节", (lunar(5, 5),)),
            ("中秋节", (lunar(8, 15),)),
            ("国庆节", (gregorian(10, 1, 2, 3),)),
        ),
    ),
)

# borax's lunar tables end with the lunar year 2100.
YEARS = range(REVISIONS[0].first_year, 2101)


def revision_for(year: int) -> Revision:
    """The revision of the 办法 in force in `year`; ValueError outside `YEARS`."""
    if year not in YEARS:
        raise ValueError(f"statutory holidays are computed for {YEARS.start}–{YEARS.stop - 1} only, not {year}")
    return [revision for revision in REVISIONS if revision.first_year <= year][-1]


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days every citizen has off by law in `year`, in date order, each with its festival's name.

    When 中秋 falls on 1–3 October the day carries both names: the 办法 gives no extra day for the overlap.
    """
    days: dict[dt.date, str] = {}
    for name, rules in revision_for(year).festivals:
        for rule in rules:
            for day in rule(year):
                days[day] = f"{days[day]}、{name}" if day in days else name
    return dict(sorted(days.items()))
