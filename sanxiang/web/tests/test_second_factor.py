"""Two-factor login (等保2.0): the password, then a TOTP code — on the workbench and for API tokens."""

import base64

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from sanxiang.agencies.services import otp_enrolment_issue
from sanxiang.api.models import ApiToken
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled

LOGIN = "/workbench/login/"
CODE = "/workbench/login/code/"
WORKBENCH_URLS = ["/workbench/", "/workbench/cases/", "/workbench/manage/staff/", "/workbench/audit/"]
API_URLS = ["/api/v1/agencies/", "/api/v1/cases/", "/api/v1/certificates/"]


@pytest.fixture
def anonymous():
    return Client()


def _password(client, username="officer", password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _failures(username="officer") -> int:
    return sum(AccessAttempt.objects.filter(username=username).values_list("failures_since_start", flat=True))


def test_login_needs_the_password_and_then_the_code(anonymous, world):
    device = enrolled(world.people.officer)
    response = _password(anonymous)
    assert response.status_code == 302 and response.url == CODE
    assert "_auth_user_id" not in anonymous.session  # the password alone signs nobody in
    assert anonymous.get("/workbench/").status_code == 302
    page = anonymous.get(CODE)
    assert page.status_code == 200 and "李明" in page.content.decode()
    response = anonymous.post(CODE, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert anonymous.session["_auth_user_id"] == str(world.people.officer.pk)
    assert anonymous.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert anonymous.get("/workbench/").status_code == 200


def test_the_next_page_survives_the_second_step(anonymous, world):
    device = enrolled(world.people.officer)
    anonymous.post(LOGIN, {"username": "officer", "password": PASSWORD, "next": "/workbench/cases/"})
    response = anonymous.post(CODE, {"code": code_for(device)})
    assert response.url == "/workbench/cases/"


def test_a_wrong_code_is_refused_and_counted(anonymous, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = enrolled(world.people.officer)
    _password(anonymous)
    response = anonymous.post(CODE, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert response.status_code == 200 and "动态验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in anonymous.session
    assert _failures() == 1
    assert anonymous.post(CODE, {"code": "12ab56"}).status_code == 200  # not even a number: refused by the form
    response = anonymous.post(CODE, {"code": code_for(device)})
    assert response.status_code == 302 and anonymous.session["_auth_user_id"] == str(world.people.officer.pk)
    assert _failures() == 0  # both factors passed: the lock-out forgets


def test_a_code_is_accepted_once(anonymous, world):
    device = enrolled(world.people.officer)
    code = code_for(device)
    _password(anonymous)
    assert anonymous.post(CODE, {"code": code}).status_code == 302
    other = Client()
    _password(other)
    assert other.post(CODE, {"code": code}).status_code == 200  # the same code again is refused
    assert "_auth_user_id" not in other.session


def test_wrong_codes_lock_the_account_and_the_lock_out_is_told(anonymous, world):
    device = enrolled(world.people.officer)
    _password(anonymous)
    for _ in range(4):
        assert anonymous.post(CODE, {"code": "999999"}).status_code == 200
    locked = anonymous.post(CODE, {"code": "999999"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert "_auth_user_id" not in anonymous.session
    # the right password and then the right code: still locked, and told so
    response = _password(anonymous)
    assert response.status_code == 429 and "锁定" in response.content.decode()
    assert anonymous.post(CODE, {"code": code_for(device)}).status_code == 302  # no password step to continue
    assert "_auth_user_id" not in anonymous.session


def test_a_session_without_the_second_factor_reaches_only_the_second_step(world):
    enrolled(world.people.head)
    half = Client()
    half.force_login(world.people.head)  # signed in by some other way than the two steps
    for url in WORKBENCH_URLS:
        response = half.get(url)
        assert response.status_code == 302 and response.url.startswith(CODE), url
    for url in API_URLS:
        response = half.get(url)
        assert response.status_code in (401, 403), url
        assert response.json()["error"]["code"] == "second_factor_required", url
    assert half.post("/api/v1/auth/token/revoke").status_code in (401, 403)
    # public pages treat it as the public
    assert half.get("/").status_code == 200
    assert half.get(reverse("web:login")).status_code == 200
    assert half.get(CODE).status_code == 200
    assert half.post(reverse("web:logout")).status_code == 302
    assert "_auth_user_id" not in half.session


def test_the_portal_stays_public_during_the_second_step(anonymous, world):
    enrolled(world.people.officer)
    _password(anonymous)
    assert anonymous.get("/").status_code == 200
    number = world.certificates.officer.number
    assert anonymous.get(f"/verify/officer/{number}/").status_code == 200


def test_an_account_without_an_authenticator_or_an_enrolment_cannot_log_in(anonymous, world):
    response = _password(anonymous)
    assert response.status_code == 200
    assert "尚未绑定动态验证码" in response.content.decode() and "系统管理员" in response.content.decode()
    assert anonymous.get(CODE).status_code == 302
    assert anonymous.get(reverse("web:enrol")).status_code == 302
    assert "_auth_user_id" not in anonymous.session


def test_an_issued_enrolment_binds_the_authenticator_then_signs_in(anonymous, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enrolment = otp_enrolment_issue(actor=world.people.security, staff=world.people.officer, reason="新开账号")
    response = _password(anonymous)
    assert response.status_code == 302 and response.url == reverse("web:enrol")
    page = anonymous.get(reverse("web:enrol")).content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR code inline; the URI only inside it
    enrolment.refresh_from_db()
    device = enrolment.device
    assert device is not None and not device.confirmed
    assert base64.b32encode(device.bin_key).decode().rstrip("=")[:4] in page  # the seed for typing in
    assert anonymous.get("/workbench/").status_code == 302
    assert anonymous.post(reverse("web:enrol"), {"code": "000000"}).status_code == 200
    code = f"{TOTP(device.bin_key).token():06d}"
    response = anonymous.post(reverse("web:enrol"), {"code": code})
    assert response.status_code == 302 and anonymous.get("/workbench/").status_code == 200
    device.refresh_from_db()
    enrolment.refresh_from_db()
    assert device.confirmed and enrolment.completed_at is not None
    entry = Entry.objects.get(action="otp_enrolment.complete")
    assert entry.actor.endswith(str(world.people.officer.pk))
    assert all(device.key not in bytes(body).decode() for body in Entry.objects.values_list("body", flat=True))
    # used once: the next login asks for the code, not for binding
    again = Client()
    assert _password(again).url == CODE


API = "/api/v1/auth/token"


@pytest.fixture
def api():
    return APIClient()


def test_the_token_endpoint_needs_the_code(api, world):
    device = enrolled(world.people.officer)
    response = api.post(API, {"username": "officer", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "code" in response.json()["error"]["fields"]
    response = api.post(API, {"username": "officer", "password": PASSWORD, "code": "000001"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "second_factor_failed"
    assert not ApiToken.objects.exists() and _failures() == 1
    response = api.post(
        API,
        {"username": "officer", "password": PASSWORD, "code": code_for(device), "name": "执法记录仪"},
        format="json",
    )
    assert response.status_code == 201
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert api.get("/api/v1/agencies/").status_code == 200


def test_an_account_without_an_authenticator_gets_no_token(api, world):
    response = api.post(API, {"username": "officer", "password": PASSWORD, "code": "123456"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "second_factor_not_enrolled"
    assert not ApiToken.objects.exists()


def test_a_locked_out_account_is_told_it_is_locked_by_the_api(api, world):
    device = enrolled(world.people.officer)
    for _ in range(4):
        response = api.post(API, {"username": "officer", "password": "wrong", "code": "123456"}, format="json")
        assert response.json()["error"]["code"] == "authentication_failed"
    response = api.post(API, {"username": "officer", "password": "wrong", "code": "123456"}, format="json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "locked_out"
    response = api.post(API, {"username": "officer", "password": PASSWORD, "code": code_for(device)}, format="json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "locked_out"
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_wrong_codes_to_the_api_count_toward_the_same_lock_out(api, anonymous, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = enrolled(world.people.officer)
    for _ in range(4):
        api.post(API, {"username": "officer", "password": PASSWORD, "code": "999999"}, format="json")
    response = api.post(API, {"username": "officer", "password": PASSWORD, "code": "999999"}, format="json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "locked_out"
    assert _password(anonymous).status_code == 429  # the workbench from the same address too
    response = api.post(API, {"username": "officer", "password": PASSWORD, "code": code_for(device)}, format="json")
    assert response.status_code == 429
