"""Correcting a record signed on site, on its page and through the API: a new version with the changed fields and no
signatures, the old one kept with its own; only the act's officers may, only the latest version, only known fields."""

from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.documents.forms import CorrectionForm
from sanxiang.documents.models import Document, Signature
from sanxiang.documents.services.signatures import signature_add
from sanxiang.ledger.models import Entry
from sanxiang.testing.signatures import STROKES, inspection_record


def _signed(world):
    _inspection, document = inspection_record(world)
    signature_add(
        actor=world.people.officer,
        document=document,
        version_sha256=document.docx_sha256,
        role="officer",
        officer=world.people.officer,
        strokes=STROKES,
    )
    return document


def _fields(document, **changes):
    """What the page posts: every field as shown, but those changed."""
    shown = {name: field.initial for name, field in CorrectionForm(document=document).fields.items()}
    return {"form": "correct", **shown, **changes}


def test_the_page_corrects_into_a_new_version_to_sign_anew(client, world):
    document = _signed(world)
    client.force_login(world.people.partner)
    page = reverse("documents:sign", args=[document.pk])
    assert "更正笔录" in client.get(page).content.decode()
    response = client.post(page, _fields(document, findings="脱硫设施未运行，旁路烟道挡板开启"))
    corrected = Document.objects.get(supersedes=document)
    assert response.status_code == 302 and response["Location"] == reverse("documents:sign", args=[corrected.pk])
    assert corrected.version == 2 and corrected.values["findings"] == "脱硫设施未运行，旁路烟道挡板开启"
    assert corrected.values["place"] == document.values["place"]  # what was not changed is carried over
    assert not corrected.signatures.exists() and document.signatures.count() == 1
    old = client.get(page).content.decode()
    assert "不能再签名" in old and "更正笔录" not in old and 'value="sign"' not in old
    assert Entry.objects.filter(subject_type="documents.document", subject_id=str(corrected.pk)).exists()


def test_the_page_refuses_a_correction_that_changes_nothing(client, world):
    document = _signed(world)
    client.force_login(world.people.officer)
    response = client.post(reverse("documents:sign", args=[document.pk]), _fields(document))
    assert response.status_code == 200 and "请填写要更正的内容" in response.content.decode()
    assert not Document.objects.filter(supersedes=document).exists()


def test_only_the_acts_officers_are_offered_the_forms(client, world):
    document = _signed(world)
    client.force_login(world.people.head)
    page = client.get(reverse("documents:sign", args=[document.pk])).content.decode()
    assert "更正笔录" not in page and 'value="sign"' not in page and 'value="refuse"' not in page
    assert (
        client.post(reverse("documents:sign", args=[document.pk]), _fields(document, findings="改")).status_code == 403
    )
    assert not Document.objects.filter(supersedes=document).exists()


def _api(person, document, body):
    api = APIClient()
    api.force_authenticate(person)
    return api.post(f"/api/v1/documents/{document.pk}/corrections/", body, format="json")


def test_the_api_corrects_and_answers_the_new_version(world):
    document = _signed(world)
    response = _api(world.people.officer, document, {"changes": {"findings": "更正后的检查情况"}})
    assert response.status_code == 201, response.json()
    body = response.json()
    corrected = Document.objects.get(supersedes=document)
    assert body["document"] == corrected.pk and body["version"] == 2 and body["signatures"] == []
    assert body["version_sha256"] == corrected.docx_sha256 != document.docx_sha256


def test_the_api_refuses_bad_corrections_with_json_and_stores_nothing(world):
    document = _signed(world)
    unknown = _api(world.people.officer, document, {"changes": {"fine": "1"}})
    assert unknown.status_code == 400 and "未知字段" in unknown.json()["error"]["message"]
    empty = _api(world.people.officer, document, {"changes": {}})
    assert empty.status_code == 400 and "changes" in empty.json()["error"]["fields"]
    not_text = _api(world.people.officer, document, {"changes": {"findings": {"x": 1}}})
    assert not_text.status_code == 400
    assert _api(world.people.head, document, {"changes": {"findings": "改"}}).status_code == 403
    assert _api(world.people.outsider, document, {"changes": {"findings": "改"}}).status_code == 404
    assert not Document.objects.filter(supersedes=document).exists()
    _api(world.people.officer, document, {"changes": {"findings": "第一次更正"}})
    stale = _api(world.people.officer, document, {"changes": {"findings": "对旧版本再更正"}})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert Document.objects.filter(supersedes__isnull=False).count() == 1
    assert Signature.objects.count() == 1
