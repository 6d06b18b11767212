"""API v1 for signatures: JSON errors for a superseded version, bad strokes, another agency's document and a role
that may not record; nothing stored by a refused request."""

from rest_framework.test import APIClient

from sanxiang.documents.models import Signature
from sanxiang.documents.services.signatures import document_correct
from sanxiang.testing.signatures import STROKES, inspection_record


def _post(person, document, **body):
    api = APIClient()
    api.force_authenticate(person)
    return api.post(f"/api/v1/documents/{document.pk}/signatures/", body, format="json")


def test_an_officer_signs_through_the_api_and_reads_what_is_missing(world):
    _inspection, document = inspection_record(world)
    response = _post(
        world.people.officer,
        document,
        version_sha256=document.docx_sha256,
        role="officer",
        officer=world.people.partner.pk,
        strokes=STROKES,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["complete"] is False and body["signatures"][0]["name"] == "张丽华"
    assert body["signatures"][0]["svg"].startswith("<svg") and len(body["missing"]) == 2
    api = APIClient()
    api.force_authenticate(world.people.head)
    assert api.get(f"/api/v1/documents/{document.pk}/signatures/").json()["version_sha256"] == document.docx_sha256


def test_refused_requests_answer_structured_json_and_store_nothing(world):
    _inspection, document = inspection_record(world)
    sign = {"version_sha256": document.docx_sha256, "role": "party", "name": "王某", "strokes": STROKES}
    bad = _post(world.people.officer, document, **(sign | {"strokes": [[[1, "2", 3], [4, 5, 6]]]}))
    assert bad.status_code == 400 and "strokes" in bad.json()["error"]["fields"]
    huge = _post(world.people.officer, document, **(sign | {"strokes": [[[1, 2, 3]] * 5000]}))
    assert huge.status_code == 400 and "strokes" in huge.json()["error"]["fields"]
    lone = _post(world.people.officer, document, **(sign | {"refused": True, "note": "拒签"}))
    assert lone.status_code == 400 and "witness_name" in lone.json()["error"]["fields"]
    assert _post(world.people.outsider, document, **sign).status_code == 404
    head = _post(world.people.head, document, **sign)
    assert head.status_code == 403 and head.json()["error"]["code"] == "permission_denied"
    document_correct(actor=world.people.officer, document=document, changes={"findings": "更正"})
    stale = _post(world.people.officer, document, **sign)
    assert stale.status_code == 409 and "已被更正为第 2 版" in stale.json()["error"]["message"]
    assert not Signature.objects.exists()
