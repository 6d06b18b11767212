"""Writes for staff accounts: opening, changing, roles, activation and passwords."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Role, RoleAssignment, User
from sanxiang.core.text import refuse_control_characters
from sanxiang.ledger.services import ledger_append

STAFF_EDITABLE = (
    "full_name",
    "job_title",
    "email",
    "has_legal_qualification",
    "legal_qualification_number",
    "review_post",
    "reviewing_since",
)


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
    refuse_control_characters({"username": username, "full_name": full_name, **details})
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
    refuse_control_characters(changes)
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
