"""Reads that carry policy: who may see or change an agency, a staff account or a certificate.

One access gate per object type. A user who may not see an object gets 404 (we never reveal that it exists);
one who may see it but not change it gets 403.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import (
    Agency,
    AgencyLevel,
    Certificate,
    CertificateStatus,
    EnforcementDomain,
    OtpEnrolment,
    Role,
    SecurityKey,
    ServiceWindow,
    User,
    status_on,
)
from sanxiang.core.models import CalendarDay, CalendarYear

VIEW, MANAGE, ACCOUNTS, DECISION_DETAILS, SECOND_FACTOR = (
    "view",
    "manage",
    "accounts",
    "decision_details",
    "second_factor",
)


def can_view(user, agency: Agency) -> bool:
    """Active staff see their own agency and everything below it; platform operators see all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.agency_id is not None and agency.is_within(user.agency)


def can_manage(user, agency: Agency) -> bool:
    """System administrators manage their own agency and every agency below it (its details, service windows,
    certificates, templates) — not its staff accounts, which are the security administrators'."""
    return can_view(user, agency) and (user.is_superuser or user.has_role(Role.ADMIN))


def can_manage_accounts(user, agency: Agency) -> bool:
    """Security administrators open and change the staff accounts of their own agency and every agency below it:
    details, roles, password resets, activation and API tokens (三员分立: the system administrator may not)."""
    return can_view(user, agency) and (user.is_superuser or user.has_role(Role.SECURITY_ADMIN))


def can_manage_second_factor(user, agency: Agency) -> bool:
    """Who issues an account's enrolment of its authenticator, or resets a lost one: the one place that says so.

    The security administrators who manage the account (三员分立); kept apart from `can_manage` so that account
    security can move to its own role without touching the services or pages that ask."""
    return can_manage_accounts(user, agency)


def can_set_decision_details(user, agency: Agency) -> bool:
    """What the agency's decisions name (复议机关, court, payment channel) is entered by the agency's own head, or by
    a system administrator of the province."""
    if not can_view(user, agency):
        return False
    if user.is_superuser:
        return True
    own_head = user.agency_id == agency.pk and user.has_role(Role.HEAD)
    return own_head or (user.has_role(Role.ADMIN) and user.agency.level == AgencyLevel.PROVINCE)


def administers_installation(user) -> bool:
    """The reference data every agency of the installation shares — the national calendar, the law library's
    official texts — is one table for everybody, so only the province's system administrators keep it."""
    return user.is_authenticated and (
        user.is_superuser
        or (user.agency is not None and user.agency.level == AgencyLevel.PROVINCE and user.has_role(Role.ADMIN))
    )


def agency_require(*, user, agency: Agency, action: str) -> None:
    """403 unless `user` may `action` in `agency`: the rule each service checks again for the person acting, with
    the same words as the pages' gate (`actor=None`, the demo loader, and a name such as "cli", the command line, are
    not asked)."""
    if user is None or isinstance(user, str):
        return
    if action == MANAGE and not can_manage(user, agency):
        raise PermissionDenied(_("只有本机关或上级机关的系统管理员可以执行此操作。"))
    if action == ACCOUNTS and not can_manage_accounts(user, agency):
        raise PermissionDenied(_("账号、角色、密码和令牌由本机关或上级机关的安全管理员管理。"))
    if action == SECOND_FACTOR and not can_manage_second_factor(user, agency):
        raise PermissionDenied(_("只有本机关或上级机关的安全管理员可以签发或重置动态验证码。"))
    if action == DECISION_DETAILS and not can_set_decision_details(user, agency):
        raise PermissionDenied(_("复议机关、管辖法院和缴款途径由本机关负责人或者省级系统管理员登记。"))


def _gate(user, agency: Agency, action: str) -> None:
    """404 outside the user's scope, 403 for a change the user may not make."""
    if not can_view(user, agency):
        raise Http404
    agency_require(user=user, agency=agency, action=action)


