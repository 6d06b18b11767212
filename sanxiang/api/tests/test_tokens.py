import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.api.models import ApiToken
from sanxiang.api.services import api_token_create
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled


@pytest.fixture
def api():
    return APIClient()


def test_a_device_obtains_a_token_and_uses_it(api, world):
    code = code_for(enrolled(world.people.officer))
    response = api.post(
        "/api/v1/auth/token",
        {"username": "officer", "password": PASSWORD, "code": code, "name": "执法记录仪"},
        format="json",
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    stored = ApiToken.objects.get(user=world.people.officer)
    assert raw.startswith("sx_") and stored.key_hash != raw and raw[:10] == stored.prefix
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/agencies/").status_code == 200
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None


def test_a_wrong_password_gives_no_token(api, world):
    response = api.post(
        "/api/v1/auth/token", {"username": "officer", "password": "wrong", "code": "123456"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_revoked_expired_and_unknown_tokens_are_refused(api, world):
    token, raw = api_token_create(actor=None, user=world.people.officer, name="phone")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.post("/api/v1/auth/token/revoke").status_code == 204
    response = api.get("/api/v1/agencies/")
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"

    _token, raw = api_token_create(actor=None, user=world.people.officer, name="old", lifetime=dt.timedelta(seconds=-1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/agencies/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer sx_forged")
    assert api.get("/api/v1/agencies/").status_code == 401


def test_a_disabled_account_cannot_use_its_token(api, world):
    _token, raw = api_token_create(actor=None, user=world.people.officer, name="phone")
    world.people.officer.is_active = False
    world.people.officer.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/agencies/").status_code == 401


def test_the_schema_and_docs_are_served_without_a_cdn(client, db):
    assert client.get(reverse("api:schema")).status_code == 200
    docs = client.get(reverse("api:docs")).content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_tokens_are_ledgered_expire_by_default_and_die_with_a_password_reset(api, world):
    from sanxiang.agencies.services import staff_set_password
    from sanxiang.ledger.models import Entry

    token, raw = api_token_create(actor=world.people.admin, user=world.people.officer, name="phone")
    assert token.expires_at is not None
    assert Entry.objects.filter(action="api_token.create", subject_id=str(token.pk)).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/agencies/").status_code == 200
    staff_set_password(actor=world.people.security, staff=world.people.officer, password="another-long-secret-77")
    response = api.get("/api/v1/agencies/")
    assert response.status_code == 401 and "密码已重设" in response.json()["error"]["message"]
