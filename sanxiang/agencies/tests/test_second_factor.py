"""Enrolment and reset of staff authenticators: by a security administrator, with a reason, in the ledger."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.agencies.models import OtpEnrolment
from sanxiang.agencies.services import otp_device_register, otp_device_reset, otp_enrolment_issue
from sanxiang.api.models import ApiToken
from sanxiang.api.services import api_token_create
from sanxiang.ledger.models import Entry
from sanxiang.testing.otp import enrolled


def _entry(action, staff):
    return Entry.objects.get(action=action, subject_id=str(staff.pk))


def test_an_administrator_issues_an_enrolment_with_a_ledgered_reason(world):
    enrolment = otp_enrolment_issue(actor=world.people.security, staff=world.people.officer, reason="新开账号")
    assert enrolment.issued_by == world.people.security and enrolment.reason == "新开账号"
    entry = _entry("otp_enrolment.issue", world.people.officer)
    assert "新开账号" in bytes(entry.body).decode() and entry.actor.endswith(str(world.people.security.pk))
    again = otp_enrolment_issue(actor=world.people.province_security, staff=world.people.officer, reason="重发")
    enrolment.refresh_from_db()
    assert enrolment.cancelled_at is not None and again.cancelled_at is None  # one open enrolment at a time


@pytest.mark.parametrize("persona", ["officer", "head", "reviewer", "clerk", "admin", "auditor", "outsider"])
def test_only_administrators_issue_enrolments(world, persona):
    with pytest.raises(PermissionDenied):
        otp_enrolment_issue(actor=getattr(world.people, persona), staff=world.people.partner, reason="想绑定")
    assert not OtpEnrolment.objects.exists() and not Entry.objects.filter(action="otp_enrolment.issue").exists()


def test_an_enrolment_needs_a_reason_and_an_account_without_an_authenticator(world):
    with pytest.raises(ValidationError):
        otp_enrolment_issue(actor=world.people.security, staff=world.people.officer, reason="  ")
    enrolled(world.people.officer)
    with pytest.raises(ValidationError, match="重置"):
        otp_enrolment_issue(actor=world.people.security, staff=world.people.officer, reason="再绑一个")


def test_a_reset_removes_the_authenticator_revokes_tokens_and_issues_an_enrolment(world):
    enrolled(world.people.officer)
    token, _raw = api_token_create(actor=world.people.officer, user=world.people.officer, name="phone")
    enrolment = otp_device_reset(actor=world.people.security, staff=world.people.officer, reason="手机遗失")
    assert not TOTPDevice.objects.filter(user=world.people.officer).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert enrolment.cancelled_at is None and enrolment.reason == "手机遗失"
    entry = _entry("otp_device.reset", world.people.officer)
    assert "手机遗失" in bytes(entry.body).decode() and entry.actor.endswith(str(world.people.security.pk))
    assert Entry.objects.filter(action="api_token.revoke").exists()
    with pytest.raises(PermissionDenied):
        otp_device_reset(actor=world.people.outsider, staff=world.people.partner, reason="x")


def test_a_seed_agreed_outside_is_registered_and_never_ledgered(world):
    device = otp_device_register(actor=None, staff=world.people.officer, seed="SANXIANGDEMOSEED", name="令牌")
    assert device.confirmed
    body = bytes(_entry("otp_device.register", world.people.officer).body).decode()
    assert "SANXIANGDEMOSEED" not in body and device.key not in body
    with pytest.raises(ValidationError):
        otp_device_register(actor=None, staff=world.people.officer, seed="not base32!", name="x")


def test_the_staff_page_issues_and_resets(client, world):
    client.force_login(world.people.security)
    officer = world.people.officer
    page = client.get(reverse("agencies:staff-detail", args=[officer.pk])).content.decode()
    assert "未绑定" in page and "签发绑定" in page
    response = client.post(reverse("agencies:staff-otp-issue", args=[officer.pk]), {"reason": "新开账号"})
    assert response.status_code == 302 and OtpEnrolment.objects.filter(staff=officer, reason="新开账号").exists()
    assert "待本人登录扫码" in client.get(reverse("agencies:staff-detail", args=[officer.pk])).content.decode()
    enrolled(officer)
    assert "已绑定" in client.get(reverse("agencies:staff-detail", args=[officer.pk])).content.decode()
    client.post(reverse("agencies:staff-otp-reset", args=[officer.pk]), {"reason": "更换手机"})
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert _entry("otp_device.reset", officer)


@pytest.mark.parametrize(("persona", "status"), [("officer", 403), ("head", 403), ("outsider", 404)])
def test_the_staff_page_refuses_others(client, world, persona, status):
    client.force_login(getattr(world.people, persona))
    partner = world.people.partner
    assert "签发绑定" not in client.get(reverse("agencies:staff-detail", args=[partner.pk])).content.decode()
    for name in ("agencies:staff-otp-issue", "agencies:staff-otp-reset"):
        assert client.post(reverse(name, args=[partner.pk]), {"reason": "x"}).status_code == status
    assert not OtpEnrolment.objects.exists() and not ApiToken.objects.exists()


def test_the_command_line_issues_the_first_administrators_enrolment(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("otp", "issue", "provadmin", "--reason", "首次部署", stdout=out)
    assert "provadmin" in out.getvalue()
    enrolment = OtpEnrolment.objects.get(staff=world.people.province_admin)
    assert enrolment.issued_by is None and enrolment.reason == "首次部署"
    assert _entry("otp_enrolment.issue", world.people.province_admin)
