"""The tus 1.0 server: each request of the protocol, and each refusal (409, 410, 412, 413, 415, 423, 460, a whole
file that is not what was captured) with its JSON answer and nothing left half-stored."""

import base64
import datetime as dt
import hashlib
import os
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from sanxiang.api.services import api_token_create
from sanxiang.core.blobs import blob_names
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import open_case
from sanxiang.testing.tus import metadata
from sanxiang.uploads import services
from sanxiang.uploads.models import Upload

DATA = os.urandom(300_000)
LENGTH = len(DATA)
TUS = {"Tus-Resumable": "1.0.0"}
STREAM = "application/offset+octet-stream"


@pytest.fixture
def case(world):
    return open_case(world)


def token(world, user=None, scope="write"):
    user = user or world.people.officer
    return {"Authorization": f"Bearer {api_token_create(actor=user, user=user, name='device', scope=scope)[1]}"}


def values(case, data=DATA, **overrides):
    return {
        "filename": "现场录像.mp4",
        "case": case.pk,
        "sha256": hashlib.sha256(data).hexdigest(),
        "act": "inspection",
        "kind": "video",
        "description": "现场检查全过程录像",
        **overrides,
    }


def create(client, auth, case, length=LENGTH, **overrides):
    headers = {**TUS, **auth, "Upload-Length": str(length), "Upload-Metadata": metadata(values(case, **overrides))}
    return client.generic("POST", "/api/v1/uploads", headers=headers)


def patch(client, auth, location, data, offset, checksum=None):
    headers = {**TUS, **auth, "Upload-Offset": str(offset)}
    if checksum is not None:
        headers["Upload-Checksum"] = "sha256 " + base64.b64encode(checksum).decode()
    return client.generic("PATCH", location, data, content_type=STREAM, headers=headers)


def partials() -> list:
    root = services.partial_root()
    return sorted(root.iterdir()) if root.exists() else []


def stored_files() -> list:
    return list(blob_names())


def test_options_names_the_version_extensions_limit_and_checksum(client, world):
    response = client.options("/api/v1/uploads", headers=token(world))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0" and response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,termination,checksum,expiration"
    assert response["Tus-Checksum-Algorithm"] == "sha256" and int(response["Tus-Max-Size"]) > 0


def test_a_file_sent_in_pieces_is_registered_once_with_its_capture_hash_in_the_ledger(client, world, case):
    auth = token(world)
    response = create(client, auth, case)
    assert response.status_code == 201 and "Upload-Expires" in response
    location = response["Location"]
    partial = partials()[0]
    assert partial.stat().st_mode & 0o777 == 0o600 and partial.parent.stat().st_mode & 0o777 == 0o700
    head = client.head(location, headers={**TUS, **auth})
    assert head["Upload-Offset"] == "0" and head["Upload-Length"] == str(len(DATA))
    assert head["Cache-Control"] == "no-store"
    assert patch(client, auth, location, DATA[:100_000], 0, hashlib.sha256(DATA[:100_000]).digest())[
        "Upload-Offset"
    ] == str(100_000)
    assert client.head(location, headers={**TUS, **auth})["Upload-Offset"] == "100000"
    last = patch(client, auth, location, DATA[100_000:], 100_000)
    assert last.status_code == 204 and last["Upload-Offset"] == str(len(DATA))
    item = EvidenceItem.objects.get()
    assert last["Evidence-Id"] == str(item.pk) and item.sha256 == hashlib.sha256(DATA).hexdigest()
    assert item.original_name == "现场录像.mp4" and item.size == len(DATA) and item.case == case
    entry = Entry.objects.get(action="evidence.ingest")
    assert b"capture_sha256" in bytes(entry.body) and item.sha256.encode() in bytes(entry.body)
    assert partials() == [] and len(stored_files()) == 1
    assert client.head(location, headers={**TUS, **auth})["Evidence-Id"] == str(item.pk)


def test_a_wrong_offset_is_409_and_changes_nothing(client, world, case):
    auth = token(world)
    location = create(client, auth, case)["Location"]
    patch(client, auth, location, DATA[:1000], 0)
    response = patch(client, auth, location, DATA[5000:6000], 5000)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "offset_mismatch" and "1000" in response.json()["error"]["message"]
    assert partials()[0].stat().st_size == 1000


def test_a_piece_whose_checksum_differs_is_460_and_discarded(client, world, case):
    auth = token(world)
    location = create(client, auth, case)["Location"]
    patch(client, auth, location, DATA[:1000], 0)
    response = patch(client, auth, location, DATA[1000:2000], 1000, hashlib.sha256(b"other").digest())
    assert response.status_code == 460 and response.json()["error"]["code"] == "checksum_mismatch"
    assert partials()[0].stat().st_size == 1000


def test_a_checksum_of_another_algorithm_is_refused(client, world, case):
    auth = token(world)
    location = create(client, auth, case)["Location"]
    response = client.generic(
        "PATCH",
        location,
        b"abc",
        content_type=STREAM,
        headers={**TUS, **auth, "Upload-Offset": "0", "Upload-Checksum": "md5 kAFQmDzST7DWlj99KOF/cg=="},
    )
    assert response.status_code == 400 and "sha256" in response.json()["error"]["message"]
    assert partials()[0].stat().st_size == 0


def test_an_expired_upload_is_410_and_its_partial_is_removed(client, world, case):
    auth = token(world)
    location = create(client, auth, case)["Location"]
    patch(client, auth, location, DATA[:1000], 0)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=49)):
        response = patch(client, auth, location, DATA[1000:2000], 1000)
        assert response.status_code == 410 and response.json()["error"]["code"] == "upload_gone"
        assert client.head(location, headers={**TUS, **auth}).status_code == 410
    assert partials() == [] and not EvidenceItem.objects.exists()