def agency_get_for_user(*, user, agency_id: int, action: str = VIEW) -> Agency:
    """The agency `agency_id` if `user` may `action` it (404 when outside the user's scope, 403 when read-only)."""
    agency = Agency.objects.filter(pk=agency_id).select_related("parent").first()
    if agency is None:
        raise Http404
    _gate(user, agency, action)
    return agency


def service_window_get_for_user(*, user, window_id: int, action: str = VIEW) -> ServiceWindow:
    """The service window `window_id` if `user` may `action` its agency."""
    window = ServiceWindow.objects.filter(pk=window_id).select_related("agency").first()
    if window is None:
        raise Http404
    _gate(user, window.agency, action)
    return window


def staff_get_for_user(*, user, staff_id: int, action: str = VIEW) -> User:
    """The staff account `staff_id` if `user` may `action` it."""
    staff = User.objects.filter(pk=staff_id, agency__isnull=False).select_related("agency").first()
    if staff is None:
        raise Http404
    _gate(user, staff.agency, action)
    return staff


def otp_enrolment_open(*, staff: User) -> OtpEnrolment | None:
    """The account's enrolment still waiting to be used, if it has not expired."""
    enrolment = staff.otp_enrolments.filter(completed_at__isnull=True, cancelled_at__isnull=True).first()
    return enrolment if enrolment is not None and enrolment.is_open_at(timezone.now()) else None


def security_keys_of(*, user: User) -> list[SecurityKey]:
    """The account's security keys (安全密钥), oldest first: only ever shown to, and used by, their holder."""
    return list(SecurityKey.objects.filter(user=user))


def security_key_get_for_user(*, user: User, key_id: int) -> SecurityKey:
    """One of `user`'s own keys; anyone else's is 404 (an administrator removes keys by a reset, not one by one)."""
    key = SecurityKey.objects.filter(pk=key_id, user=user).first() if user.is_authenticated else None
    if key is None:
        raise Http404
    return key


def certificate_get_for_user(*, user, certificate_id: int, action: str = VIEW) -> Certificate:
    """The certificate `certificate_id` if `user` may `action` it."""
    certificate = Certificate.objects.filter(pk=certificate_id).select_related("agency", "holder").first()
    if certificate is None:
        raise Http404
    _gate(user, certificate.agency, action)
    return certificate


def calendar_year_get(*, user, year) -> CalendarYear:
    """A year of the national calendar: one table for everybody, so any member of staff may read it."""
    entry = CalendarYear.objects.filter(pk=year).first() if user.is_authenticated else None
    if entry is None:
        raise Http404
    return entry


def calendar_day_get(*, user, day) -> CalendarDay:
    """A day of the national calendar (holiday or adjusted working day), readable by any member of staff."""
    entry = CalendarDay.objects.filter(pk=day).first() if user.is_authenticated else None
    if entry is None:
        raise Http404
    return entry


def own_agency_or_404(user) -> Agency:
    """The user's own agency, for the pages about it (its benchmark, its catalogue): a platform account without one
    has no such page."""
    if user.agency is None:
        raise Http404
    return user.agency


def agencies_for_user(user) -> QuerySet[Agency]:
    """Agencies in the user's scope."""
    return Agency.objects.visible_to(user).select_related("parent")


def staff_for_user(user, *, agency: Agency | None = None, role: str | None = None) -> QuerySet[User]:
    """Staff accounts in the user's scope, optionally below one agency or with one role."""
    staff = User.objects.visible_to(user).select_related("agency").prefetch_related("role_assignments")
    if agency is not None:
        staff = staff.filter(agency__path__startswith=agency.path)
    if role:
        staff = staff.with_role(role)
    return staff.distinct()


def certificates_for_user(user, *, agency: Agency | None = None, status: str | None = None, today: dt.date):
    """Certificates in the user's scope, optionally below one agency or in one status (as of `today`)."""
    certificates = Certificate.objects.visible_to(user).select_related("agency", "holder")
    if agency is not None:
        certificates = certificates.filter(agency__path__startswith=agency.path)
    return _filter_status(certificates, status, today)


