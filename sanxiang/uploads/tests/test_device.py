"""A device on a bad network, through a real server socket: its connection is cut three times in the middle of a
piece, it asks HEAD where to resume, and the file is stored once with the hash it recorded at capture."""

import os

import pytest

from sanxiang.api.services import api_token_create
from sanxiang.core.blobs import blob_read
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import open_case
from sanxiang.testing.tus import TusDevice, file_sha256
from sanxiang.uploads import services

SIZE = 5 * 1024 * 1024 + 12_345
CHUNK = 1024 * 1024


@pytest.fixture
def device(live_data, live_server, world):
    _, raw = api_token_create(actor=world.people.officer, user=world.people.officer, name="camera", scope="write")
    return TusDevice(live_server.url, token=raw, chunk=CHUNK)


@pytest.fixture
def capture(tmp_path):
    path = tmp_path / "执法记录仪0001.mp4"
    path.write_bytes(os.urandom(SIZE))
    return path


def _metadata(case, path):
    return {
        "filename": path.name,
        "case": case.pk,
        "sha256": file_sha256(path),
        "act": "inspection",
        "kind": "video",
        "description": "执法记录仪全程录像",
        "device": "执法记录仪 DSJ-0001",
    }


@pytest.mark.parametrize("checksum", [False, True], ids=["partial-pieces-kept", "checksummed-pieces-discarded"])
def test_an_upload_cut_three_times_mid_piece_resumes_and_is_stored_once(device, capture, world, checksum):
    case = open_case(world)
    cuts = [CHUNK // 3, 2 * CHUNK + 777, 4 * CHUNK + CHUNK // 2]
    location, headers = device.upload(capture, _metadata(case, capture), cut_at=cuts, checksum=checksum)
    assert device.cuts == 3
    item = EvidenceItem.objects.get()
    assert headers["Evidence-Id"] == str(item.pk)
    assert item.sha256 == file_sha256(capture) and item.size == SIZE
    assert blob_read(item.sha256) == capture.read_bytes()
    assert Entry.objects.filter(action="evidence.ingest").count() == 1
    assert list(services.partial_root().iterdir()) == []
    assert device.offset(location) == SIZE


def test_a_cut_piece_keeps_what_arrived_and_with_a_checksum_keeps_nothing(device, capture, world):
    case = open_case(world)
    plain = device.create(capture, _metadata(case, capture))
    device.cut(plain, capture, 0, CHUNK, 300_000)
    assert device.offset(plain) == 300_000
    checked = device.create(capture, _metadata(case, capture))
    device.cut(checked, capture, 0, CHUNK, 300_000, checksum=True)
    assert device.offset(checked) == 0
