"""Security keys (安全密钥, WebAuthn) on the workbench: the holder's page, and the second step of a login with a key —
tried with a software key that replays, answers for another account, or turns its counter back."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from sanxiang.agencies.models import SecurityKey
from sanxiang.audit.models import AuditEvent
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import enrolled
from sanxiang.testing.webauthn import SoftKey, registered

LOGIN, CODE, KEY_LOGIN, PAGE = (
    "/workbench/login/",
    "/workbench/login/code/",
    "/workbench/login/key/",
    "/workbench/security-keys/",
)


@pytest.fixture
def anonymous():
    return Client()


def _failures(username="officer") -> int:
    return sum(AccessAttempt.objects.filter(username=username).values_list("failures_since_start", flat=True))


def _options(client) -> dict:
    """The password step, then the code page's key options (its challenge kept in the session)."""
    client.post(LOGIN, {"username": "officer", "password": PASSWORD})
    page = client.get(CODE)
    assert "使用安全密钥登录" in page.content.decode()
    return page.context["key_options"]


def test_a_key_is_added_on_the_holders_page_from_a_verified_session(client, world):
    officer = world.people.officer
    client.force_login(officer)
    page = client.get(PAGE)
    assert page.status_code == 200 and "尚未添加安全密钥" in page.content.decode()
    key = SoftKey()
    response = client.post(PAGE, {"name": "蓝色 USB 密钥", "credential": key.create(page.context["options"])})
    assert response.status_code == 302
    stored = SecurityKey.objects.get(user=officer)
    assert stored.name == "蓝色 USB 密钥"
    entry = Entry.objects.get(action="security_key.register", subject_id=str(officer.pk))
    assert AuditEvent.objects.filter(kind="admin_change", detail__ledger_index=entry.index).exists()
    assert "蓝色 USB 密钥" in client.get(PAGE).content.decode()


def test_a_session_without_the_second_factor_cannot_reach_the_page(world):
    half = Client()
    half.force_login(world.people.officer)  # Django's own login: the password only
    assert half.get(PAGE).status_code == 302
    assert half.post(PAGE, {"name": "x", "credential": "{}"}).status_code == 302
    assert not SecurityKey.objects.exists()


def test_a_registration_answer_is_good_once(client, world):
    client.force_login(world.people.officer)
    answer = SoftKey().create(client.get(PAGE).context["options"])
    assert client.post(PAGE, {"name": "甲", "credential": answer}).status_code == 302
    client.get(PAGE)  # a new challenge: the old answer did not sign it
    replay = client.post(PAGE, {"name": "乙", "credential": answer})
    assert replay.status_code == 200 and "应答无效" in replay.content.decode()
    garbage = client.post(PAGE, {"name": "丙", "credential": "{not json"})
    assert garbage.status_code == 200 and SecurityKey.objects.count() == 1


def test_a_key_signs_in_as_the_code_does(anonymous, world):
    officer = world.people.officer
    key, stored = registered(officer)
    response = anonymous.post(KEY_LOGIN, {"credential": key.get(_options(anonymous))})
    assert response.status_code == 302 and response.url == "/workbench/"
    assert anonymous.session["_auth_user_id"] == str(officer.pk)
    assert anonymous.session[DEVICE_ID_SESSION_KEY] == stored.persistent_id
    assert anonymous.get("/workbench/").status_code == 200
    stored.refresh_from_db()
    assert stored.sign_count == 1 and stored.last_used_at is not None
    event = AuditEvent.objects.get(kind="otp_verify", user_id=officer.pk)
    assert event.outcome == "success" and event.detail == {"method": "security_key"}


def test_the_code_page_offers_no_key_to_an_account_without_one(anonymous, world):
    enrolled(world.people.officer)
    anonymous.post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert "使用安全密钥登录" not in anonymous.get(CODE).content.decode()


def test_a_replayed_answer_is_refused_and_counted(anonymous, world):
    key, _stored = registered(world.people.officer)
    answer = key.get(_options(anonymous))
    assert anonymous.post(KEY_LOGIN, {"credential": answer}).status_code == 302
    anonymous.post("/workbench/logout/")
    _options(anonymous)  # a new login, a new challenge
    response = anonymous.post(KEY_LOGIN, {"credential": answer})
    assert response.status_code == 302 and response.url == CODE
    assert "_auth_user_id" not in anonymous.session and _failures() == 1
    assert anonymous.post(KEY_LOGIN, {"credential": answer}).url == CODE  # the challenge was taken: none left
    assert _failures() == 2


