"""Reads about officers' training (培训记录) that carry policy: who may see or record an officer's training, the
hours an officer has in a year against the yearly requirement (core rule `agencies.training_hours_per_year`), the
officers below it, and the figures per agency and year that the annual report and the head's desk show.

An officer reads their own records; the heads, system administrators and enforcement supervisors of the officer's
agency or one above it read everybody's; heads and system administrators record. Anyone else gets 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Certificate, CertificateStatus, ExamResult, Role, TrainingRecord, User
from sanxiang.agencies.selectors import can_view
from sanxiang.core.rules import RuleValue, rule, rules_for

RULE = "agencies.training_hours_per_year"
VIEW, RECORD = "view", "record"
READERS = frozenset({Role.HEAD, Role.ADMIN, Role.SUPERVISOR})
RECORDERS = frozenset({Role.HEAD, Role.ADMIN})
ZERO = Decimal("0")


def can_read_training(user, *, officer: User, agency: Agency) -> bool:
    """The officer themself, or a head, system administrator or supervisor of `agency` or an agency above it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk == officer.pk:
        return True
    return can_view(user, agency) and (user.is_superuser or bool(user.roles & READERS))


def can_record_training(user, agency: Agency) -> bool:
    """Heads and system administrators of `agency` or an agency above it."""
    return can_view(user, agency) and (user.is_superuser or bool(user.roles & RECORDERS))


def training_require(*, user, agency: Agency) -> None:
    """403 unless `user` may record training in `agency` (`None`, the demo loader and the command line, and a name
    such as "cli" are not asked)."""
    if user is None or isinstance(user, str):
        return
    if not can_record_training(user, agency):
        raise PermissionDenied(_("培训记录由本机关或上级机关的负责人、系统管理员登记。"))


def training_officer_get_for_user(*, user, staff_id: int, action: str = VIEW) -> User:
    """The officer `staff_id` whose training `user` may `action` (404 when the user may not read it, 403 when they
    may read but not record)."""
    officer = User.objects.filter(pk=staff_id, agency__isnull=False).select_related("agency").first()
    if officer is None or not can_read_training(user, officer=officer, agency=officer.agency):
        raise Http404
    if action == RECORD:
        training_require(user=user, agency=officer.agency)
    return officer


def training_record_get_for_user(*, user, record_id: int, action: str = VIEW) -> TrainingRecord:
    """The training record `record_id` if `user` may `action` it (judged in the agency that recorded it)."""
    record = TrainingRecord.objects.filter(pk=record_id).select_related("officer", "agency").first()
    if record is None or not can_read_training(user, officer=record.officer, agency=record.agency):
        raise Http404
    if action == RECORD:
        training_require(user=user, agency=record.agency)
    return record


def training_records_of(officer: User) -> QuerySet[TrainingRecord]:
    """The officer's records, newest first, withdrawn ones included (the page marks them)."""
    return TrainingRecord.objects.filter(officer=officer).select_related("agency", "replaces")


def training_requirement(agency: Agency | None) -> RuleValue:
    """The yearly hours an officer of `agency` must attend (the agency's own value, else its parents', else the
    national default)."""
    return rule(RULE, agency)


def training_hours(officer: User, year: int) -> Decimal:
    """Hours of the officer's standing records of courses that ended in `year`."""
    total = TrainingRecord.objects.filter(officer=officer).standing().in_year(year).aggregate(total=Sum("hours"))
    return total["total"] or ZERO


@dataclass(frozen=True)
class OfficerTraining:
    """One officer's year: hours attended against the hours required, and exams passed."""

    officer: User
    year: int
    hours: Decimal
    required: Decimal
    exams_passed: int = 0

    @property
    def short(self) -> bool:
        return self.hours < self.required

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.hours, ZERO)

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.hours * 100 / self.required))


def training_progress(officer: User, year: int) -> OfficerTraining:
    """The officer's hours in `year` against the requirement of the officer's agency."""
    required = training_requirement(officer.agency).value
    passed = (
        TrainingRecord.objects.filter(officer=officer, exam_result=ExamResult.PASSED).standing().in_year(year).count()
    )
    return OfficerTraining(officer, year, training_hours(officer, year), required, passed)


def _officers(agencies: Iterable[Agency] | QuerySet[Agency]) -> QuerySet[User]:
    # An officer whose every certificate is revoked has left enforcement (吊销, e.g. on leaving the post) and is no
    # longer held to the yearly hours; one without a certificate yet (a new officer in training) is.
    revoked_only = (
        Certificate.objects.values("holder")
        .annotate(live=Count("pk", filter=~Q(status=CertificateStatus.REVOKED)))
        .filter(live=0)
        .values("holder")
    )
    return (
        User.objects.filter(agency__in=agencies, is_active=True)
        .with_role(Role.OFFICER)
        .exclude(pk__in=revoked_only)
        .distinct()
    )


