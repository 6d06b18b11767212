"""Every kind of security event is recorded through the interface people use, with account, address and time."""

import datetime as dt
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sanxiang.audit.models import AuditEvent
from sanxiang.audit.services import audit_record
from sanxiang.core.security import security_event
from sanxiang.evidence.services import evidence_ingest
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import open_case
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled

ADDRESS = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) 移动执法"}


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def assert_from_the_client(event, started):
    assert event.remote_address == ADDRESS["REMOTE_ADDR"]
    assert event.user_agent == ADDRESS["HTTP_USER_AGENT"]
    assert started <= event.time <= timezone.now()


def test_failed_logins_are_kept_after_a_successful_one_resets_the_lock_out_counter(client, world):
    started = timezone.now()
    url = reverse("web:login")
    for _ in range(2):
        assert client.post(url, {"username": "officer", "password": "wrong"}, **ADDRESS).status_code == 200
    assert AccessAttempt.objects.filter(username="officer").exists()
    device = enrolled(world.people.officer)
    assert client.post(url, {"username": "officer", "password": PASSWORD}, **ADDRESS).status_code == 302
    assert client.post(reverse("web:second-factor"), {"code": code_for(device)}, **ADDRESS).status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()  # axes forgot them
    logins = events(kind="login")
    assert [(event.outcome, event.channel) for event in logins] == [
        ("failure", "web"),
        ("failure", "web"),
        ("success", "web"),
    ]
    officer = world.people.officer
    for event in logins:
        assert (event.user_id, event.username, event.agency_code) == (officer.pk, "officer", world.harbin.code)
        assert_from_the_client(event, started)
    assert "wrong" not in str(logins[0].detail) and PASSWORD not in str(logins[2].detail)


def test_a_failed_login_with_an_unknown_name_keeps_the_name_typed(client, world):
    client.post(reverse("web:login"), {"username": "root' --", "password": "x"}, **ADDRESS)
    (event,) = events(kind="login")
    assert (event.outcome, event.user_id, event.username, event.agency_code) == ("failure", None, "root' --", "")


def test_a_failed_api_login_from_a_signed_in_browser_is_not_put_on_the_sessions_account(client, world):
    client.force_login(world.people.admin)
    body = {"username": "ghost", "password": "x", "code": "000000"}
    client.post("/api/v1/auth/token", body, content_type="application/json")
    (event,) = events(kind="login", outcome="failure")
    assert (event.user_id, event.username, event.channel) == (None, "ghost", "api")


def test_a_lock_out_is_recorded(client, world):
    url = reverse("web:login")
    for _ in range(5):
        client.post(url, {"username": "officer", "password": "wrong"}, **ADDRESS)
    (event,) = events(kind="lockout")
    assert (event.outcome, event.user_id, event.username) == ("failure", world.people.officer.pk, "officer")
    assert event.remote_address == ADDRESS["REMOTE_ADDR"]
    assert len(events(kind="login", outcome="failure")) == 5


def test_a_logout_is_recorded(client, world):
    client.force_login(world.people.officer)
    client.post(reverse("web:logout"), **ADDRESS)
    (event,) = events(kind="logout")
    assert (event.user_id, event.remote_address) == (world.people.officer.pk, ADDRESS["REMOTE_ADDR"])


