"""Writes for security keys (安全密钥, WebAuthn) as the second factor: the holder adds and removes their own, and a
key passes the second step of a login.

A key is added only from a session whose second factor passed (the factor already held approves the new one), and
only beside the account's authenticator app: the holder can remove a key but never the app, so whatever keys are
removed the account can still log in, and a lost phone stays the administrator's reset (`otp_device_reset`, which
removes the keys too). Entries name the account, the key's number and the approving device, never key material.
"""

from __future__ import annotations

import webauthn
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn.helpers import (
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException

from sanxiang.agencies.models import SecurityKey, User
from sanxiang.agencies.security_keys import RelyingParty
from sanxiang.core.second_factor import Outcome, code_failed, is_locked_out
from sanxiang.core.security import security_event
from sanxiang.ledger.services import ledger_append

# What a malformed answer (not JSON, wrong fields, bad CBOR) raises besides py_webauthn's own errors.
BAD_ANSWER = (WebAuthnException, ValueError, KeyError, TypeError, AttributeError)


def _approved(actor: User, approved_by: Device | None) -> User:
    """The actor's row, locked (a reset in progress finishes first), if `approved_by` is the device that verified
    the actor's session and still exists."""
    refused = PermissionDenied(_("添加或删除安全密钥，须本次登录已通过动态验证码或安全密钥验证。"))
    if approved_by is None or approved_by.user_id != actor.pk:
        raise refused
    staff = User.objects.select_for_update().get(pk=actor.pk)
    if not type(approved_by).objects.filter(pk=approved_by.pk, user=staff).exists():
        raise refused
    return staff


@transaction.atomic
def security_key_register(
    *,
    actor: User,
    approved_by: Device | None,
    credential: str,
    challenge: bytes | None,
    relying_party: RelyingParty,
    name: str,
) -> SecurityKey:
    """Add the key that answered `challenge` with `credential` (the browser's JSON) to the actor's own account."""
    staff = _approved(actor, approved_by)
    if not TOTPDevice.objects.filter(user=staff, confirmed=True).exists():
        raise ValidationError(_("账号须先绑定动态验证码，才能添加安全密钥。"))
    if challenge is None:
        raise ValidationError(_("添加安全密钥的操作已超时或已提交过，请重新添加。"))
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party.id,
            expected_origin=relying_party.origin,
        )
        transports = parse_registration_credential_json(credential).response.transports or []
    except BAD_ANSWER:
        raise ValidationError(_("安全密钥的应答无效，未添加。请重试，或换一个安全密钥。")) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecurityKey.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(_("这个安全密钥已经添加过。"))
    key = SecurityKey.objects.create(
        user=staff,
        name=name.strip()[:64] or _("安全密钥"),
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[transport.value for transport in transports],
    )
    ledger_append(
        actor=actor,
        agency=staff.agency,
        action="security_key.register",
        subject=staff,
        data={"security_key": key.pk, "approved_by": approved_by.persistent_id},
    )
    return key


@transaction.atomic
def security_key_remove(*, actor: User, approved_by: Device | None, key: SecurityKey) -> None:
    """Remove one of the actor's own keys (lost, or handed back). The authenticator app stays."""
    staff = _approved(actor, approved_by)
    if key.user_id != staff.pk:
        raise PermissionDenied(_("只能删除本人的安全密钥。"))
    SecurityKey.objects.filter(pk=key.pk).delete()
    ledger_append(
        actor=actor,
        agency=staff.agency,
        action="security_key.remove",
        subject=staff,
        data={"security_key": key.pk, "approved_by": approved_by.persistent_id},
    )


def security_key_check(
    *, request, user: User, credential: str, challenge: bytes | None, relying_party: RelyingParty | None
) -> tuple[Outcome, SecurityKey | None]:
    """The second step with a key: the answer must sign `challenge` with one of `user`'s keys and move its counter
    forward. A failure counts toward the lock-out like a wrong code (core.second_factor); so does an answer posted
    where no key was offered (no challenge, or an address without a relying party)."""
    if is_locked_out(request, user.get_username()):
        return Outcome.LOCKED, None
    with transaction.atomic():
        key = _answered(user, credential, challenge, relying_party)
        # In the transaction that moved the key's counter on (or found the answer wanting).
        security_event(
            kind="otp_verify",
            outcome="success" if key else "failure",
            request=request,
            user=user,
            detail={"method": "security_key"},
        )
    if key is not None:
        return Outcome.VERIFIED, key
    if code_failed(request, user):
        return Outcome.LOCKED, None
    return Outcome.WRONG, None


def _answered(user: User, credential: str, challenge: bytes | None, rp: RelyingParty | None) -> SecurityKey | None:
    if challenge is None or rp is None:
        return None
    try:
        answer = parse_authentication_credential_json(credential)
    except BAD_ANSWER:
        return None
    # Locked so that two answers racing cannot both pass on the same counter; another account's key is not found.
    key = SecurityKey.objects.select_for_update().filter(user=user, credential_id=answer.id).first()
    if key is None:
        return None
    try:
        # Refuses a counter that does not move forward (a cloned key), another origin or domain, a wrong signature.
        verified = webauthn.verify_authentication_response(
            credential=answer,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except BAD_ANSWER:
        return None
    key.sign_count = verified.new_sign_count
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    return key
