"""Security keys (安全密钥, WebAuthn) in the service layer: added only with the second factor's approval, never
another's, never twice; an administrator's reset removes them."""

import base64
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.agencies.models import SecurityKey
from sanxiang.agencies.security_keys import registration_options
from sanxiang.agencies.services import otp_device_reset, security_key_register, security_key_remove
from sanxiang.ledger.models import Entry
from sanxiang.testing.otp import enrolled
from sanxiang.testing.webauthn import TEST_PARTY, SoftKey, registered


def _data(action) -> dict:
    return json.loads(bytes(Entry.objects.get(action=action).body))["data"]


def _register(user, *, approved_by, key=None, challenge=None, answer=None):
    options, made = registration_options(user=user, keys=[], rp=TEST_PARTY)
    return security_key_register(
        actor=user,
        approved_by=approved_by,
        credential=answer if answer is not None else (key or SoftKey()).create(options),
        challenge=made if challenge is None else challenge,
        relying_party=TEST_PARTY,
        name="",
    )


def test_a_key_is_added_with_the_approval_of_the_second_factor_and_ledgered_without_key_material(world):
    officer = world.people.officer
    device = enrolled(officer)
    key, stored = registered(officer)
    assert stored.user == officer and stored.confirmed and stored.transports == []
    data = _data("security_key.register")
    assert data["approved_by"] == device.persistent_id and data["security_key"] == stored.pk
    body = bytes(Entry.objects.get(action="security_key.register").body).decode()
    public_key = bytes(stored.public_key)
    assert stored.credential_id not in body
    assert base64.b64encode(public_key).decode() not in body and public_key.hex() not in body


def test_no_approving_device_or_someone_elses_is_refused(world):
    officer = world.people.officer
    enrolled(officer)
    with pytest.raises(PermissionDenied):
        _register(officer, approved_by=None)
    with pytest.raises(PermissionDenied):
        _register(officer, approved_by=enrolled(world.people.partner))
    assert not SecurityKey.objects.exists() and not Entry.objects.filter(action="security_key.register").exists()


def test_a_device_removed_meanwhile_approves_nothing(world):
    officer = world.people.officer
    device = enrolled(officer)
    otp_device_reset(actor=world.people.security, staff=officer, reason="手机遗失")
    with pytest.raises(PermissionDenied):
        _register(officer, approved_by=device)


def test_an_answer_to_no_or_another_challenge_or_from_another_origin_is_refused(world):
    officer = world.people.officer
    device = enrolled(officer)
    with pytest.raises(ValidationError, match="超时"):
        security_key_register(
            actor=officer,
            approved_by=device,
            credential="{}",
            challenge=None,
            relying_party=TEST_PARTY,
            name="x",
        )
    with pytest.raises(ValidationError, match="应答无效"):
        _register(officer, approved_by=device, challenge=b"another challenge")
    with pytest.raises(ValidationError, match="应答无效"):
        _register(officer, approved_by=device, key=SoftKey(origin="http://evil.example"))
    with pytest.raises(ValidationError, match="应答无效"):
        _register(officer, approved_by=device, answer="not json at all")
    assert not SecurityKey.objects.exists()


def test_the_same_key_is_not_added_twice(world):
    officer = world.people.officer
    key, _stored = registered(officer)
    with pytest.raises(ValidationError, match="已经添加过"):
        _register(officer, approved_by=enrolled(officer), key=key)
    assert SecurityKey.objects.count() == 1


def test_only_the_holder_removes_a_key_and_it_is_ledgered(world):
    officer, partner = world.people.officer, world.people.partner
    _key, stored = registered(officer)
    with pytest.raises(PermissionDenied):
        security_key_remove(actor=partner, approved_by=enrolled(partner), key=stored)
    security_key_remove(actor=officer, approved_by=enrolled(officer), key=stored)
    assert not SecurityKey.objects.exists()
    assert _data("security_key.remove")["security_key"] == stored.pk


def test_an_administrators_reset_removes_the_keys_too(world):
    officer = world.people.officer
    registered(officer)
    registered(officer)
    otp_device_reset(actor=world.people.security, staff=officer, reason="密钥遗失")
    assert not SecurityKey.objects.filter(user=officer).exists()
    assert _data("otp_device.reset")["security_keys_removed"] == 2
