"""API v1 for agencies, officers and certificates, tried by every persona."""

import pytest
from rest_framework.test import APIClient

from sanxiang.agencies.models import Certificate, CertificateStatus

PERSONAS = ["officer", "reviewer", "head", "clerk", "admin", "province_admin", "outsider"]
MANAGERS = ["admin", "province_admin"]


@pytest.fixture
def api():
    return APIClient()


def login(api, world, persona):
    api.force_authenticate(user=getattr(world.people, persona))


@pytest.mark.parametrize("persona", PERSONAS)
def test_agency_detail_is_visible_inside_the_scope_only(api, world, persona):
    login(api, world, persona)
    response = api.get(f"/api/v1/agencies/{world.harbin.pk}/")
    if persona == "outsider":
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": "未找到该记录。"}}
    else:
        assert response.status_code == 200 and response.json()["code"] == "230100"


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_contain_only_what_the_persona_may_see(api, world, persona):
    login(api, world, persona)
    agencies = {row["code"] for row in api.get("/api/v1/agencies/").json()["results"]}
    numbers = {row["number"] for row in api.get("/api/v1/certificates/").json()["results"]}
    officers = {row["full_name"] for row in api.get("/api/v1/officers/").json()["results"]}
    if persona == "outsider":
        assert agencies == {"230200"} and numbers == {world.certificates.outsider.number}
        assert "李明" not in officers
    elif persona == "province_admin":
        assert agencies == {"230000", "230100", "230102", "230200"} and len(numbers) == 4
    else:
        assert agencies == {"230100", "230102"} and world.certificates.outsider.number not in numbers
        assert {"李明", "张丽华"} <= officers


@pytest.mark.parametrize("persona", PERSONAS)
def test_certificate_actions_need_an_administrator_in_scope(api, world, persona):
    login(api, world, persona)
    certificate = world.certificates.officer
    response = api.post(f"/api/v1/certificates/{certificate.pk}/suspend", {"reason": "调查"}, format="json")
    status = Certificate.objects.get(pk=certificate.pk).status
    if persona in MANAGERS:
        assert response.status_code == 200 and response.json()["status"] == "suspended"
        assert status == CertificateStatus.SUSPENDED
    else:
        assert response.status_code == (404 if persona == "outsider" else 403)
        assert response.json()["error"]["code"] == ("not_found" if persona == "outsider" else "permission_denied")
        assert status == CertificateStatus.VALID


@pytest.mark.parametrize("persona", PERSONAS)
def test_issuing_a_certificate_needs_an_administrator_in_scope(api, world, persona):
    login(api, world, persona)
    holder = world.people.officer
    Certificate.objects.filter(holder=holder).update(status=CertificateStatus.REVOKED)
    body = {
        "holder": holder.pk,
        "number": "2301002699",
        "domain": "ecology",
        "issued_on": "2026-01-05",
        "expires_on": "2031-01-04",
    }
    response = api.post("/api/v1/certificates/", body, format="json")
    created = Certificate.objects.filter(number="2301002699").exists()
    if persona in MANAGERS:
        assert response.status_code == 201 and created
    else:
        assert response.status_code == (404 if persona == "outsider" else 403) and not created


def test_an_invalid_move_is_a_structured_error_and_changes_nothing(api, world):
    login(api, world, "admin")
    certificate = world.certificates.officer
    api.post(f"/api/v1/certificates/{certificate.pk}/revoke", {"reason": "调离"}, format="json")
    response = api.post(f"/api/v1/certificates/{certificate.pk}/reinstate", {"reason": "恢复"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_transition"
    assert "吊销" in response.json()["error"]["message"]
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.REVOKED


def test_field_errors_are_listed_by_field(api, world):
    login(api, world, "admin")
    response = api.post(
        f"/api/v1/certificates/{world.certificates.officer.pk}/renew", {"expires_on": "soon"}, format="json"
    )
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "validation_error" and "expires_on" in error["fields"]


def test_a_malformed_json_body_is_a_structured_error(api, world):
    login(api, world, "admin")
    response = api.post(
        f"/api/v1/certificates/{world.certificates.officer.pk}/suspend", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_request"
    assert Certificate.objects.get(pk=world.certificates.officer.pk).status == CertificateStatus.VALID


def test_status_changes_are_actions_not_patches(api, world):
    login(api, world, "admin")
    response = api.patch(f"/api/v1/certificates/{world.certificates.officer.pk}/", {"status": "revoked"}, format="json")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_the_public_certificate_check_needs_no_login(api, world):
    from sanxiang.agencies import services

    services.certificate_revoke(actor=None, certificate=world.certificates.partner, reason="调离")
    body = api.get(f"/api/v1/public/certificates/{world.certificates.partner.number}/").json()
    assert body["status"] == "revoked" and body["valid"] is False and body["holder_name"] == "张丽华"
    response = api.get("/api/v1/public/certificates/NOPE123/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url", ["/api/v1/agencies/", "/api/v1/certificates/", "/api/v1/officers/"])
def test_anonymous_callers_are_refused_with_401(api, world, url):
    response = api.get(url)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