def test_a_file_over_the_limit_is_413_at_creation(client, world, case):
    with override_settings(EVIDENCE_MAX_BYTES=1024):
        response = create(client, token(world), case, length=1025)
    assert response.status_code == 413 and response.json()["error"]["code"] == "upload_too_large"
    assert not Upload.objects.exists() and partials() == []


def test_data_past_the_announced_length_is_413(client, world, case):
    auth = token(world)
    location = create(client, auth, case, length=1000, sha256="0" * 64)["Location"]
    response = patch(client, auth, location, DATA[:1001], 0)
    assert response.status_code == 413 and partials()[0].stat().st_size == 0


def test_a_whole_file_unlike_its_capture_is_refused_and_nothing_is_stored(client, world, case):
    auth = token(world)
    location = create(client, auth, case, sha256=hashlib.sha256(b"what the lens saw").hexdigest())["Location"]
    response = patch(client, auth, location, DATA, 0)
    assert response.status_code == 400 and response.json()["error"]["code"] == "capture_hash_mismatch"
    assert "采集时记录" in response.json()["error"]["message"]
    assert not EvidenceItem.objects.exists() and not Entry.objects.filter(action="evidence.ingest").exists()
    assert partials() == [] and stored_files() == []
    assert client.head(location, headers={**TUS, **auth}).status_code == 410


def test_another_version_of_the_protocol_is_412(client, world, case):
    response = client.generic(
        "POST", "/api/v1/uploads", headers={**token(world), "Tus-Resumable": "0.2.2", "Upload-Length": "5"}
    )
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"
    assert response.json()["error"]["code"] == "tus_version"


def test_a_patch_of_another_media_type_is_415(client, world, case):
    auth = token(world)
    location = create(client, auth, case)["Location"]
    response = client.generic(
        "PATCH", location, b"x", content_type="application/octet-stream", headers={**TUS, **auth, "Upload-Offset": "0"}
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sha256": "abc"}, "sha256"),
        ({"act": "dance"}, "act"),
        ({"description": ""}, "description"),
        ({"filename": "../x"}, "original_name"),
    ],
)
def test_bad_metadata_is_refused_before_a_byte_is_sent(client, world, case, overrides, field):
    response = create(client, token(world), case, **overrides)
    assert response.status_code == 400 and field in response.json()["error"].get("fields", {})
    assert not Upload.objects.exists() and partials() == []


def test_metadata_that_is_not_base64_is_400(client, world, case):
    headers = {**TUS, **token(world), "Upload-Length": "10", "Upload-Metadata": "filename ***"}
    response = client.generic("POST", "/api/v1/uploads", headers=headers)
    assert response.status_code == 400 and "Base64" in response.json()["error"]["message"]


def test_only_the_uploader_may_ask_resume_or_end_an_upload(client, world, case):
    location = create(client, token(world), case)["Location"]
    partner = token(world, world.people.partner)
    assert client.head(location, headers={**TUS, **partner}).status_code == 404
    assert patch(client, partner, location, DATA[:10], 0).status_code == 404
    assert client.delete(location, headers={**TUS, **partner}).status_code == 404
    assert partials()[0].stat().st_size == 0


def test_a_read_token_cannot_upload_and_an_outsider_cannot_reach_the_case(client, world, case):
    assert create(client, token(world, scope="read"), case).status_code == 403
    assert create(client, token(world, world.people.outsider), case).status_code == 404
    assert create(client, token(world, world.people.reviewer), case).status_code == 403
    assert not Upload.objects.exists()


def test_termination_removes_the_partial_and_the_upload(client, world, case):
    auth = token(world)
    location = create(client, auth, case)["Location"]
    patch(client, auth, location, DATA[:1000], 0)
    assert client.delete(location, headers={**TUS, **auth}).status_code == 204
    assert partials() == [] and not Upload.objects.exists()
    assert client.head(location, headers={**TUS, **auth}).status_code == 404


def test_a_request_while_another_writes_is_423(client, world, case):
    import fcntl

    auth = token(world)
    location = create(client, auth, case)["Location"]
    with partials()[0].open("r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        response = patch(client, auth, location, DATA[:10], 0)
    assert response.status_code == 423 and response.json()["error"]["code"] == "upload_busy"


def test_the_workbench_session_uploads_with_its_csrf_header(world, case):
    from sanxiang.testing.otp import VerifiedClient

    browser = VerifiedClient(enforce_csrf_checks=True)
    browser.force_login(world.people.officer)
    assert create(browser, {}, case).status_code == 403  # no CSRF token
    browser.get(f"/workbench/evidence/cases/{case.pk}/")
    csrf = {"X-CSRFToken": browser.cookies["csrftoken"].value}
    response = create(browser, csrf, case)
    assert response.status_code == 201
    assert patch(browser, csrf, response["Location"], DATA, 0).status_code == 204
    assert EvidenceItem.objects.get().recorded_by == world.people.officer


def announce(world, case, name):
    details = {"act": "inspection", "kind": "photo", "description": "现场照片"}
    return services.upload_create(
        actor=world.people.officer, case=case, length=10, capture_sha256="0" * 64, original_name=name, details=details
    )


def test_the_sweep_removes_expired_uploads_and_their_partials(world, case):
    upload, kept = announce(world, case, "a.jpg"), announce(world, case, "b.jpg")
    Upload.objects.filter(pk=upload.pk).update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "断点续传 / expired or refused resumable uploads 1" in out.getvalue()
    assert list(Upload.objects.all()) == [kept] and partials() == [services.partial_path(kept)]
