"""Token scopes (read, write, partner) and request rates (API, password logins)."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sanxiang.agencies.models import Certificate, CertificateStatus
from sanxiang.api.models import ApiToken, TokenScope
from sanxiang.api.services import api_token_create
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled, mark_verified


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def suspend(client, world):
    return client.post(
        f"/api/v1/certificates/{world.certificates.officer.pk}/suspend", {"reason": "调查"}, format="json"
    )


def status(world):
    return Certificate.objects.get(pk=world.certificates.officer.pk).status


@pytest.fixture
def rates(settings):
    """Small rates, so a test reaches them in a few requests."""

    def set_rates(**rates):
        framework = dict(settings.REST_FRAMEWORK)
        framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **rates}
        settings.REST_FRAMEWORK = framework

    return set_rates


def test_a_new_token_is_read_only_lives_thirty_days_and_names_its_scope_in_the_ledger(world):
    token, _raw = api_token_create(actor=world.people.admin, user=world.people.admin, name="phone")
    assert token.scope == TokenScope.READ
    assert dt.timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    entry = Entry.objects.get(action="api_token.create", subject_id=str(token.pk))
    assert b'"scope":"read"' in bytes(entry.body)


def test_the_token_endpoint_issues_the_scope_asked_for(world):
    device = enrolled(world.people.admin)
    response = APIClient().post(
        "/api/v1/auth/token",
        {"username": "admin", "password": PASSWORD, "scope": "write", "code": code_for(device)},
        format="json",
    )
    assert response.status_code == 201 and response.json()["scope"] == "write"
    assert ApiToken.objects.get(user=world.people.admin).scope == TokenScope.WRITE
    unknown = APIClient().post(
        "/api/v1/auth/token",
        {"username": "admin", "password": PASSWORD, "scope": "root", "code": code_for(device)},
        format="json",
    )
    assert unknown.status_code == 400 and "scope" in unknown.json()["error"]["fields"]


def test_a_read_token_reads_and_its_writes_are_refused_with_403(world):
    _token, raw = api_token_create(actor=world.people.admin, user=world.people.admin, name="r")
    client = bearer(raw)
    assert client.get("/api/v1/agencies/").status_code == 200
    response = suspend(client, world)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "token_scope" and "只读" in error["message"]
    assert status(world) == CertificateStatus.VALID
    assert not Entry.objects.filter(action="certificate.suspend").exists()


def test_a_write_token_writes_within_its_holders_roles(world):
    _token, raw = api_token_create(actor=world.people.admin, user=world.people.admin, name="w", scope="write")
    assert suspend(bearer(raw), world).status_code == 200 and status(world) == CertificateStatus.SUSPENDED
    _token, officer_raw = api_token_create(
        actor=world.people.officer, user=world.people.officer, name="w", scope="write"
    )
    refused = suspend(bearer(officer_raw), world)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_a_partner_token_reads_the_open_data_and_nothing_else(world):
    _token, raw = api_token_create(actor=world.people.admin, user=world.people.admin, name="信用平台", scope="partner")
    client = bearer(raw)
    for url in ["/api/v1/public/decisions", "/api/v1/public/compliance"]:
        assert client.get(url).status_code == 200, url
    export = client.get("/api/v1/publicity/export", {"kind": "penalty", "format": "json"})
    assert export.status_code == 200
    for url in ["/api/v1/agencies/", "/api/v1/certificates/", "/api/v1/publications/"]:
        response = client.get(url)
        assert response.status_code == 403 and response.json()["error"]["code"] == "token_scope", url
    assert suspend(client, world).status_code == 403 and status(world) == CertificateStatus.VALID
    # Revoking itself is open to every scope.
    assert client.post("/api/v1/auth/token/revoke").status_code == 204
    assert client.get("/api/v1/public/decisions").status_code == 401


def test_the_open_data_still_needs_no_token(world):
    assert APIClient().get("/api/v1/public/decisions").status_code == 200


def test_every_api_view_that_takes_a_token_checks_its_scope():
    from django.urls import get_resolver

    from sanxiang.api.authentication import BearerTokenAuthentication
    from sanxiang.api.permissions import TokenScopePermission

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            elif getattr(pattern.callback, "cls", None) is not None:
                yield pattern.callback.cls

    checked = 0
    for view in views(get_resolver().url_patterns):
        if any(base.__module__.startswith("drf_spectacular.") for base in view.__mro__):
            continue  # the OpenAPI schema and its docs: read-only, and every token (a partner's too) may read them
        if any(issubclass(cls, BearerTokenAuthentication) for cls in view.authentication_classes):
            assert any(issubclass(cls, TokenScopePermission) for cls in view.permission_classes), view
            checked += 1
    assert checked > 20


def test_tokens_issued_before_scopes_keep_writing():
    migration = importlib.import_module("sanxiang.api.migrations.0002_token_scope")
    added, altered = migration.Migration.operations[:2]
    assert added.field.default == "write" and not added.preserve_default
    assert altered.field.default == "read"


def test_anonymous_callers_are_slowed_with_429_and_retry_after_then_recover(world, rates):
    rates(anonymous="3/minute")
    start = timezone.now()
    client = APIClient()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert client.get("/api/v1/public/decisions").status_code == 200
        response = client.get("/api/v1/public/decisions")
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "throttled" and "请求过于频繁" in response.json()["error"]["message"]
        assert 1 <= int(response["Retry-After"]) <= 60
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert client.get("/api/v1/public/decisions").status_code == 200


def test_each_account_has_its_own_rate_whatever_it_signs_in_with(world, rates):
    rates(staff="2/minute")
    start = timezone.now()
    _token, raw = api_token_create(actor=world.people.officer, user=world.people.officer, name="phone")
    session = APIClient()
    session.force_login(world.people.officer)
    mark_verified(session, world.people.officer)
    with time_machine.travel(start, tick=False):
        assert bearer(raw).get("/api/v1/agencies/").status_code == 200
        assert session.get("/api/v1/agencies/").status_code == 200
        refused = bearer(raw).get("/api/v1/agencies/")
        assert refused.status_code == 429 and "Retry-After" in refused
        other = APIClient()
        other.force_login(world.people.head)
        mark_verified(other, world.people.head)
        assert other.get("/api/v1/agencies/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert bearer(raw).get("/api/v1/agencies/").status_code == 200


def test_password_logins_from_one_address_share_one_rate_on_the_workbench_and_the_api(client, world, rates):
    rates(login="3/minute")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("web:login"), {"username": "officer", "password": "wrong-password"})
        client.post(reverse("web:login"), {"username": "head", "password": "wrong-password"})
        device = enrolled(world.people.head)
        body = {"username": "head", "password": PASSWORD, "code": code_for(device)}
        api = APIClient().post("/api/v1/auth/token", body, format="json")
        assert api.status_code == 201
        refused = APIClient().post("/api/v1/auth/token", {**body, "code": code_for(device)}, format="json")
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "throttled"
        assert int(refused["Retry-After"]) >= 1
        page = client.post(reverse("web:login"), {"username": "officer", "password": PASSWORD})
        assert page.status_code == 429 and int(page["Retry-After"]) >= 1
        assert "登录的次数过多" in page.content.decode()
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("web:login")).status_code == 200  # the form itself is not counted
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        officer = enrolled(world.people.officer)
        response = client.post(reverse("web:login"), {"username": "officer", "password": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("web:second-factor")
        response = client.post(reverse("web:second-factor"), {"code": code_for(officer)})
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.people.officer.pk)


def test_rates_count_the_address_the_last_proxy_saw_not_what_the_client_wrote(world, rates, settings):
    rates(anonymous="2/minute")
    settings.PROXY_COUNT = 1
    client = APIClient()
    with time_machine.travel(timezone.now(), tick=False):
        for claimed in ("192.0.2.1", "192.0.2.2"):
            forwarded = f"{claimed}, 203.0.113.9"
            response = client.get("/api/v1/public/decisions", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
            assert response.status_code == 200
        refused = client.get(
            "/api/v1/public/decisions", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.3, 203.0.113.9"
        )
        assert refused.status_code == 429
        other = client.get("/api/v1/public/decisions", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
        assert other.status_code == 200
