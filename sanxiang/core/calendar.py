"""The working-day calendar and the deadline arithmetic every legal clock goes through.

Rules (domain.md §1): the start day is not counted; a period in working days skips weekends and statutory
holidays but counts adjusted working days (调休上班); a period in calendar days that ends on a rest day moves to the
next working day (环境行政处罚办法 2010 art 79). A year whose schedule is not confirmed still rests on the
statutory holidays of 《全国年节及纪念日放假办法》 (`core.holidays`: only its weekends moved and days made up are
unknown), besides any day entered for it; a deadline that touches such a year is marked provisional, so nobody
mistakes a guess for the law.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone

from sanxiang.core.holidays import YEARS, statutory_holidays
from sanxiang.core.models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)


def earlier_today(ago: dt.timedelta) -> dt.datetime:
    """The moment `ago` before now, but not before the local day began: a time of an act recorded as done earlier
    today (by the demo, by a test). In the hours after midnight "two hours ago" is yesterday, and an act dated
    yesterday is a 补录 that needs its reason."""
    now = timezone.now()
    midnight = dt.datetime.combine(timezone.localdate(now), dt.time(), tzinfo=timezone.get_current_timezone())
    return max(now - ago, midnight)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day as an interval of aware datetimes [start of `day`, start of the next day)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def halfway_to_now(start: dt.datetime) -> dt.datetime:
    """A moment between `start` (earlier_today's) and now: when an act begun then ended, later than it began."""
    return start + (timezone.now() - start) / 2


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool = False
    unknown_years: tuple[int, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.date.isoformat()} provisional" if self.provisional else self.date.isoformat()


class WorkCalendar:
    """An immutable snapshot of the calendar; cheap to query many times (dashboards compute thousands of clocks)."""

    def __init__(self, exceptions: dict[dt.date, bool], confirmed_years: frozenset[int]):
        self._exceptions = exceptions
        self.confirmed_years = confirmed_years
        # Filled a year at a time on first use: a snapshot rarely looks more than a year or two ahead.
        self._statutory: dict[int, frozenset[dt.date]] = {}
        # Working days of a year counted from 1 January, day by day (see working_days_between).
        self._running: dict[int, list[int]] = {}

    def is_workday(self, day: dt.date) -> bool:
        override = self._exceptions.get(day)
        if override is not None:
            return override
        # A confirmed year's entered schedule is the whole truth; any other year also rests on the 办法's holidays.
        if day.year not in self.confirmed_years and day in self._statutory_days(day.year):
            return False
        return day.weekday() < 5

    def _statutory_days(self, year: int) -> frozenset[dt.date]:
        # Past the lunar tables (or before the encoded revisions) a year has only Monday–Friday to go on.
        days = self._statutory.get(year)
        if days is None:
            days = frozenset(statutory_holidays(year)) if year in YEARS else frozenset()
            self._statutory[year] = days
        return days

    def is_known(self, day: dt.date) -> bool:
        return day.year in self.confirmed_years

    def add_working_days(self, start: dt.date, days: int) -> Deadline:
        """The day on which a period of `days` working days counted from the day after `start` ends."""
        _require_non_negative(days)
        unknown: set[int] = set()
        day, counted = start, 0
        while counted < days:
            day += ONE_DAY
            if not self.is_known(day):
                unknown.add(day.year)
            if self.is_workday(day):
                counted += 1
        return _deadline(day, unknown)

    def add_calendar_days(self, start: dt.date, days: int, *, moves: bool = True) -> Deadline:
        """`start` + `days`, moved forward to the next working day when it falls on a rest day (unless the clock's
        rule reads the period as ending on its last calendar day whatever the day: `moves=False`)."""
        _require_non_negative(days)
        day = start + dt.timedelta(days=days)
        unknown = {day.year} if not self.is_known(day) else set()
        while moves and not self.is_workday(day):
            day += ONE_DAY
            if not self.is_known(day):
                unknown.add(day.year)
        return _deadline(day, unknown)

    def add_months(self, start: dt.date, months: int, *, moves: bool = True) -> Deadline:
        """The same day `months` later (the month's last day when it is shorter), moved off rest days."""
        _require_non_negative(months)
        month_index = start.month - 1 + months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - ONE_DAY).day
        end = dt.date(year, month, min(start.day, last_day))
        return self.add_calendar_days(end, 0, moves=moves)

    def period_end(self, start: dt.date, amount: int, unit: str, *, moves: bool = True) -> Deadline:
        """The last day of a legal period of `amount` `unit`s counted from the day after `start`: the one function
        every clock goes through (working days, calendar days, months, years)."""
        if unit == "working_days":
            return self.add_working_days(start, amount)
        if unit == "calendar_days":
            return self.add_calendar_days(start, amount, moves=moves)
        if unit in ("months", "years"):
            return self.add_months(start, amount * (12 if unit == "years" else 1), moves=moves)
        raise ValueError(f"{unit} is not a unit of time")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not after `start`): read from each
        year's running count, so a list of a thousand clocks a year or two overdue costs no more than a short one."""
        if end <= start:
            return 0
        count = self._through(end) - self._through(start)
        for year in range(start.year, end.year):
            count += self._running_count(year)[-1]
        return count

    def _through(self, day: dt.date) -> int:
        """Working days from 1 January of the day's year up to and including the day."""
        return self._running_count(day.year)[day.timetuple().tm_yday - 1]

    def _running_count(self, year: int) -> list[int]:
        running = self._running.get(year)
        if running is None:
            running, count, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                count += self.is_workday(day)
                running.append(count)
                day += ONE_DAY
            self._running[year] = running
        return running