def test_another_accounts_key_is_refused(anonymous, world):
    registered(world.people.officer)
    partners_key, _stored = registered(world.people.partner)
    response = anonymous.post(KEY_LOGIN, {"credential": partners_key.get(_options(anonymous))})
    assert response.url == CODE and "_auth_user_id" not in anonymous.session and _failures() == 1


def test_a_counter_that_goes_back_is_refused(anonymous, world):
    key, stored = registered(world.people.officer)
    SecurityKey.objects.filter(pk=stored.pk).update(sign_count=7)
    response = anonymous.post(KEY_LOGIN, {"credential": key.get(_options(anonymous), sign_count=7)})
    assert response.url == CODE and "_auth_user_id" not in anonymous.session
    assert AuditEvent.objects.get(kind="otp_verify").outcome == "failure"


def test_an_answer_for_another_origin_is_refused(anonymous, world):
    key, _stored = registered(world.people.officer)
    key.origin = "http://evil.example"
    response = anonymous.post(KEY_LOGIN, {"credential": key.get(_options(anonymous))})
    assert response.url == CODE and "_auth_user_id" not in anonymous.session


def test_wrong_answers_lock_the_account_like_wrong_codes(anonymous, world):
    registered(world.people.officer)
    _options(anonymous)
    for _ in range(4):
        assert anonymous.post(KEY_LOGIN, {"credential": "{}"}).status_code == 302
    locked = anonymous.post(KEY_LOGIN, {"credential": "{}"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()


def test_a_removed_key_no_longer_works(anonymous, world):
    officer = world.people.officer
    key, stored = registered(officer)
    assert anonymous.post(KEY_LOGIN, {"credential": key.get(_options(anonymous))}).status_code == 302
    elsewhere = Client()
    waiting = _options(elsewhere)  # another login, offered the key before it goes
    response = anonymous.post(f"/workbench/security-keys/{stored.pk}/remove/")
    assert response.status_code == 302 and not SecurityKey.objects.exists()
    assert Entry.objects.filter(action="security_key.remove", subject_id=str(officer.pk)).exists()
    # the session it verified is verified no more: back to the second step
    assert anonymous.get("/workbench/").status_code == 302
    assert elsewhere.post(KEY_LOGIN, {"credential": key.get(waiting)}).url == CODE
    assert "_auth_user_id" not in elsewhere.session
    assert "使用安全密钥登录" not in elsewhere.get(CODE).content.decode()


def test_nobody_removes_anothers_key(client, world):
    _key, stored = registered(world.people.officer)
    client.force_login(world.people.partner)
    assert client.post(f"/workbench/security-keys/{stored.pk}/remove/").status_code == 404
    assert SecurityKey.objects.filter(pk=stored.pk).exists()


def test_the_page_says_the_rules_with_their_source(client, world):
    client.force_login(world.people.officer)
    text = client.get(PAGE).content.decode()
    assert "GB/T 22239-2019 8.1.4.1" in text and "动态验证码始终保留" in text


def test_a_challenge_is_spent_by_the_first_answer_even_a_wrong_one(anonymous, world):
    key, _stored = registered(world.people.officer)
    options = _options(anonymous)
    assert anonymous.post(KEY_LOGIN, {"credential": "{}"}).url == CODE
    assert anonymous.post(KEY_LOGIN, {"credential": key.get(options)}).url == CODE
    assert "_auth_user_id" not in anonymous.session and _failures() == 2


def test_a_workbench_reached_by_ip_address_offers_no_key(client, anonymous, world):
    registered(world.people.officer)
    anonymous.post(LOGIN, {"username": "officer", "password": PASSWORD}, HTTP_HOST="127.0.0.1")
    page = anonymous.get(CODE, HTTP_HOST="127.0.0.1")
    assert page.status_code == 200 and "使用安全密钥登录" not in page.content.decode()
    client.force_login(world.people.officer)
    assert "通过 IP 地址访问" in client.get(PAGE, HTTP_HOST="127.0.0.1").content.decode()