def _filter_status(certificates: QuerySet[Certificate], status: str | None, today: dt.date) -> QuerySet[Certificate]:
    if status == CertificateStatus.EXPIRED:
        return certificates.filter(status=CertificateStatus.VALID, expires_on__lt=today)
    if status == CertificateStatus.VALID:
        return certificates.filter(status=CertificateStatus.VALID, expires_on__gte=today)
    if status:
        return certificates.filter(status=status)
    return certificates


def certificates_expiring(*, user, today: dt.date, within_days: int) -> QuerySet[Certificate]:
    """Valid certificates in the user's scope whose validity ends within `within_days` days (or has just ended)."""
    return (
        Certificate.objects.visible_to(user)
        .filter(status=CertificateStatus.VALID, expires_on__lte=today + dt.timedelta(days=within_days))
        .filter(expires_on__gte=today - dt.timedelta(days=within_days))
        .select_related("agency", "holder")
        .order_by("expires_on", "number")
    )


# Public portal reads: no user, published facts only.


@dataclass(frozen=True)
class PublicCertificate:
    """What the public check shows about a certificate: published facts only, no reasons, no staff ids."""

    number: str
    holder_name: str
    agency_name: str
    agency_code: str
    domain: str
    issued_on: dt.date
    expires_on: dt.date
    stored_status: str

    @property
    def domain_label(self) -> str:
        return EnforcementDomain(self.domain).label

    def status_on(self, day: dt.date) -> str:
        return status_on(self.stored_status, self.expires_on, day)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.stored_status == CertificateStatus.VALID and self.issued_on <= day <= self.expires_on


@functools.cache
def _public_lookup_sql() -> str:
    # Built once from the models' own table and column names. The public check is the portal's busiest page and
    # compiling an ORM query costs more than running it, so this one read is plain SQL with one bound parameter.
    certificate, user, agency = Certificate._meta, User._meta, Agency._meta

    def column(meta, name: str) -> str:
        return f'"{meta.db_table}"."{meta.get_field(name).column}"'

    return (
        f"SELECT {column(certificate, 'number')}, {column(user, 'full_name')}, {column(agency, 'name')}, "
        f"{column(agency, 'code')}, {column(certificate, 'domain')}, {column(certificate, 'issued_on')}, "
        f"{column(certificate, 'expires_on')}, {column(certificate, 'status')} "
        f'FROM "{certificate.db_table}" '
        f'JOIN "{user.db_table}" ON {column(user, "id")} = {column(certificate, "holder")} '
        f'JOIN "{agency.db_table}" ON {column(agency, "id")} = {column(certificate, "agency")} '
        f"WHERE {column(certificate, 'number')} = %s"
    )


def _as_date(value) -> dt.date:
    # SQLite hands dates back as text, PostgreSQL as dates; both print as YYYY-MM-DD.
    return dt.date.fromisoformat(str(value)[:10])


def certificate_public_lookup(number: str) -> PublicCertificate:
    """A certificate by its number for the public check (404 when not registered)."""
    with connection.cursor() as cursor:
        cursor.execute(_public_lookup_sql(), [number.strip().upper()])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    number, holder, agency, code, domain, issued_on, expires_on, status = row
    return PublicCertificate(number, holder, agency, code, domain, _as_date(issued_on), _as_date(expires_on), status)


def agency_public(code: str) -> Agency:
    """An active agency by its code, for its public pages (404 for any other)."""
    agency = Agency.objects.filter(code=code, is_active=True).select_related("parent").first()
    if agency is None:
        raise Http404
    return agency


def officers_public(*, agency: Agency, today: dt.date) -> QuerySet[Certificate]:
    """The public officer list (执法人员名单): certificates valid today, held in `agency`."""
    return (
        Certificate.objects.filter(agency=agency)
        .valid_on(today)
        .select_related("holder")
        .order_by("holder__full_name", "number")
    )