def _require_non_negative(days: int) -> None:
    if days < 0:
        raise ValueError("a period cannot be negative")


def _deadline(day: dt.date, unknown: set[int]) -> Deadline:
    return Deadline(date=day, provisional=bool(unknown), unknown_years=tuple(sorted(unknown)))


_cache_lock = threading.Lock()
_cache: dict = {"stamp": None, "calendar": None}


def work_calendar() -> WorkCalendar:
    """The current calendar, reloaded only when a year or day was changed (one small query otherwise)."""
    stamp = tuple(CalendarYear.objects.aggregate(count=Count("year"), changed=Max("updated_at")).values())
    with _cache_lock:
        if _cache["stamp"] == stamp and _cache["calendar"] is not None:
            return _cache["calendar"]
    exceptions = {
        day: kind == CalendarDay.Kind.WORKDAY for day, kind in CalendarDay.objects.values_list("date", "kind")
    }
    confirmed = frozenset(
        CalendarYear.objects.filter(status=CalendarYear.Status.CONFIRMED).values_list("year", flat=True)
    )
    calendar = WorkCalendar(exceptions, confirmed)
    with _cache_lock:
        _cache.update(stamp=stamp, calendar=calendar)
    return calendar


def add_working_days(start: dt.date, days: int) -> Deadline:
    return work_calendar().add_working_days(start, days)


def add_calendar_days(start: dt.date, days: int) -> Deadline:
    return work_calendar().add_calendar_days(start, days)


def period_end(start: dt.date, amount: int, unit: str, *, moves: bool = True) -> Deadline:
    return work_calendar().period_end(start, amount, unit, moves=moves)


def invalidate() -> None:
    """Forget the cached calendar: other processes notice the new CalendarYear.updated_at, this one must not wait
    for a clock tick."""
    _cache.update(stamp=None, calendar=None)


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def schedule_import(*, year_model=CalendarYear, day_model=CalendarDay) -> tuple[str, dict[int, int]]:
    """Add every year the `chinesecalendar` package knows and the database does not, as confirmed; returns the
    package's name and version, and the number of days of each year added.

    Years already in the database are left alone: an administrator's entries win over the package. No ledger entry
    is written here: the migration that seeds the calendar passes its historical models and runs before the ledger
    exists; agencies.services.calendar_import_package records each year it adds.
    """
    from importlib.metadata import version

    from chinese_calendar import constants

    source = f"chinesecalendar {version('chinesecalendar')}"
    by_year: dict[int, list] = {}
    for day, name in constants.holidays.items():
        by_year.setdefault(day.year, []).append((day, "holiday", _HOLIDAY_NAMES.get(name, name)))
    for day, name in constants.workdays.items():
        by_year.setdefault(day.year, []).append((day, "workday", _HOLIDAY_NAMES.get(name, name) + "调休"))
    known = set(year_model.objects.values_list("year", flat=True))
    added = {}
    for year in sorted(set(by_year) - known):
        entry = year_model.objects.create(year=year, status="confirmed", source=source)
        day_model.objects.bulk_create(
            day_model(date=day, calendar_year=entry, kind=kind, name=name) for day, kind, name in by_year[year]
        )
        added[year] = len(by_year[year])
    invalidate()
    return source, added
