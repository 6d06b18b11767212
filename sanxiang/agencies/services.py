"""Writes for agencies, staff accounts and enforcement certificates.

Callers check access with the gates in selectors.py first; these functions check the business rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import (
    PARENT_LEVEL,
    Agency,
    AgencyLevel,
    Certificate,
    CertificateStatus,
    EnforcementDomain,
    Role,
    RoleAssignment,
    ServiceWindow,
    User,
)
from sanxiang.core.identifiers import normalize_uscc
from sanxiang.ledger.services import ledger_append

# Ledger actions written here, with the label staff see in histories and the audit page.
LEDGER_ACTIONS = {
    "agency.create": gettext_lazy("设立机关"),
    "agency.update": gettext_lazy("修改机关信息"),
    "service_window.create": gettext_lazy("添加服务窗口"),
    "service_window.update": gettext_lazy("修改服务窗口"),
    "service_window.delete": gettext_lazy("删除服务窗口"),
    "staff.create": gettext_lazy("开设账号"),
    "staff.update": gettext_lazy("修改人员信息"),
    "staff.roles": gettext_lazy("调整角色"),
    "staff.activate": gettext_lazy("启用账号"),
    "staff.deactivate": gettext_lazy("停用账号"),
    "staff.password": gettext_lazy("重设密码"),
    "certificate.issue": gettext_lazy("登记执法证"),
    "certificate.suspend": gettext_lazy("暂扣执法证"),
    "certificate.reinstate": gettext_lazy("恢复执法证"),
    "certificate.revoke": gettext_lazy("吊销执法证"),
    "certificate.renew": gettext_lazy("执法证延期"),
}

AGENCY_CODE = re.compile(r"\d{6}")
AGENCY_EDITABLE = ("name", "abbreviation", "address", "phone", "website", "is_active")
WINDOW_FIELDS = (
    "name", "location", "opening_hours", "posts", "sample_forms", "progress_query", "consultation", "complaint", "order",
)
STAFF_EDITABLE = ("full_name", "job_title", "email", "has_legal_qualification", "legal_qualification_number",
                  "review_post", "reviewing_since")


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    parent: Agency | None,
    code: str,
    name: str,
    abbreviation: str,
    level: str,
    uscc: str,
    address: str,
    phone: str = "",
    website: str = "",
) -> Agency:
    """Create a bureau under `parent` (a city under the province, a county branch under a city)."""
    code = code.strip()
    if not AGENCY_CODE.fullmatch(code):
        # The code becomes part of every scoping path, so nothing but the 6-digit division code is accepted.
        raise ValidationError({"code": _("机关代码应为 6 位行政区划代码，如 230100。")})
    if level == AgencyLevel.PROVINCE:
        if parent is not None:
            raise ValidationError({"parent": _("省级机关没有上级机关。")})
        path = f"/{code}/"
    else:
        if parent is None or parent.level != PARENT_LEVEL.get(level):
            raise ValidationError({"parent": _("上级机关层级不符：市级机关隶属省级，县级机关隶属市级。")})
        path = f"{parent.path}{code}/"
    agency = Agency(
        parent=parent, code=code, name=name.strip(), abbreviation=abbreviation.strip(), level=level,
        path=path, uscc=normalize_uscc(uscc), address=address.strip(), phone=phone.strip(), website=website.strip(),
    )
    agency.full_clean()
    agency.save()
    ledger_append(
        actor=actor, agency=agency, action="agency.create", subject=agency,
        data={"code": agency.code, "level": agency.level, "parent": parent.code if parent else None}, public=True,
    )
    return agency


@transaction.atomic
def agency_update(*, actor: User | None, agency: Agency, **changes) -> Agency:
    """Change an agency's descriptive fields; its code, level and place in the hierarchy are fixed."""
    unknown = set(changes) - set(AGENCY_EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    for field, value in changes.items():
        setattr(agency, field, value.strip() if isinstance(value, str) else value)
    agency.full_clean()
    agency.save()
    ledger_append(
        actor=actor, agency=agency, action="agency.update", subject=agency, data={"fields": sorted(changes)},
        public=True,
    )
    return agency


@transaction.atomic
def service_window_create(*, actor: User | None, agency: Agency, **fields) -> ServiceWindow:
    """Add a service window's information board (岗位信息公示牌) to an agency."""
    window = ServiceWindow(agency=agency, **_window_fields(fields))
    window.full_clean()
    window.save()
    ledger_append(actor=actor, agency=agency, action="service_window.create", subject=window, public=True)
    return window


@transaction.atomic
def service_window_update(*, actor: User | None, window: ServiceWindow, **fields) -> ServiceWindow:
    """Change a service window's board."""
    window = ServiceWindow.objects.select_for_update().get(pk=window.pk)
    for field, value in _window_fields(fields).items():
        setattr(window, field, value)
    window.full_clean()
    window.save()
    ledger_append(
        actor=actor, agency=window.agency, action="service_window.update", subject=window,
        data={"fields": sorted(fields)}, public=True,
    )
    return window


@transaction.atomic
def service_window_delete(*, actor: User | None, window: ServiceWindow) -> None:
    """Take a service window's board down (its last state stays in the ledger as a digest)."""
    window = ServiceWindow.objects.select_for_update(of=("self",)).select_related("agency").get(pk=window.pk)
    ledger_append(actor=actor, agency=window.agency, action="service_window.delete", subject=window, public=True)
    window.delete()


def _window_fields(fields: dict) -> dict:
    unknown = set(fields) - set(WINDOW_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    agency: Agency,
    username: str,
    full_name: str,
    password: str,
    roles: Iterable[str] = (),
    **details,
) -> User:
    """Open a staff account in `agency` with the given roles."""
    unknown = set(details) - set(STAFF_EDITABLE)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    staff = User(agency=agency, username=username.strip(), full_name=full_name.strip(), **details)
    staff.full_clean(exclude=["password"])
    try:
        validate_password(password, staff)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    staff.set_password(password)
    staff.save()
    _assign_roles(staff, roles)
    ledger_append(actor=actor, agency=agency, action="staff.create", subject=staff, data={"roles": sorted(set(roles))})
    return staff


@transaction.atomic
def staff_update(*, actor: User | None, staff: User, **changes) -> User:
    """Change a staff member's descriptive fields (not roles, password or agency)."""
    unknown = set(changes) - set(STAFF_EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    staff = User.objects.select_for_update().get(pk=staff.pk)
    for field, value in changes.items():
        setattr(staff, field, value.strip() if isinstance(value, str) else value)
    staff.full_clean(exclude=["password"])
    staff.save()
    ledger_append(
        actor=actor, agency=staff.agency, action="staff.update", subject=staff, data={"fields": sorted(changes)}
    )
    return staff


@transaction.atomic
def staff_set_roles(*, actor: User | None, staff: User, roles: Iterable[str]) -> User:
    """Replace the staff member's roles."""
    staff = User.objects.select_for_update().get(pk=staff.pk)
    roles = set(roles)
    if actor is not None and actor.pk == staff.pk and Role.ADMIN in staff.roles and Role.ADMIN not in roles:
        raise ValidationError({"roles": _("不能撤销自己的系统管理员角色，以免机关无人管理。")})
    staff.role_assignments.exclude(role__in=roles).delete()
    _assign_roles(staff, roles)
    staff.__dict__.pop("roles", None)
    ledger_append(actor=actor, agency=staff.agency, action="staff.roles", subject=staff, data={"roles": sorted(roles)})
    return staff


def _assign_roles(staff: User, roles: Iterable[str]) -> None:
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("未知角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))}})
    present = set(staff.role_assignments.values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=staff, role=role) for role in sorted(roles - present))


@transaction.atomic
def staff_set_active(*, actor: User | None, staff: User, active: bool) -> User:
    """Disable or re-enable a staff account (accounts are never deleted: records point at them)."""
    if actor is not None and actor.pk == staff.pk and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    staff = User.objects.select_for_update().get(pk=staff.pk)
    staff.is_active = active
    staff.save(update_fields=["is_active"])
    action = "staff.activate" if active else "staff.deactivate"
    ledger_append(actor=actor, agency=staff.agency, action=action, subject=staff)
    return staff


@transaction.atomic
def staff_set_password(*, actor: User | None, staff: User, password: str) -> User:
    """Set a new password; API tokens issued before it stop working."""
    staff = User.objects.select_for_update().get(pk=staff.pk)
    try:
        validate_password(password, staff)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    staff.set_password(password)
    staff.password_changed_at = timezone.now()
    staff.save(update_fields=["password", "password_changed_at"])
    ledger_append(actor=actor, agency=staff.agency, action="staff.password", subject=staff)
    return staff


@transaction.atomic
def certificate_issue(
    *,
    actor: User | None,
    holder: User,
    number: str,
    domain: str,
    issued_on: dt.date,
    expires_on: dt.date,
) -> Certificate:
    """Register an enforcement certificate (执法证) for an officer of an agency."""
    number = number.strip().upper()
    if holder.agency_id is None or not holder.has_role(Role.OFFICER):
        raise ValidationError({"holder": _("执法证只能发给具有执法人员角色的本系统工作人员。")})
    if domain not in EnforcementDomain.values:
        raise ValidationError({"domain": _("未知执法领域。")})
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": _("有效期截止日期必须晚于发证日期。")})
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError({"number": _("证件编号 %(number)s 已被登记。") % {"number": number}}, code="duplicate")
    if Certificate.objects.filter(holder=holder, domain=domain).exclude(status=CertificateStatus.REVOKED).exists():
        raise ValidationError(
            {"holder": _("该人员在此执法领域已有未吊销的执法证，请办理换证（延期）而不是重复发证。")}, code="duplicate"
        )
    certificate = Certificate(
        number=number, holder=holder, agency=holder.agency, domain=domain, issued_on=issued_on, expires_on=expires_on
    )
    certificate.full_clean()
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # A concurrent request registered the same number or holder between our check and the insert.
        raise ValidationError({"number": _("证件编号或持证人已被同时登记，请刷新后重试。")}, code="duplicate") from None
    _ledger_certificate(actor, certificate, "issue")
    return certificate


def _ledger_certificate(actor, certificate: Certificate, action: str) -> None:
    # Certificate facts are public (the officer list and the check page), so their entries are public too.
    ledger_append(
        actor=actor, agency=certificate.agency, action=f"certificate.{action}", subject=certificate,
        data={
            "number": certificate.number, "holder": f"staff:{certificate.holder_id}", "domain": certificate.domain,
            "status": certificate.status, "expires_on": certificate.expires_on,
        },
        public=True,
    )


# action: (statuses it may start from, status it leads to)
CERTIFICATE_MOVES = {
    "suspend": ({CertificateStatus.VALID}, CertificateStatus.SUSPENDED),
    "reinstate": ({CertificateStatus.SUSPENDED}, CertificateStatus.VALID),
    "revoke": ({CertificateStatus.VALID, CertificateStatus.SUSPENDED}, CertificateStatus.REVOKED),
    "renew": ({CertificateStatus.VALID}, CertificateStatus.VALID),
}


@transaction.atomic
def _certificate_move(
    *, actor: User | None, certificate: Certificate, action: str, reason: str, expires_on: dt.date | None = None
) -> Certificate:
    """Lock the certificate, check the move against CERTIFICATE_MOVES, apply it and ledger it."""
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related("agency").get(pk=certificate.pk)
    allowed_from, target = CERTIFICATE_MOVES[action]
    if certificate.status not in allowed_from:
        raise ValidationError(
            _("执法证当前状态为“%(status)s”，不能%(action)s。")
            % {"status": certificate.get_status_display(), "action": _ACTION_LABELS[action]},
            code="invalid_transition",
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请填写原因。")})
    if expires_on is not None:
        if expires_on <= certificate.expires_on:
            raise ValidationError(
                {"expires_on": _("新的有效期截止日期必须晚于原截止日期 %(date)s。") % {"date": certificate.expires_on}}
            )
        certificate.expires_on = expires_on
    certificate.status = target
    certificate.status_reason = reason.strip()
    certificate.status_changed_at = timezone.now()
    certificate.save()
    _ledger_certificate(actor, certificate, action)
    return certificate


_ACTION_LABELS = {
    "suspend": gettext_lazy("暂扣"),
    "reinstate": gettext_lazy("恢复"),
    "revoke": gettext_lazy("吊销"),
    "renew": gettext_lazy("延期换证"),
}


def certificate_suspend(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """暂扣: the holder may not enforce until the certificate is reinstated."""
    return _certificate_move(actor=actor, certificate=certificate, action="suspend", reason=reason)


def certificate_reinstate(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """End a suspension."""
    return _certificate_move(actor=actor, certificate=certificate, action="reinstate", reason=reason)


def certificate_revoke(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """吊销: final; the public check page shows the revocation prominently."""
    return _certificate_move(actor=actor, certificate=certificate, action="revoke", reason=reason)


def certificate_renew(
    *, actor: User | None, certificate: Certificate, expires_on: dt.date, reason: str = ""
) -> Certificate:
    """Extend a valid (possibly lapsed) certificate to a later expiry date, keeping its number."""
    return _certificate_move(
        actor=actor, certificate=certificate, action="renew", reason=reason or str(_("到期换证")), expires_on=expires_on
    )


# The certificate actions an administrator can take, for the API and the workbench alike.
CERTIFICATE_ACTIONS = {
    "suspend": certificate_suspend,
    "reinstate": certificate_reinstate,
    "revoke": certificate_revoke,
    "renew": certificate_renew,
}
