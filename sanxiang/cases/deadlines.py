"""The legal clocks of a case, all computed through the working-day calendar from the rules' data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Case, CaseKind, Stage, Suspension
from sanxiang.core import calendar
from sanxiang.core.rules import deadline, rule

# Every kind of deadline `next_due` stores on a case (期限事项), named as the workbench and its notifications show it.
DUE_KINDS = {
    "filing": _("决定是否立案"),
    "preservation": _("先行登记保存处理决定"),
    "statement": _("陈述申辩期满"),
    "hearing": _("听证申请期满"),
    "decision": _("作出处罚决定"),
    "service": _("送达处罚决定书"),
    "payment": _("缴纳罚款"),
    "approval": _("紧急查封、扣押补办批准"),
    "seizure": _("查封、扣押期限届满"),
}


@dataclass(frozen=True)
class Due:
    kind: str
    label: str
    date: dt.date
    provisional: bool
    citation: str

    def __post_init__(self):
        # A kind without a name would reach the workbench as its code.
        if self.kind not in DUE_KINDS:
            raise ValueError(f"deadline kind {self.kind!r} is not in DUE_KINDS")


def filing_due(case: Case) -> calendar.Deadline:
    extra = rule("filing.extension_days", case.agency).number if case.filing_extended else 0
    return deadline("filing.decide_days", case.discovered_on, case.agency, extra=extra)


@dataclass(frozen=True)
class SuspensionSpan:
    """One suspension of the decision clock as the case page shows it: its days, both ends included."""

    suspension: Suspension
    end: dt.date
    days: int


def suspension_spans(case: Case, *, today: dt.date) -> list[SuspensionSpan]:
    """Each suspension with the calendar days on which it was in progress, the day it began and the day it ended
    both included (an open one up to today)."""
    spans = []
    for suspension in case.suspensions.all():
        end = max(suspension.ended_on or today, suspension.started_on)
        spans.append(SuspensionSpan(suspension, end, (end - suspension.started_on).days + 1))
    return spans


def suspended_days(case: Case, *, today: dt.date) -> int:
    """Calendar days on which any suspension was in progress, both ends included, each day counted once however
    many suspensions overlap it (the reading stated in the rule `decision.days`)."""
    days, reached = 0, 0  # `reached`: the last day already counted, as an ordinal
    for span in sorted(suspension_spans(case, today=today), key=lambda span: span.suspension.started_on):
        first = max(span.suspension.started_on.toordinal(), reached + 1)
        days += max(span.end.toordinal() - first + 1, 0)
        reached = max(reached, span.end.toordinal())
    return days


def decision_due(case: Case, *, today: dt.date) -> calendar.Deadline:
    """90 days from filing, plus approved extensions, plus the days hearing, monitoring, appraisal, service or
    public notice stopped the clock."""
    extra = case.decision_extension_days + suspended_days(case, today=today)
    return deadline("decision.days", case.filed_on, case.agency, extra=extra)


@dataclass(frozen=True)
class DecisionClock:
    """The 90-day clock as the case page explains it: the rule, extensions, each suspension and the due date."""

    filed_on: dt.date
    days: int
    extension_days: int
    spans: list[SuspensionSpan]
    suspended_days: int
    due: calendar.Deadline
    running: bool
    title: str
    citation: str


def decision_clock(case: Case, *, today: dt.date) -> DecisionClock | None:
    if case.filed_on is None:
        return None
    period = rule("decision.days", case.agency)
    spans = suspension_spans(case, today=today)
    return DecisionClock(
        filed_on=case.filed_on,
        days=period.number,
        extension_days=case.decision_extension_days,
        spans=spans,
        suspended_days=suspended_days(case, today=today),
        due=decision_due(case, today=today),
        running=not any(span.suspension.ended_on is None for span in spans),
        title=period.title,
        citation=period.citation,
    )


def statement_due(case: Case) -> calendar.Deadline:
    return deadline("notice.statement_workdays", case.notice_served_on, case.agency)


def hearing_request_due(case: Case) -> calendar.Deadline:
    return deadline("hearing.request_workdays", case.notice_served_on, case.agency)


@dataclass(frozen=True)
class Window:
    """A period in which the party may still exercise a right, holding the decision until it has run."""

    kind: str
    label: str
    due: calendar.Deadline
    citation: str


def open_windows(case: Case, *, on: dt.date) -> list[Window]:
    """The party's periods still running on `on`: the statement period and, when the notice gave the right, the
    hearing-request period — two clocks, each ended only by itself or by its own express waiver. A statement is no
    waiver of the hearing, nor does one statement end the statement period (《行政处罚法》第六十二条至第六十四条).
    A hearing held, or both rights waived at once, closes both."""
    if case.notice_served_on is None or case.rights_waived_on or case.hearing_held_on:
        return []
    windows = []
    statement = statement_due(case)
    if not case.statement_waived_on and on <= statement.date:
        citation = rule("notice.statement_workdays", case.agency).citation
        windows.append(Window("statement", str(_("陈述、申辩期限")), statement, citation))
    if case.hearing_offered and not case.hearing_waived_on and not case.hearing_requested_on:
        hearing = hearing_request_due(case)
        if on <= hearing.date:
            citation = rule("hearing.request_workdays", case.agency).citation
            windows.append(Window("hearing", str(_("要求听证的期限")), hearing, citation))
    return windows


def service_due(case: Case) -> calendar.Deadline:
    return deadline("service.workdays", case.decided_on, case.agency)


def service_words(case: Case) -> str:
    """How the decision was served, in words: the day, or for 公告送达 the notice day and the deemed day."""
    if case.service_notice_on:
        return str(_("%(notice)s 发出公告，经过 %(days)s 日，%(served)s 视为送达")) % {
            "notice": case.service_notice_on,
            "days": rule("service.public_notice_days", case.agency).number,
            "served": case.served_on,
        }
    return str(case.served_on)


def payment_due(case: Case) -> calendar.Deadline:
    if case.deferred_until:
        return calendar.Deadline(case.deferred_until)
    return deadline("payment.days", case.served_on, case.agency)


def surcharge_days(case: Case, *, until: dt.date) -> int:
    """Days of 加处罚款 from the day after the payment deadline up to `until`, leaving out every day on which a
    复议 or 诉讼 against the decision was under way, from the day it was brought to the day it was decided, both
    included (《行政处罚法》第七十三条第三款)."""
    due = payment_due(case).date.toordinal()
    last = until.toordinal()
    if last <= due:
        return 0
    excluded, reached = 0, due  # the last day already left out (or the deadline itself)
    for challenge in sorted(case.challenges.all(), key=lambda challenge: challenge.filed_on):
        first = max(challenge.filed_on.toordinal(), reached + 1)
        end = min((challenge.decided_on or until).toordinal(), last)
        excluded += max(end - first + 1, 0)
        reached = max(reached, end)
    return last - due - excluded


def court_window(case: Case) -> tuple[calendar.Deadline, calendar.Deadline]:
    """When an application to the court may start (after the 6-month litigation window) and must end (3 months on)."""
    opens = deadline("litigation.months", case.served_on, case.agency)
    return opens, deadline("court_application.months", opens.date, case.agency)


def next_due(case: Case, *, today: dt.date) -> Due | None:
    """The deadline that matters now for the case's stage."""

    def due(kind, value: calendar.Deadline, key):
        return Due(kind, str(DUE_KINDS[kind]), value.date, value.provisional, rule(key, case.agency).citation)

    if case.kind == CaseKind.SEIZURE:
        return _seizure_due(case)
    if case.stage == Stage.CLUE:
        return due("filing", filing_due(case), "filing.decide_days")
    pending = case.preservations.filter(decided_on__isnull=True).order_by("decide_by").first()
    if pending is not None and case.stage in (Stage.INVESTIGATING, Stage.REVIEWING):
        return Due(
            "preservation",
            str(DUE_KINDS["preservation"]),
            pending.decide_by,
            False,
            rule("preservation.decide_workdays", case.agency).citation,
        )
    if case.stage == Stage.NOTIFIED:
        windows = open_windows(case, on=today)
        if windows:
            last = max(windows, key=lambda window: window.due.date)
            label = "、".join(window.label for window in windows) + str(_("届满"))
            return Due(last.kind, label, last.due.date, last.due.provisional, last.citation)
    if case.stage in (Stage.INVESTIGATING, Stage.REVIEWING, Stage.NOTIFIED, Stage.HEARING, Stage.DECIDING):
        if case.suspensions.filter(ended_on__isnull=True).exists():
            return None  # the clock stands still
        return due("decision", decision_due(case, today=today), "decision.days")
    if case.stage == Stage.DECIDED and not case.served_on:
        return due("service", service_due(case), "service.workdays")
    if case.stage == Stage.SERVED and case.outcome == "penalty" and not case.paid_on and not case.court_applied_on:
        return due("payment", payment_due(case), "payment.days")
    return None


def _seizure_due(case: Case) -> Due | None:
    """A seizure case's clock: the 24 hours to approve an emergency seizure, then the end of its period."""
    seizure = case.seizures.first()
    if seizure is None or seizure.released_on:
        return None
    if case.stage == Stage.DECIDING and seizure.emergency and seizure.started_at and not seizure.approved_by_id:
        hours = rule("seizure.emergency_report_hours", case.agency)
        day = timezone.localtime(seizure.started_at + dt.timedelta(hours=hours.number)).date()
        return Due("approval", str(DUE_KINDS["approval"]), day, False, hours.citation)
    if seizure.ends_on:
        period = rule("seizure.max_days", case.agency)
        return Due("seizure", str(DUE_KINDS["seizure"]), seizure.ends_on, False, period.citation)
    return None


def refresh(case: Case, *, today: dt.date) -> None:
    """Store the case's next deadline on it (the dashboards read these columns)."""
    found = next_due(case, today=today)
    case.next_due_on = found.date if found else None
    case.next_due_kind = found.kind if found else ""
    case.next_due_provisional = found.provisional if found else False


def open_suspension(case: Case) -> Suspension | None:
    return case.suspensions.filter(ended_on__isnull=True).first()
