"""A capture time entered by hand fills the gap of a file that carries none, marked as entered by hand; it never
overwrites the time a file records, and an impossible one is refused before anything is stored."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sanxiang.cases.models import Act
from sanxiang.evidence.models import EvidenceItem, EvidenceKind
from sanxiang.evidence.services import evidence_ingest
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.cases import FILED, at, open_case, walk

TAKEN = dt.datetime(2026, 9, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _photo(exif_time: str | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (8, 8), "green")
    exif = Image.Exif()
    if exif_time:
        exif[0x8769] = {0x9003: exif_time}  # DateTimeOriginal in the Exif IFD
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _ingest(world, case, content: bytes, **entered):
    return evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(content),
        original_name="现场照片.jpg",
        act=Act.INSPECTION,
        kind=EvidenceKind.PHOTO,
        recorded_by=world.people.officer,
        case=case,
        description="排污口",
        **entered,
    )


@pytest.fixture
def case(world):
    return walk(world, open_case(world), "filed")


def test_a_photo_without_exif_takes_the_entered_time_marked_as_by_hand(world, case):
    with at(FILED, hour=18):
        item = _ingest(world, case, _photo(), captured_start=TAKEN)
    assert item.captured_start == TAKEN and item.captured_by_hand
    entry = Entry.objects.filter(action="evidence.ingest").latest("index")
    assert entry_json(entry)["data"]["captured_by_hand"] is True


def test_a_time_the_file_records_is_never_overwritten(world, case):
    with at(FILED, hour=18):
        item = _ingest(world, case, _photo("2026:09:03 08:15:00"), captured_start=TAKEN)
    assert timezone.localtime(item.captured_start).strftime("%H:%M") == "08:15" and not item.captured_by_hand


@pytest.mark.parametrize(
    "entered",
    [
        {"captured_start": TAKEN + dt.timedelta(days=30)},
        {"captured_start": TAKEN, "captured_end": TAKEN - dt.timedelta(minutes=1)},
        {"captured_end": TAKEN},
    ],
)
def test_an_impossible_entered_time_is_refused_and_nothing_is_registered(world, case, entered):
    with at(FILED, hour=18), pytest.raises(ValidationError) as error:
        _ingest(world, case, _photo(), **entered)
    assert "captured_start" in error.value.message_dict
    assert not EvidenceItem.objects.filter(case=case).exclude(original_name="监测报告.pdf").exists()


def test_the_upload_page_takes_the_time_and_shows_it_as_entered_by_hand(client, world, case):
    client.force_login(world.people.officer)
    upload = io.BytesIO(_photo())
    upload.name = "无EXIF照片.jpg"
    with at(FILED, hour=18):
        response = client.post(
            reverse("evidence:case", args=[case.pk]),
            {
                "file": upload,
                "act": Act.INSPECTION,
                "kind": EvidenceKind.PHOTO,
                "captured_start": "2026-09-03T09:30",
                "description": "排污口",
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert "2026-09-03 09:30" in page and "手工填写" in page
