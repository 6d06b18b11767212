"""The clocks of an application (《行政许可法》第三十二条、第四十二条、第四十四条、第四十五条、第四十七条、第五十条),
as pure functions of its dates and the rules of core (docs/domain.md §21): no database write here.

Every period of the 行政许可法 for the agency is counted in working days (第八十二条); a type whose own law sets a
period in days (环评 approvals, 《环境影响评价法》第二十二条) keeps the unit its law uses, stored on the type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sanxiang.core import calendar
from sanxiang.core.rules import deadline, rule
from sanxiang.licensing.models import LAW, Application

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


def licence_end(valid_from: dt.date, years: int | None) -> dt.date | None:
    """The last day of a licence valid `years` from `valid_from`: the day before the same date `years` later (the
    month's last day standing in for a date the month lacks), as licences state their term; None for one without a
    term. Never moved off a rest day: a licence's validity is not a period the agency keeps."""
    if not years:
        return None
    return calendar.work_calendar().add_months(valid_from, 12 * years, moves=False).date - dt.timedelta(days=1)


def renewed_term(valid_to: dt.date, years: int | None) -> tuple[dt.date, dt.date | None]:
    """A renewed licence's next term (第五十条): from the day after the old one ended, for the type's years."""
    start = valid_to + dt.timedelta(days=1)
    return start, licence_end(start, years)


def renewal_days(licence_type, agency) -> int:
    """How many days before expiry a renewal is applied for: 30, unless the type's own law sets another
    (第五十条第一款)."""
    return licence_type.renewal_days_before or rule(RENEWAL, agency).number


def renewal_latest(valid_to: dt.date, licence_type, agency) -> dt.date:
    """The last day a renewal may be applied for (renewal_days before the licence expires). Counted back in calendar
    days and never moved: the day is the applicant's limit."""
    return valid_to - dt.timedelta(days=renewal_days(licence_type, agency))


def decision_days(*, accepted_on: dt.date, end: dt.date, due: dt.date, paused: int, unit: str) -> tuple[int, int]:
    """The progress page's two figures, in the period's own unit (working days, or days for a type whose law counts
    in days): those used of the period (after acceptance up to `end`, less the periods not counted) and those left
    from `end` to the deadline `due` (negative once it has passed)."""
    if unit != "working_days":
        return max((end - accepted_on).days - paused, 0), (due - end).days
    days = calendar.work_calendar()
    used = max(days.working_days_between(accepted_on, end) - paused, 0)
    return used, working_days_left(due, end, days)


CLOSE_WORKDAYS = 3  # a deadline this near is coloured on the workbench, and counted on the home page
# the article each clock of an application rests on, as its page cites them
CITATIONS = {
    "accept": LAW + "第三十二条第一款",
    "deemed": LAW + "第三十二条第一款第四项",
    "pause": LAW + "第四十五条",
    "extension": LAW + "第四十二条第一款",
    "hearing": LAW + "第四十七条第一款",
    "service": LAW + "第四十四条",
    "renewal": LAW + "第五十条第二款",
}


@dataclass(frozen=True)
class NextDue:
    """The deadline an application is running against now, with its article and the working days left (negative:
    past by that many) — what the window's list and the application's page colour."""

    label: str
    date: dt.date
    citation: str
    left: int
    running: bool = True  # False while a hearing or an expert review stops the clock (第四十五条)

    @property
    def overdue(self) -> bool:
        return self.running and self.left < 0

    @property
    def close(self) -> bool:
        return self.running and self.left <= CLOSE_WORKDAYS

    @property
    def past(self) -> int:
        """The working days the deadline has been missed by (0 while it runs)."""
        return max(-self.left, 0)


def working_days_left(due: dt.date, today: dt.date, work: calendar.WorkCalendar | None = None) -> int:
    """Working days from today up to the last day (0 on the day itself), negative once it has passed — at least -1,
    even when only a weekend lies between."""
    work = work or calendar.work_calendar()
    if due >= today:
        return work.working_days_between(today, due)
    return -max(work.working_days_between(due, today), 1)


def next_due(application, today: dt.date, work: calendar.WorkCalendar | None = None) -> NextDue | None:
    """受理期限 while the materials wait (第三十二条), 决定期限 once accepted (第四十二条, or the type's own law; stopped
    during a pause), 送达期限 once decided and not served (第四十四条); None when nothing is running for the agency."""
    status, s = application.status, Application.Status
    if status == s.RECEIVED:
        label, due, citation = _("受理期限"), application.accept_due_on, CITATIONS["accept"]
    elif status in (s.ACCEPTED, s.PAUSED):
        label, due, citation = _("决定期限"), application.decision_due_on, application.licence_type.decision_citation
    elif application.service_due_on and application.served_on is None:
        label, due, citation = _("送达期限"), application.service_due_on, CITATIONS["service"]
    else:
        return None
    return NextDue(str(label), due, citation, working_days_left(due, today, work), running=status != s.PAUSED)
