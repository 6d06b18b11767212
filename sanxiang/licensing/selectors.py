"""The reads of licensing that carry policy: who sees which application, the window's list, what the public
progress page (办理进度查询) may show — the steps and the days, never the applicant's personal data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import can_manage, can_view
from sanxiang.core import calendar
from sanxiang.core.rules import RuleValue, rule
from sanxiang.ledger.models import Entry
from sanxiang.ledger.vocabulary import ACTION_LABELS
from sanxiang.licensing import clocks
from sanxiang.licensing.models import Application, Licence, LicenceType
from sanxiang.licensing.services.machine import APPLICATION
from sanxiang.powers.selectors import by_status

WINDOW_PAGE = 50
# the statuses of the window's filter that are not one status: 办理中, a decision due soon, a deadline passed
OPEN, DECIDING_SOON, OVERDUE = "open", "deciding_soon", "overdue"
EXPIRY_WARNING_DAYS = 60  # a licence this close to its end is highlighted: 第五十条 asks the renewal 30 days before
NUMBER = re.compile(r"XK\d{8}-[0-9A-Z]{6}")
# What the progress page shows of each step: the label of its move, never its facts.
PUBLIC_PREFIX = "licence_application."


def application_get_for_user(*, user, application_id) -> Application:
    """An application of an agency the user may see (404 otherwise)."""
    application = (
        Application.objects.select_related("agency", "licence_type", "licence", "decision_document")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not can_view(user, application.agency):
        raise Http404
    return application


def licence_get_for_user(*, user, licence_id) -> Licence:
    licence = Licence.objects.select_related("agency", "licence_type", "application").filter(pk=licence_id).first()
    if licence is None or not can_view(user, licence.agency):
        raise Http404
    return licence


def licence_type_get_for_user(*, user, type_id) -> LicenceType:
    licence_type = LicenceType.objects.select_related("agency", "power").filter(pk=type_id).first()
    if licence_type is None or not can_view(user, licence_type.agency):
        raise Http404
    return licence_type


def window_list(user, *, status: str = "", query: str = "", overdue: bool = False) -> QuerySet[Application]:
    """The window's list (许可申请台账): the applications of the agencies in the user's scope, newest first, those
    close to or past a deadline first-class filters; `query` matches the number, the applicant or the project.
    `status` is one status, OPEN (办理中) or DECIDING_SOON (a decision due within 3 working days, or overdue);
    `overdue` keeps those past the deadline running now (acceptance, decision or service; a pause stops none)."""
    rows = Application.objects.visible_to(user).select_related("licence_type", "agency")
    today = timezone.localdate()
    if status == OPEN:
        rows = rows.filter(status__in=Application.OPEN)
    elif status == DECIDING_SOON:
        rows = rows.filter(_deciding_by(today))
    elif status:
        rows = rows.filter(status=status)
    if query:
        rows = (
            rows.filter(number__startswith=query.upper())
            if query.upper().startswith("XK")
            else rows.filter(applicant_name__contains=query)
        )
    if overdue:
        rows = rows.filter(_overdue(today))
    return rows.order_by("-received_on", "-id")


def _overdue(today: dt.date) -> Q:
    """Past the deadline running now: acceptance, decision or service (a pause stops none)."""
    return (
        Q(status=Application.Status.RECEIVED, accept_due_on__lt=today)
        | Q(status=Application.Status.ACCEPTED, decision_due_on__lt=today)
        | Q(status__in=Application.DECIDED, served_on__isnull=True, service_due_on__lt=today)
    )


def applications_overdue(agencies, *, today: dt.date) -> QuerySet[Application]:
    """The applications of `agencies` past the deadline running now (the window list's 已超期, for a desk above
    them: the caller chose the agencies)."""
    return Application.objects.filter(_overdue(today), agency__in=agencies)


def _deciding_by(today: dt.date) -> Q:
    last = calendar.add_working_days(today, clocks.CLOSE_WORKDAYS).date
    return Q(status=Application.Status.ACCEPTED, decision_due_on__lte=last)


def may_submit(user) -> bool:
    """Whether the user registers applications at the service window (窗口受理): the roles the move names, in the
    user's own agency (the service checks the same, and the certificate)."""
    return user.agency_id is not None and APPLICATION.permits(user, user.agency, "submit")


def types_for_window(user) -> QuerySet[LicenceType]:
    """The types in force an application may be registered for: those of the user's agency and the agencies below
    it (the application is then the type's agency's, and the user still sees it)."""
    if not may_submit(user):
        return LicenceType.objects.none()
    return LicenceType.objects.visible_to(user).in_force().select_related("agency").order_by("agency__path", "code")


def sees_applicant(user, application: Application) -> bool:
    """The applicant's ID number, address, contact, phone and e-mail (Application.PERSONAL_FIELDS) are read by those
    who handle the application — its agency's officers and heads, or those above — not by its reviewers, publicity
    clerks or administrators, who have no need of them."""
    return can_view(user, application.agency) and APPLICATION.permits(user, application.agency, "submit")


def licence_of(application: Application) -> Licence | None:
    """The licence the application made, or the one it asks to change or renew."""
    if application.licence_id:
        return application.licence
    return Licence.objects.filter(application=application).first()


def applications_of(licence: Licence) -> QuerySet[Application]:
    """The applications that made the licence and those that changed or renewed it (or ask to), oldest first."""
    rows = Application.objects.filter(Q(pk=licence.application_id) | Q(licence=licence))
    return rows.select_related("licence_type").order_by("received_on", "id")


def licences_for_user(user, *, status: str = "", query: str = "") -> QuerySet[Licence]:
    """The licences of the agencies in the user's scope, newest first; `query` matches the number or the holder."""
    rows = Licence.objects.visible_to(user).select_related("agency", "licence_type")
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(number__startswith=query) | Q(holder_name__contains=query))
    return rows.order_by("-valid_from", "-id")


