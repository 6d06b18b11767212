"""Reads of 行政执法监督 that carry policy: who supervises which agency, who answers a notice, the desk of flags
across the supervised agencies, the notices a person sees, and the statistics of supervision itself.

A supervisor (Role.SUPERVISOR) supervises the agencies strictly below their own — the rule the inspections app
already applies to ratings and complaints (feedback_selectors.supervised_agencies): an agency is not its own
supervisor. A notice is answered by the heads of the agency it is addressed to, and read by them and by the
supervisors above that agency; nobody else learns that it exists."""

from __future__ import annotations

import datetime as dt
import statistics as stats
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from sanxiang.agencies.models import Agency, Role
from sanxiang.inspections.feedback_selectors import supervised_agencies
from sanxiang.supervision.flags import KINDS, Flag, flags_of
from sanxiang.supervision.models import Notice

__all__ = ["supervised_agencies"]


def supervises(user, agency: Agency | None) -> bool:
    """Whether `user` is a supervisor of an agency strictly above `agency`."""
    if agency is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    if not user.has_role(Role.SUPERVISOR) or user.agency_id is None or user.agency_id == agency.pk:
        return False
    return agency.is_within(user.agency)


def may_supervise(user) -> bool:
    """The access check of the desk, the statistics and issuing: a supervisor with agencies below."""
    return supervised_agencies(user).exists()


def supervision_require(user) -> None:
    """404 for anyone but a supervisor above some agency (the desk's existence is not for the supervised)."""
    if not may_supervise(user):
        raise Http404


def answers_for(user, notice: Notice) -> bool:
    """Whether `user` signs for and answers `notice`: an active head of the agency it is addressed to."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.agency_id == notice.agency_id
        and user.has_role(Role.HEAD)
    )


def notice_get_for_user(*, user, notice_id) -> Notice:
    """The access gate of a notice (and of its history): the supervisors above its agency and the agency's heads;
    404 for anyone else."""
    notice = (
        Notice.objects.select_related("agency", "issuing_agency", "issued_by", "acknowledged_by", "responded_by")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or not (supervises(user, notice.agency) or answers_for(user, notice)):
        raise Http404
    return notice


def _heads_an_agency(user) -> bool:
    return user.is_authenticated and user.is_active and bool(user.agency_id) and user.has_role(Role.HEAD)


def _visible(user) -> Q:
    scope = Q(agency__in=supervised_agencies(user))
    if _heads_an_agency(user):
        scope |= Q(agency_id=user.agency_id)
    return scope


def reads_notices(user) -> bool:
    """Whether the notices page has anything for the user to read, for the menu: a supervisor's notices to the
    agencies below, or a head's addressed to their agency (整改通知书, 监督意见书)."""
    return _heads_an_agency(user) or supervised_agencies(user).exists()


def notices_for_user(
    user, *, today: dt.date, status: str = "", agency: Agency | None = None, kind: str = "", overdue: bool = False
) -> QuerySet[Notice]:
    """The notices the user reads — those to the agencies they supervise, and those to their own agency if they
    head it — newest first; filtered by status, agency (with those below), kind or overdue."""
    if not user.is_authenticated:
        return Notice.objects.none()
    rows = Notice.objects.filter(_visible(user))
    if status:
        rows = rows.filter(status=status)
    if agency is not None:
        rows = rows.filter(agency__path__startswith=agency.path)
    if kind:
        rows = rows.filter(kind=kind)
    if overdue:
        rows = rows.overdue(today)
    return rows.select_related("agency", "issuing_agency").order_by("-issued_at", "-id")


def notices_to_answer(user) -> QuerySet[Notice]:
    """The notices waiting for the user's agency to sign or report (for its heads' home page), earliest due first."""
    if not (user.is_authenticated and user.is_active and user.agency_id and user.has_role(Role.HEAD)):
        return Notice.objects.none()
    return Notice.objects.filter(agency_id=user.agency_id, status__in=Notice.AWAITING_RESPONSE).order_by("due_on", "id")


def notices_to_review(user) -> QuerySet[Notice]:
    """The 整改情况 waiting for the supervisor's decision, and accepted notices still to close."""
    return Notice.objects.filter(
        agency__in=supervised_agencies(user), status__in=(Notice.Status.RESPONDED, Notice.Status.ACCEPTED)
    ).select_related("agency")


