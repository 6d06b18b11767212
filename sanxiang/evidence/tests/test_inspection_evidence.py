"""Evidence of an inspection (现场检查证据): photographed and uploaded on its own page, by its officers only, and
carried over to the case opened from it — on the case's evidence page and in what the case file counts as recorded."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.cases import services as cases
from sanxiang.evidence.models import EvidenceItem
from sanxiang.evidence.selectors import missing_audiovisual
from sanxiang.evidence.services import evidence_ingest
from sanxiang.ledger.models import Entry
from sanxiang.testing.signatures import inspection_record
from sanxiang.testing.tus import metadata


@pytest.fixture
def inspection(world):
    inspection = inspection_record(world)[0]
    inspection.refresh_from_db()
    return inspection


def _page(inspection):
    return reverse("evidence:inspection", args=[inspection.pk])


def _post(client, inspection, name="贮存库门口.jpg", **fields):
    form = {"act": "inspection", "kind": "photo", "description": "危废贮存库门口未设标志", **fields}
    return client.post(_page(inspection), {"file": SimpleUploadedFile(name, b"photo-bytes"), **form})


def test_an_officer_of_the_inspection_uploads_a_photo_to_it(client, world, inspection):
    client.force_login(world.people.partner)
    response = _post(client, inspection)
    assert response.status_code == 302 and response["Location"] == _page(inspection)
    item = EvidenceItem.objects.get()
    assert item.inspection == inspection and item.case is None and item.number == 1
    assert Entry.objects.filter(subject_type="evidence.evidenceitem", subject_id=str(item.pk)).exists()
    page = client.get(_page(inspection)).content.decode()
    assert "贮存库门口.jpg" in page and "危废贮存库门口未设标志" in page
    detail = client.get(reverse("cases:inspection-detail", args=[inspection.pk])).content.decode()
    assert _page(inspection) in detail and "现场照片与音像记录（1）" in detail


def test_an_officer_who_was_not_there_may_not_add_and_is_not_offered_the_form(client, world, inspection):
    client.force_login(world.people.county_officer)  # another agency's officer: the inspection is not his to see
    assert client.get(_page(inspection)).status_code == 404
    client.force_login(world.people.reviewer)
    page = client.get(_page(inspection)).content.decode()
    assert 'name="file"' not in page and "data-capture-queue" not in page
    assert _post(client, inspection).status_code == 403
    assert not EvidenceItem.objects.exists()


def test_a_case_opened_from_the_inspection_shows_and_counts_its_evidence(client, world, inspection):
    evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(b"clip"),
        original_name="DSJ_现场录像.mp4",
        act="inspection",
        kind="video",
        recorded_by=world.people.officer,
        inspection=inspection,
        description="检查全过程录像",
    )
    case = cases.case_open(
        actor=world.people.officer,
        agency=world.harbin,
        party=inspection.party,
        title="脱硫设施未运行",
        source="inspection",
        act_date=inspection.started_at.date(),
        discovered_on=inspection.started_at.date(),
        inspection=inspection,
    )
    assert not any("现场检查环节" in warning for warning in missing_audiovisual(case))
    client.force_login(world.people.officer)
    page = client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert "来自现场检查的证据" in page and "DSJ_现场录像.mp4" in page


def test_a_resumable_upload_lands_in_the_inspection(client, world, inspection):
    data = b"inspection-clip" * 1000
    values = {
        "filename": "现场录像.mp4",
        "inspection": inspection.pk,
        "sha256": hashlib.sha256(data).hexdigest(),
        "act": "inspection",
        "kind": "video",
        "description": "检查全过程录像",
    }
    client.force_login(world.people.partner)
    tus = {"Tus-Resumable": "1.0.0"}
    created = client.generic(
        "POST", "/api/v1/uploads", headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": metadata(values)}
    )
    assert created.status_code == 201, created.content
    sent = client.generic(
        "PATCH",
        created["Location"],
        data,
        content_type="application/offset+octet-stream",
        headers={**tus, "Upload-Offset": "0"},
    )
    assert sent.status_code == 204
    item = EvidenceItem.objects.get()
    assert item.inspection == inspection and item.case is None and item.sha256 == values["sha256"]


@pytest.mark.parametrize("owner", [{}, {"case": 1, "inspection": 1}])
def test_a_resumable_upload_names_exactly_one_owner(client, world, inspection, owner):
    values = {"filename": "a.mp4", "sha256": "0" * 64, "act": "inspection", "kind": "video", "description": "录像"}
    client.force_login(world.people.officer)
    response = client.generic(
        "POST",
        "/api/v1/uploads",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Upload-Metadata": metadata({**values, **owner})},
    )
    assert response.status_code == 400
    assert "case" in response.json()["error"]["fields"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_evidence_pages_read_a_fixed_number_of_queries_however_many_items(client, world, inspection):
    case = cases.case_open(
        actor=world.people.officer,
        agency=world.harbin,
        party=inspection.party,
        title="脱硫设施未运行",
        source="inspection",
        act_date=inspection.started_at.date(),
        discovered_on=inspection.started_at.date(),
        inspection=inspection,
    )
    client.force_login(world.people.officer)
    pages = [reverse("evidence:case", args=[case.pk]), _page(inspection)]

    def add(n: int) -> None:
        for owner in ({"case": case}, {"inspection": inspection}):
            evidence_ingest(
                actor=world.people.officer,
                source=io.BytesIO(f"photo {n} {owner}".encode()),
                original_name=f"照片{n}.jpg",
                act="inspection",
                kind="photo",
                recorded_by=world.people.officer,
                description="现场照片",
                **owner,
            )

    add(1)
    before = [_queries(client, page) for page in pages]
    for n in range(2, 6):
        add(n)
    assert [_queries(client, page) for page in pages] == before