def test_the_address_is_the_clients_behind_the_configured_proxies(client, world, settings):
    settings.PROXY_COUNT = 1
    client.post(
        reverse("web:login"),
        {"username": "officer", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9",  # what the client claimed, then what the proxy saw
    )
    assert events(kind="login")[0].remote_address == "203.0.113.9"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"  # the lock-out counts the same address


def test_api_password_logins_tokens_and_their_daily_first_use_are_recorded(world):
    started = timezone.now()
    api = APIClient(**ADDRESS)
    device = enrolled(world.people.officer)
    wrong = {"username": "officer", "password": "nope", "code": "000000"}
    assert api.post("/api/v1/auth/token", wrong, format="json").status_code == 400
    body = {"username": "officer", "password": PASSWORD, "code": code_for(device)}
    response = api.post("/api/v1/auth/token", body, format="json")
    assert response.status_code == 201
    officer = world.people.officer
    logins = events(kind="login")
    assert [(event.outcome, event.channel, event.user_id) for event in logins] == [
        ("failure", "api", officer.pk),
        ("success", "api", officer.pk),
    ]
    (created,) = events(kind="token_create")
    assert created.object_type == "api.apitoken" and created.user_id == officer.pk
    assert response.json()["token"] not in str(created.detail) and "token" not in created.detail
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    for _ in range(3):
        assert api.get("/api/v1/agencies/").status_code == 200
    (use,) = events(kind="token_use")
    assert (use.user_id, use.object_id, use.channel) == (officer.pk, created.object_id, "api")
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert api.get("/api/v1/agencies/").status_code == 200
        assert api.get("/api/v1/agencies/").status_code == 200
    assert len(events(kind="token_use")) == 2
    assert api.post("/api/v1/auth/token/revoke").status_code == 204
    (revoked,) = events(kind="token_revoke")
    for event in (*logins, created, use, revoked):
        assert_from_the_client(event, started)


def test_repeated_api_password_failures_lock_out_and_are_recorded(world):
    api = APIClient(**ADDRESS)
    for _ in range(5):
        api.post("/api/v1/auth/token", {"username": "officer", "password": "nope", "code": "000000"}, format="json")
    (event,) = events(kind="lockout")
    assert (event.channel, event.username) == ("api", "officer")


def test_a_document_download_is_recorded(client, world):
    from sanxiang.documents.services import document_issue
    from sanxiang.testing.documents import filled

    document = document_issue(
        actor=world.people.head,
        agency=world.harbin,
        doc_type_code="penalty_decision",
        subject=world.harbin,
        issued_on=dt.date(2026, 10, 12),
        context=filled("penalty_decision"),
    )
    started = timezone.now()
    client.force_login(world.people.officer)
    assert client.get(reverse("documents:docx", args=[document.pk]), **ADDRESS).status_code == 200
    (event,) = events(kind="document_download")
    assert (event.user_id, event.agency_code, event.object_type, event.object_id) == (
        world.people.officer.pk,
        world.harbin.code,
        "documents.document",
        str(document.pk),
    )
    assert event.detail["format"] == "docx" and event.detail["sha256"] == document.docx_sha256
    assert_from_the_client(event, started)


def test_refused_downloads_are_not_recorded_as_downloads(client, world):
    from sanxiang.documents.services import document_issue
    from sanxiang.testing.documents import filled

    document = document_issue(
        actor=world.people.head,
        agency=world.harbin,
        doc_type_code="penalty_decision",
        subject=world.harbin,
        issued_on=dt.date(2026, 10, 12),
        context=filled("penalty_decision"),
    )
    client.force_login(world.people.outsider)
    assert client.get(reverse("documents:docx", args=[document.pk])).status_code == 404
    assert not events(kind="document_download")


def test_evidence_views_and_downloads_are_recorded_besides_the_ledgers_custody_entries(client, world):
    item = evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(b"video bytes"),
        original_name="现场录像.mp4",
        recorded_by=world.people.officer,
        case=open_case(world),
        act="inspection",
        kind="video",
        description="现场检查全过程录像",
    )
    started = timezone.now()
    client.force_login(world.people.head)
    b"".join(client.get(reverse("evidence:view", args=[item.pk]), **ADDRESS).streaming_content)
    b"".join(client.get(reverse("evidence:download", args=[item.pk]), **ADDRESS).streaming_content)
    assert Entry.objects.filter(action__in=["evidence.view", "evidence.download"]).count() == 2
    seen = events(object_type="evidence.evidenceitem")
    assert [event.kind for event in seen] == ["evidence_view", "evidence_download"]
    for event in seen:
        assert (event.user_id, event.agency_code, event.object_id) == (world.people.head.pk, "230100", str(item.pk))
        assert event.detail["sha256"] == item.sha256
        assert_from_the_client(event, started)


def test_an_administrative_change_is_recorded_with_its_ledger_entry(client, world):
    started = timezone.now()
    client.force_login(world.people.security)
    response = client.post(
        reverse("agencies:staff-roles", args=[world.people.clerk.pk]), {"roles": ["officer"]}, **ADDRESS
    )
    assert response.status_code == 302
    entry = Entry.objects.get(action="staff.roles")
    (event,) = events(kind="admin_change", time__gte=started)
    assert (event.user_id, event.username, event.agency_code) == (world.people.security.pk, "security", "230100")
    assert (event.object_type, event.object_id) == (entry.subject_type, entry.subject_id)
    assert event.detail == {"action": "staff.roles", "ledger_index": entry.index}
    assert_from_the_client(event, started)


def test_open_data_downloads_are_recorded_even_without_a_login(client, world):
    response = client.get(reverse("opendata:download"), {"kind": "penalty", "format": "csv"}, **ADDRESS)
    assert response.status_code == 200
    (event,) = events(kind="opendata_export")
    assert (event.user_id, event.username, event.channel) == (None, "", "web")
    assert event.detail == {"kind": "penalty", "format": "csv", "since": None}


def test_a_second_factor_is_recorded_through_the_hook_lower_apps_call(world, rf):
    request = rf.post("/workbench/login/otp", **ADDRESS)
    security_event(kind="otp_verify", outcome="failure", request=request, user=world.people.officer)
    (event,) = events(kind="otp_verify")
    assert (event.outcome, event.user_id, event.remote_address) == ("failure", world.people.officer.pk, "198.51.100.7")


def test_secrets_never_enter_an_events_detail(world):
    event = audit_record(
        kind="otp_verify",
        user=world.people.officer,
        detail={"password": "x", "otp_code": "123456", "token": "sx_1", "device": "totp", "nested": {"secret": 1}},
    )
    assert event.detail == {"device": "totp", "nested": {}}


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        audit_record(kind="coffee_break")