def training_of_officers(*, agencies, year: int) -> list[OfficerTraining]:
    """Every active officer of `agencies` (exactly those given, not the agencies below them) with their year."""
    agencies = list(agencies)
    return _officer_years(agencies, year, _requirements(agencies))


def _requirements(agencies: list[Agency]) -> dict[int, Decimal]:
    """Each agency's yearly hours, by its id, in one query however many agencies a list covers."""
    return {pk: value.value for pk, value in rules_for(RULE, agencies).items()}


def _officer_years(agencies: list[Agency], year: int, requirements: dict[int, Decimal]) -> list[OfficerTraining]:
    counted = Q(training_records__withdrawn_at__isnull=True, training_records__ended_on__year=year)
    officers = (
        User.objects.filter(pk__in=_officers(agencies).values("pk"))
        .select_related("agency")
        .annotate(
            year_hours=Coalesce(
                Sum("training_records__hours", filter=counted), Value(ZERO), output_field=DecimalField()
            ),
            year_passed=Count("training_records", filter=counted & Q(training_records__exam_result=ExamResult.PASSED)),
        )
        .order_by("agency__path", "full_name", "pk")
    )
    return [
        OfficerTraining(officer, year, officer.year_hours, requirements[officer.agency_id], officer.year_passed)
        for officer in officers
    ]


def officers_below_requirement(*, agencies, year: int) -> list[OfficerTraining]:
    """The active officers of `agencies` whose hours in `year` fall short of their agency's requirement."""
    return [row for row in training_of_officers(agencies=agencies, year=year) if row.short]


def training_summary(*, agencies, year: int) -> dict:
    """The year's training in `agencies` (exactly those given), for the annual report: officers, officers trained
    at all, total hours, officers below the requirement and exams passed — in total and per agency."""
    agencies = list(agencies)
    requirements = _requirements(agencies)
    rows = _officer_years(agencies, year, requirements)
    per_agency: dict[int, dict] = {}
    for agency in sorted(agencies, key=lambda agency: agency.path):
        per_agency[agency.pk] = {
            "agency": agency.code,
            "name": agency.name,
            "required_hours": requirements[agency.pk],
            "officers": 0,
            "trained": 0,
            "total_hours": ZERO,
            "below_requirement": 0,
            "exams_passed": 0,
        }
    for row in rows:
        figures = per_agency[row.officer.agency_id]
        figures["officers"] += 1
        figures["trained"] += row.hours > 0
        figures["total_hours"] += row.hours
        figures["below_requirement"] += row.short
        figures["exams_passed"] += row.exams_passed
    totals = {
        key: sum((figures[key] for figures in per_agency.values()), ZERO if key == "total_hours" else 0)
        for key in ("officers", "trained", "total_hours", "below_requirement", "exams_passed")
    }
    return {"year": year, **totals, "agencies": list(per_agency.values())}


def can_read_summary(user, agency: Agency) -> bool:
    return can_view(user, agency) and (user.is_superuser or bool(user.roles & READERS))


def training_summary_agencies_for_user(*, user, agency_id: int) -> QuerySet[Agency]:
    """`agency_id` and every agency below it, for a head, system administrator or supervisor who sees it (404 when
    the agency is outside the user's scope, 403 for anyone else in it)."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not can_view(user, agency):
        raise Http404
    if not can_read_summary(user, agency):
        raise PermissionDenied(_("培训统计由本机关或上级机关的负责人、系统管理员和执法监督人员查看。"))
    return Agency.objects.filter(path__startswith=agency.path)


@dataclass(frozen=True)
class TrainingDesk:
    year: int
    below: int


def training_desk(user, *, today: dt.date) -> TrainingDesk | None:
    """For the home page of heads and system administrators: how many officers in their agencies are still below
    this year's requirement (None for anyone else, or when nobody is)."""
    if not user.is_authenticated or user.agency_id is None or not user.roles & RECORDERS:
        return None
    below = len(officers_below_requirement(agencies=Agency.objects.visible_to(user), year=today.year))
    return TrainingDesk(today.year, below) if below else None


def training_shortfall(*, certificate: Certificate, today: dt.date) -> OfficerTraining | None:
    """Why a renewal on `today` must wait, if it must: the holder held the certificate through the whole previous
    year and attended fewer hours that year than the holder's agency requires. A certificate issued during that year
    is not judged on it."""
    year = today.year - 1
    if certificate.issued_on > dt.date(year, 1, 1):
        return None
    progress = training_progress(certificate.holder, year)
    return progress if progress.short else None