def expiring_before(today: dt.date) -> dt.date:
    """The last day of validity a licence is highlighted for (EXPIRY_WARNING_DAYS ahead)."""
    return today + dt.timedelta(days=EXPIRY_WARNING_DAYS)


def may_keep_types(user, agency: Agency) -> bool:
    """Whether `user` adds, corrects and withdraws the agency's licence types and their materials: its system
    administrators and those above, who keep its other catalogues (services.types checks the same with MANAGE)."""
    return can_manage(user, agency)


def types_for_user(user, *, agency: Agency | None = None, status: str = "", search: str = "") -> QuerySet[LicenceType]:
    """The licence types of the agencies in the user's scope; `status` keeps those in force or withdrawn."""
    types = LicenceType.objects.visible_to(user).select_related("agency")
    if agency is not None:
        types = types.filter(agency=agency)
    if search:
        types = types.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return by_status(types, status).order_by("agency__path", "code")


@dataclass(frozen=True)
class WorkToday:
    """今日任务 of licensing: how many applications wait for acceptance, and how many must be decided within 3
    working days (or are past their period), in the user's agencies."""

    to_accept: int
    to_decide: int


def work_today(user, *, today: dt.date) -> WorkToday | None:
    """For those who accept and examine applications (officers and heads); None when there is nothing to do."""
    if not may_submit(user):
        return None
    rows = Application.objects.visible_to(user)
    work = WorkToday(
        to_accept=rows.filter(status=Application.Status.RECEIVED).count(),
        to_decide=rows.filter(_deciding_by(today)).count(),
    )
    return work if work.to_accept or work.to_decide else None


@dataclass(frozen=True)
class Step:
    label: str
    on: dt.date


@dataclass(frozen=True)
class Progress:
    """办理进度: what anyone holding the number may see."""

    number: str
    agency: str
    agency_code: str
    licence_type: str
    type_code: str
    kind: str
    state: str
    status: str
    received_on: dt.date
    accept_due_on: dt.date
    accepted_on: dt.date | None
    decision_due_on: dt.date | None
    decided_on: dt.date | None
    served_on: dt.date | None
    deemed_accepted: bool
    deemed_granted: bool
    extended: bool
    paused_days: int
    working_days_used: int | None
    # working days from the last day counted (today, the decision, or the start of a pause) to the decision's
    # deadline; negative once the deadline has passed
    working_days_left: int | None
    limit_days: str
    unit_words: str  # the unit of the period and of the days used and left: 个工作日 or 日
    limit_citation: str
    steps: list[Step]


def progress(number: str) -> Progress:
    """The progress of the application with this number (404 for any other): its steps from the ledger, the days
    used since acceptance (not counting the periods excluded, nor the one under way) and left to the deadline, and
    nothing that names a person."""
    number = number.strip().upper()
    # anything not shaped like a number (intake._number) is unknown before the database sees it (a NUL byte would
    # make PostgreSQL refuse the query)
    application = (
        Application.objects.select_related("agency", "licence_type").filter(number=number).first()
        if NUMBER.fullmatch(number)
        else None
    )
    if application is None:
        raise Http404
    entries = Entry.objects.filter(
        subject_type="licensing.application", subject_id=str(application.pk), action__startswith=PUBLIC_PREFIX
    ).order_by("index")
    steps = [
        Step(str(ACTION_LABELS.get(action, action)), timezone.localdate(time))
        for action, time in entries.values_list("action", "time")
    ]
    kind = application.licence_type
    used = left = None
    if application.accepted_on:
        end = application.decided_on or application.closed_on or timezone.localdate()
        if application.status == Application.Status.PAUSED:  # the clock stopped when the pause began (第四十五条)
            end = application.pauses.filter(ended_on__isnull=True).values_list("started_on", flat=True).first() or end
        used, left = clocks.decision_days(
            accepted_on=application.accepted_on,
            end=end,
            due=application.decision_due_on,
            paused=application.paused_days,
            unit=kind.decision_unit,
        )
    return Progress(
        number=application.number,
        agency=application.agency.name,
        agency_code=application.agency.code,
        licence_type=kind.name,
        type_code=kind.code,
        kind=application.get_kind_display(),
        state=application.status,
        status=application.get_status_display(),
        received_on=application.received_on,
        accept_due_on=application.accept_due_on,
        accepted_on=application.accepted_on,
        decision_due_on=application.decision_due_on,
        decided_on=application.decided_on,
        served_on=application.served_on,
        deemed_accepted=application.deemed_accepted,
        deemed_granted=application.deemed_granted,
        extended=application.extended,
        paused_days=application.paused_days,
        working_days_used=used,
        working_days_left=left,
        limit_days=kind.period,
        unit_words=kind.unit_words,
        limit_citation=kind.decision_citation,
        steps=steps,
    )


def guide(agency=None) -> QuerySet[LicenceType]:
    """The 行政许可办事指南: the types in force, with their materials, of one agency or all."""
    types = LicenceType.objects.in_force().select_related("agency", "power").prefetch_related("materials")
    return types.filter(agency=agency) if agency is not None else types


GUIDE_TERMS = {"accept": clocks.ACCEPT, "extension": clocks.EXTENSION, "service": clocks.SERVICE}


def guide_terms(agency) -> dict[str, RuleValue]:
    """The periods of the 行政许可法 every 办事指南 of the agency states beside its types' own, as its rules set them
    with their citations: deciding on acceptance (第三十二条), the one extension (第四十二条), service (第四十四条)."""
    return {name: rule(key, agency) for name, key in GUIDE_TERMS.items()}
