"""The clocks of an application (《行政许可法》第三十二条、第四十二条、第四十四条、第四十五条、第四十七条、第五十条),
as pure functions of its dates and the rules of core (docs/domain.md §21): no database write here.

Every period of the 行政许可法 for the agency is counted in working days (第八十二条); a type whose own law sets a
period in days (环评 approvals, 《环境影响评价法》第二十二条) keeps the unit its law uses, stored on the type.
"""

from __future__ import annotations

import datetime as dt

from sanxiang.core import calendar
from sanxiang.core.rules import deadline, rule

ACCEPT = "licensing.accept_workdays"
EXTENSION = "licensing.extension_workdays"
SERVICE = "licensing.service_workdays"
HEARING_REQUEST = "licensing.hearing_request_workdays"
HEARING_WITHIN = "licensing.hearing_within_workdays"
RENEWAL = "licensing.renewal_days_before"


def accept_due(received_on: dt.date, agency) -> calendar.Deadline:
    """受理: decided within 5 working days of receiving the materials, or the application counts as accepted on
    receipt (第三十二条第一款第四项)."""
    return deadline(ACCEPT, received_on, agency)


def decision_due(
    *, accepted_on: dt.date, days: int, unit: str, paused: int, extended: bool, agency
) -> calendar.Deadline:
    """The last day to decide: the type's period from acceptance (第四十二条, or its own law's), plus the periods not
    counted (第四十五条, in the type's unit), plus the one extension the head approved (第四十二条: 10 working days)."""
    base = calendar.period_end(accepted_on, days + paused, unit)
    if not extended:
        return base
    extension = calendar.add_working_days(base.date, rule(EXTENSION, agency).number)
    return calendar.Deadline(
        extension.date,
        base.provisional or extension.provisional,
        tuple(sorted({*base.unknown_years, *extension.unknown_years})),
    )


def paused_days(started_on: dt.date, ended_on: dt.date, unit: str) -> int:
    """The days a pause takes out of the period (第四十五条): those after the day it began up to the day it ended,
    working days for a period in working days."""
    if unit == "working_days":
        return calendar.work_calendar().working_days_between(started_on, ended_on)
    return max((ended_on - started_on).days, 0)


def service_due(decided_on: dt.date, agency) -> calendar.Deadline:
    """送达: the licence (or the written refusal) reaches the applicant within 10 working days (第四十四条)."""
    return deadline(SERVICE, decided_on, agency)


def hearing_request_due(told_on: dt.date, agency) -> calendar.Deadline:
    """The applicant or an interested party asks for a hearing within 5 days of being told (第四十七条第一款)."""
    return deadline(HEARING_REQUEST, told_on, agency)


def hearing_due(requested_on: dt.date, agency) -> calendar.Deadline:
    """The hearing is held within 20 days of the request (第四十七条第一款)."""
    return deadline(HEARING_WITHIN, requested_on, agency)


def renewal_days(licence_type, agency) -> int:
    """How many days before expiry a renewal is applied for: 30, unless the type's own law sets another
    (第五十条第一款)."""
    return licence_type.renewal_days_before or rule(RENEWAL, agency).number


def renewal_latest(valid_to: dt.date, licence_type, agency) -> dt.date:
    """The last day a renewal may be applied for (renewal_days before the licence expires). Counted back in calendar
    days and never moved: the day is the applicant's limit."""
    return valid_to - dt.timedelta(days=renewal_days(licence_type, agency))


def decision_days(*, accepted_on: dt.date, end: dt.date, due: dt.date, paused: int) -> tuple[int, int]:
    """The progress page's two figures, in working days: those used of the period (after acceptance up to `end`,
    less the periods not counted) and those left from `end` to the deadline `due` (negative once it has passed)."""
    days = calendar.work_calendar()
    used = max(days.working_days_between(accepted_on, end) - paused, 0)
    left = days.working_days_between(end, due) if end <= due else -days.working_days_between(due, end)
    return used, left
