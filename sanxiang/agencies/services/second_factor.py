"""Writes for the second factor of staff logins (TOTP, django-otp): enrolment issued by an administrator, the
account's own confirmation with a code, and the reset of a lost authenticator.

No seed ever reaches the ledger: entries name the account, the enrolment and the administrator's reason.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.agencies.models import OtpEnrolment, SecurityKey, User
from sanxiang.agencies.selectors import SECOND_FACTOR, agency_require
from sanxiang.api.models import ApiToken
from sanxiang.api.services import api_token_revoke
from sanxiang.ledger.services import ledger_append

# Long enough for an administrator's call to reach an officer in the field, short enough not to linger.
ENROLMENT_LIFETIME = dt.timedelta(days=7)


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因。")})
    return reason[:200]


def _issue(*, actor: User | None, staff: User, reason: str) -> OtpEnrolment:
    now = timezone.now()
    OtpEnrolment.objects.filter(staff=staff, completed_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    enrolment = OtpEnrolment.objects.create(
        staff=staff, issued_by=actor, reason=reason, issued_at=now, expires_at=now + ENROLMENT_LIFETIME
    )
    ledger_append(
        actor=actor,
        agency=staff.agency,
        action="otp_enrolment.issue",
        subject=staff,
        data={"enrolment": enrolment.pk, "reason": reason, "expires_at": enrolment.expires_at},
    )
    return enrolment


@transaction.atomic
def otp_enrolment_issue(*, actor: User | None, staff: User, reason: str) -> OtpEnrolment:
    """Let `staff` bind an authenticator at their next login (within ENROLMENT_LIFETIME); replaces an unused one.

    Refused while the account has a confirmed authenticator: replacing it is a reset (`otp_device_reset`)."""
    agency_require(user=actor, agency=staff.agency, action=SECOND_FACTOR)
    reason = _clean_reason(reason)
    staff = User.objects.select_for_update().get(pk=staff.pk)
    if TOTPDevice.objects.filter(user=staff, confirmed=True).exists():
        raise ValidationError(_("该账号已绑定动态验证码；如已遗失或更换手机，请重置。"))
    return _issue(actor=actor, staff=staff, reason=reason)


@transaction.atomic
def otp_device_reset(*, actor: User | None, staff: User, reason: str) -> OtpEnrolment:
    """Remove the account's authenticators (a lost or replaced phone) and its security keys, and issue a new
    enrolment.

    The API tokens the account holds are revoked too: they were approved by the authenticator now gone. The keys go
    because each was approved by it, and a reset is what follows a lost key as much as a lost phone."""
    agency_require(user=actor, agency=staff.agency, action=SECOND_FACTOR)
    reason = _clean_reason(reason)
    staff = User.objects.select_for_update().get(pk=staff.pk)
    removed, _detail = TOTPDevice.objects.filter(user=staff).delete()
    keys_removed, _detail = SecurityKey.objects.filter(user=staff).delete()
    tokens = ApiToken.objects.filter(user=staff, revoked_at__isnull=True)
    for token in tokens:
        api_token_revoke(actor=actor, token=token)
    ledger_append(
        actor=actor,
        agency=staff.agency,
        action="otp_device.reset",
        subject=staff,
        data={"reason": reason, "devices_removed": removed, "security_keys_removed": keys_removed},
    )
    return _issue(actor=actor, staff=staff, reason=reason)


@transaction.atomic
def otp_enrolment_begin(*, staff: User) -> TOTPDevice:
    """The unconfirmed authenticator of the account's open enrolment, its seed made on first use (shown as a QR
    code until a code from the app confirms it)."""
    enrolment = _open_enrolment(staff)
    if enrolment.device is None:
        enrolment.device = TOTPDevice.objects.create(user=staff, name=_("手机验证器"), confirmed=False)
        enrolment.save(update_fields=["device"])
    return enrolment.device


def otp_enrolment_complete(*, staff: User, code: str) -> TOTPDevice:
    """Confirm the open enrolment with a code from the app: the authenticator becomes the account's second factor."""
    with transaction.atomic():
        # Checked in its own transaction: a wrong code's throttling (django-otp) must stay counted.
        device = _open_enrolment(staff).device
        if device is None:
            raise ValidationError(_("请先扫描二维码，再输入验证器上的 6 位数字。"))
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = device.verify_is_allowed()[0] and device.verify_token(code.strip())
    if not verified:
        raise ValidationError({"code": _("动态验证码不正确，请输入验证器上当前显示的 6 位数字。")})
    with transaction.atomic():
        enrolment = _open_enrolment(staff)
        if enrolment.device_id != device.pk:
            raise ValidationError(_("绑定已被重新签发，请重新扫描二维码。"))
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        ledger_append(
            actor=staff,
            agency=staff.agency,
            action="otp_enrolment.complete",
            subject=staff,
            data={"enrolment": enrolment.pk, "device": device.pk},
        )
    return device


@transaction.atomic
def otp_device_register(*, actor: User | None, staff: User, seed: str, name: str) -> TOTPDevice:
    """Bind an authenticator whose seed (base32) was agreed outside the workbench — a hardware token's seed file,
    or the published seed of the demo accounts. Replaces the account's authenticators."""
    agency_require(user=actor, agency=staff.agency, action=SECOND_FACTOR)
    try:
        key = base64.b32decode(seed.strip().upper().replace(" ", ""))
    except (binascii.Error, ValueError):
        raise ValidationError({"seed": _("种子应为 base32 编码。")}) from None
    if len(key) < 10:
        raise ValidationError({"seed": _("种子至少 80 位（16 个 base32 字符）。")})
    staff = User.objects.select_for_update().get(pk=staff.pk)
    TOTPDevice.objects.filter(user=staff).delete()
    device = TOTPDevice.objects.create(user=staff, name=name[:64], key=key.hex(), confirmed=True)
    ledger_append(
        actor=actor, agency=staff.agency, action="otp_device.register", subject=staff, data={"device": device.pk}
    )
    return device


def _open_enrolment(staff: User) -> OtpEnrolment:
    enrolment = (
        OtpEnrolment.objects.select_for_update()
        .filter(staff=staff, completed_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )
    if enrolment is None or not enrolment.is_open_at(timezone.now()):
        raise ValidationError(_("没有待完成的动态验证码绑定，或已过期。请联系本机关系统管理员重新签发。"))
    return enrolment
