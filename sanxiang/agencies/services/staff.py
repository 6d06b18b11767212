"""Writes for staff accounts: opening, changing, roles, activation, passwords and API tokens.

Accounts are the security administrator's (三员分立): every write made by a person checks that they hold that role
in the account's agency or above it; `actor=None` is the command line and the demo loader.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import ADMINISTRATOR_ROLES, Agency, Role, RoleAssignment, User
from sanxiang.agencies.selectors import ACCOUNTS, agency_require
from sanxiang.api.models import ApiToken
from sanxiang.api.services import api_token_revoke
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
    """Open a staff account in `agency` with the given roles. An account opened by an administrator must choose
    its own password at its first login."""
    agency_require(user=actor, agency=agency, action=ACCOUNTS)
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
    staff.must_change_password = actor is not None
    staff.save()
    _assign_roles(staff, roles)
    ledger_append(actor=actor, agency=agency, action="staff.create", subject=staff, data={"roles": sorted(set(roles))})
    return staff


@transaction.atomic
def staff_update(*, actor: User | None, staff: User, **changes) -> User:
    """Change a staff member's descriptive fields (not roles, password or agency)."""
    agency_require(user=actor, agency=staff.agency, action=ACCOUNTS)
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
    """Replace the staff member's roles (at most one of the three administrator roles)."""
    agency_require(user=actor, agency=staff.agency, action=ACCOUNTS)
    staff = User.objects.select_for_update().get(pk=staff.pk)
    roles = set(roles)
    if (
        actor is not None
        and actor.pk == staff.pk
        and Role.SECURITY_ADMIN in staff.roles
        and Role.SECURITY_ADMIN not in roles
    ):
        raise ValidationError({"roles": _("不能撤销自己的安全管理员角色，以免机关的账号无人管理。")})
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
    administrators = [role for role in ADMINISTRATOR_ROLES if role in roles]
    if len(administrators) > 1:
        raise ValidationError(
            {
                "roles": _(
                    "系统管理员、安全管理员和审计管理员三员分立，同一账号只能担任其中一个角色（现选择了：%(roles)s）。"
                )
                % {"roles": "、".join(str(Role(role).label) for role in administrators)}
            }
        )
    present = set(staff.role_assignments.values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=staff, role=role) for role in sorted(roles - present))


@transaction.atomic
def staff_set_active(*, actor: User | None, staff: User, active: bool) -> User:
    """Disable or re-enable a staff account (accounts are never deleted: records point at them)."""
    agency_require(user=actor, agency=staff.agency, action=ACCOUNTS)
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
    """Reset a password (an administrator's act): API tokens issued before it stop working, and the holder must
    choose their own at their next login."""
    agency_require(user=actor, agency=staff.agency, action=ACCOUNTS)
    staff = User.objects.select_for_update().get(pk=staff.pk)
    try:
        validate_password(password, staff)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    staff.set_password(password)
    staff.password_changed_at = timezone.now()
    staff.must_change_password = actor is None or actor.pk != staff.pk
    staff.save(update_fields=["password", "password_changed_at", "must_change_password"])
    ledger_append(actor=actor, agency=staff.agency, action="staff.password", subject=staff)
    return staff


@transaction.atomic
def password_change(*, actor: User, old: str, new: str) -> User:
    """The holder changes their own password: the old one must be given, the new one pass the configured
    validators and differ from it. Tokens issued before stop working; the ledger records the change, never a
    password or a hash."""
    staff = User.objects.select_for_update().get(pk=actor.pk)
    if not staff.check_password(old):
        raise ValidationError({"old": _("原密码不正确。")})
    if new == old:
        raise ValidationError({"new": _("新密码不能与原密码相同。")})
    try:
        validate_password(new, staff)
    except ValidationError as error:
        raise ValidationError({"new": error.messages}) from None
    reason = staff.password_change_reason()
    staff.set_password(new)
    staff.password_changed_at = timezone.now()
    staff.must_change_password = False
    staff.save(update_fields=["password", "password_changed_at", "must_change_password"])
    ledger_append(actor=staff, agency=staff.agency, action="staff.password_change", subject=staff, data={"due": reason})
    return staff


def staff_token_revoke(*, actor: User, staff: User, token_id: int) -> ApiToken:
    """A security administrator revokes one of a staff member's API tokens (a device lost, a partner ended)."""
    agency_require(user=actor, agency=staff.agency, action=ACCOUNTS)
    token = ApiToken.objects.filter(pk=token_id, user=staff).first()
    if token is None:
        raise ValidationError(_("该人员没有这个令牌。"))
    return api_token_revoke(actor=actor, token=token)