# ---- the desk ----


@dataclass
class AgencyCard:
    agency: Agency
    counts: dict = field(default_factory=dict)  # kind → count
    notices_open: int = 0
    notices_overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def items(self) -> list[tuple[str, str, int]]:
        """(kind, its words, count) for each kind flagged, in the desk's order."""
        return [(key, kind.label, self.counts[key]) for key, kind in KINDS.items() if self.counts.get(key)]


def desk(
    user, *, today: dt.date, year: int, agency: Agency | None = None, kind: str = "", listing: bool = True
) -> tuple[list[AgencyCard], list[Flag]]:
    """The supervision desk: for each supervised agency (or `agency` and those below it), the number of each kind
    of flag, and the open and overdue notices; and, with `listing`, the flagged records themselves for `kind` (or
    every kind)."""
    agencies = supervised_agencies(user)
    if agency is not None:
        agencies = agencies.filter(path__startswith=agency.path)
    agencies = list(agencies.order_by("path"))
    cards = {row.pk: AgencyCard(row) for row in agencies}
    kinds = ([KINDS[kind]] if kind in KINDS else list(KINDS.values())) if listing else []
    rows: list[Flag] = []
    for flag_kind in KINDS.values():
        counted = (
            flag_kind.read(agencies, today, year, user)
            .order_by()
            .values(flag_kind.agency_field)
            .annotate(n=Count("pk"))
        )
        for row in counted:
            card = cards.get(row[flag_kind.agency_field])
            if card is not None and row["n"]:
                card.counts[flag_kind.key] = row["n"]
    for flag_kind in kinds:
        rows += flags_of(flag_kind, flag_kind.read(agencies, today, year, user))
    notices = Notice.objects.filter(agency__in=agencies).exclude(status=Notice.Status.CLOSED)
    for row in notices.values("agency").annotate(
        open=Count("pk"), overdue=Count("pk", filter=Q(status__in=Notice.AWAITING_RESPONSE, due_on__lt=today))
    ):
        card = cards[row["agency"]]
        card.notices_open, card.notices_overdue = row["open"], row["overdue"]
    return list(cards.values()), rows


def flags_for_agency(user, agency: Agency | None, *, today: dt.date, year: int) -> list[Flag]:
    """The desk's flags of one supervised agency itself (not those below it): what a new notice to it may name."""
    if agency is None or not supervises(user, agency):
        return []
    return [flag for flag in desk(user, today=today, year=year, agency=agency)[1] if flag.agency_id == agency.pk]


# ---- statistics of supervision ----


def _median(values: list[int]) -> float | None:
    return stats.median(values) if values else None


def statistics_for(user, *, year: int, today: dt.date) -> dict:
    """The year's notices to the supervised agencies: by kind and status, per agency, answered on time (the first
    整改情况 by the due date), answered late, unanswered past the due date, and the median calendar days from issue to
    the first 整改情况."""
    notices = list(
        Notice.objects.filter(agency__in=supervised_agencies(user), issued_at__year=year).select_related("agency")
    )

    def tally(rows: list[Notice]) -> dict:
        days = [(row.first_responded_on - row.issued_at.date()).days for row in rows if row.first_responded_on]
        return {
            "issued": len(rows),
            "on_time": sum(row.responded_in_time is True for row in rows),
            "late": sum(row.responded_in_time is False for row in rows),
            "overdue": sum(row.first_responded_on is None and row.is_overdue(today) for row in rows),
            "waiting": sum(row.first_responded_on is None and not row.is_overdue(today) for row in rows),
            "returned": sum(row.returns > 0 for row in rows),
            "closed": sum(row.status == Notice.Status.CLOSED for row in rows),
            "median_days": _median(days),
        }

    by_agency: dict[Agency, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_agency[notice.agency].append(notice)
    return {
        "year": year,
        "total": tally(notices),
        "kinds": [
            {"kind": kind, "label": label, **tally([row for row in notices if row.kind == kind])}
            for kind, label in Notice.Kind.choices
        ],
        "agencies": [
            {"agency": agency, **tally(rows)} for agency, rows in sorted(by_agency.items(), key=lambda i: i[0].path)
        ],
    }
