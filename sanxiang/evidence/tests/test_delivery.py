"""An evidence file is streamed with its hash checked on the fly: a corrupted file never downloads whole."""

import hashlib
import io
import os

import pytest
from django.urls import reverse

from sanxiang.core.blobs import CHUNK, blob_read
from sanxiang.evidence.delivery import CorruptedEvidence
from sanxiang.evidence.services import evidence_ingest
from sanxiang.testing.blobs import damage, remove
from sanxiang.testing.cases import add_evidence, open_case
from sanxiang.web.models import Notification


def flip_a_byte(digest: str, position: int) -> None:
    data = bytearray(blob_read(digest))
    data[position] ^= 0x01
    damage(digest, bytes(data))


def alerted(world) -> set[str]:
    return set(Notification.objects.filter(key__contains=":corrupted:").values_list("user__username", flat=True))


def test_an_intact_file_downloads_with_its_sha256_in_the_headers(client, world):
    item = add_evidence(world, open_case(world))
    client.force_login(world.people.officer)
    response = client.get(reverse("evidence:download", args=[item.pk]))
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == item.sha256 == response["X-Sanxiang-SHA256"]
    assert response["Content-Length"] == str(item.size) and "attachment" in response["Content-Disposition"]
    assert response["Repr-Digest"].startswith("sha-256=:")
    assert not alerted(world)


@pytest.mark.parametrize("chunks", [1, 3])
def test_a_flipped_byte_stops_the_download_before_its_end_and_alerts_the_admins_and_head(client, world, caplog, chunks):
    case = open_case(world)
    if chunks == 1:
        item = add_evidence(world, case)
    else:
        content = os.urandom(CHUNK * 2 + 100)
        item = evidence_ingest(
            actor=world.people.officer,
            source=io.BytesIO(content),
            original_name="现场录像.mp4",
            act="inspection",
            kind="video",
            recorded_by=world.people.officer,
            case=case,
            description="现场检查录像",
        )
    flip_a_byte(item.sha256, 5)
    client.force_login(world.people.officer)
    response = client.get(reverse("evidence:download", args=[item.pk]))
    received = bytearray()
    with pytest.raises(CorruptedEvidence):
        for chunk in response.streaming_content:
            received += chunk
    assert len(received) < item.size  # the client never holds a complete-looking file
    assert alerted(world) == {"admin", "head"}
    assert any("corrupted" in record.message and record.levelname == "ERROR" for record in caplog.records)
    notification = Notification.objects.get(user=world.people.admin)
    assert "校验失败" in notification.title and notification.url == reverse("evidence:item", args=[item.pk])


def test_a_missing_file_is_refused_and_alerted(client, world):
    item = add_evidence(world, open_case(world))
    kept = blob_read(item.sha256)
    remove(item.sha256)
    try:
        client.force_login(world.people.officer)
        response = client.get(reverse("evidence:view", args=[item.pk]))
        assert response.status_code == 500 and alerted(world) == {"admin", "head"}
    finally:
        damage(item.sha256, kept)  # put back: the blob store is shared by the tests of this process
