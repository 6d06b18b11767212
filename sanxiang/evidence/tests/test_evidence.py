"""Evidence files: streaming ingest in constant memory, refusals that leave nothing behind, custody, scrub."""

import datetime as dt
import errno
import io
import os
import struct
import tracemalloc
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from sanxiang.core import blob_s3, blobs
from sanxiang.core.blobs import BlobError, blob_exists, blob_read, blob_size
from sanxiang.evidence.models import EvidenceItem
from sanxiang.evidence.services import evidence_annotate, evidence_ingest
from sanxiang.ledger.models import Entry
from sanxiang.testing.blobs import damage, leftovers, remove
from sanxiang.testing.cases import open_case, walk


def ingest(world, case, data: bytes = b"video bytes", name="现场录像.mp4", **overrides):
    values = {"act": "inspection", "kind": "video", "description": "现场检查全过程录像"}
    values.update(overrides)
    return evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(data),
        original_name=name,
        recorded_by=world.people.officer,
        case=case,
        **values,
    )


def temporaries() -> list[str]:
    return leftovers()


class Generated(io.RawIOBase):
    """`size` bytes of a repeating pattern, produced as they are read (never held in memory)."""

    def __init__(self, size: int):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(range(256)) * (count // 256) + bytes(range(count % 256))
        self.left -= count
        return count


def test_a_file_is_stored_by_hash_numbered_in_its_case_and_ledgered(world):
    case = open_case(world)
    first = ingest(world, case)
    second = ingest(world, case, b"photo bytes", name="照片.jpg", kind="photo")
    again = ingest(world, case, name="同一段录像.mp4")  # the same bytes
    assert [first.number, second.number, again.number] == [1, 2, 3]
    assert blob_read(first.sha256) == b"video bytes" and again.sha256 == first.sha256
    entry = Entry.objects.get(action="evidence.ingest", subject_id=str(first.pk))
    assert first.sha256.encode() in bytes(entry.body) and first.is_audiovisual


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "空文件.mp4", "0 字节"),
        (b"x", "a/b.mp4", "路径分隔符"),
        (b"x", "bad\x07name.mp4", "控制字符"),
        (b"x", "..", "路径分隔符"),
    ],
)
def test_bad_files_are_refused_and_leave_nothing(world, data, name, message):
    case = open_case(world)
    with pytest.raises((BlobError, ValidationError)) as error:
        ingest(world, case, data, name=name)
    assert message in str(error.value)
    assert not EvidenceItem.objects.exists() and not temporaries()


@override_settings(EVIDENCE_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_and_leaves_nothing(world):
    with pytest.raises(BlobError, match="大小上限"):
        ingest(world, open_case(world), b"x" * 1001)
    assert not EvidenceItem.objects.exists() and not temporaries()


@pytest.mark.file_store  # the object store's own full disk is its server's error (core.blob_s3: BlobUnavailable)
def test_a_full_disk_mid_copy_is_a_clear_error_and_leaves_nothing(world, monkeypatch):
    real = os.fdopen

    class FillsUp:
        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def write(self, chunk):
            self.written += len(chunk)
            if self.written > 2 * blobs.CHUNK:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.handle.write(chunk)

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: FillsUp(real(*args, **kwargs)))
    with pytest.raises(BlobError, match="存储空间已满"):
        evidence_ingest(
            actor=world.people.officer,
            source=Generated(8 * blobs.CHUNK),
            original_name="大文件.mp4",
            act="inspection",
            kind="video",
            recorded_by=world.people.officer,
            case=open_case(world),
            description="录像",
        )
    assert not EvidenceItem.objects.exists() and not temporaries()


def test_several_hundred_megabytes_are_ingested_in_constant_memory(world):
    size = 300 * 1024 * 1024
    tracemalloc.start()
    item = evidence_ingest(
        actor=world.people.officer,
        source=io.BufferedReader(Generated(size)),
        original_name="执法记录仪.mp4",
        act="inspection",
        kind="video",
        recorded_by=world.people.officer,
        case=open_case(world),
        description="录像",
    )
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert item.size == size and blob_size(item.sha256) == size
    # the file store holds two read buffers; the S3 store also the parts on their way (core.blob_s3.IN_FLIGHT), the
    # part being filled and its copy handed over, each up to a read buffer over PART
    part = blob_s3.PART + blobs.READ_CHUNK
    limit = (
        16 * 1024 * 1024 if blobs.blob_store().kind == "file" else (blob_s3.IN_FLIGHT + 2) * part + 2 * blobs.READ_CHUNK
    )
    assert peak < limit, f"peak {peak / 1e6:.1f} MB"


def test_annotations_are_corrected_by_new_versions_with_a_reason(world):
    item = ingest(world, open_case(world))
    with pytest.raises(ValidationError):
        evidence_annotate(actor=world.people.officer, item=item, description="更正", reason=" ")
    evidence_annotate(
        actor=world.people.officer,
        item=item,
        description="检查脱硫设施运行情况",
        speakers="执法人员李明；当事人",
        dialogue="询问脱硫设施停运原因",
        reason="补充对话人员",
    )
    assert list(item.annotations.values_list("version", "description")) == [
        (2, "检查脱硫设施运行情况"),
        (1, "现场检查全过程录像"),
    ]


def test_photo_exif_gives_the_capture_time_and_place(world, tmp_path):
    image = Image.new("RGB", (8, 8))
    exif = image.getexif()
    exif[0x0132] = "2026:09:01 09:15:30"
    gps = {1: "N", 2: (45.0, 45.0, 0.0), 3: "E", 4: (126.0, 30.0, 0.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    item = ingest(world, open_case(world), buffer.getvalue(), name="照片.jpg", kind="photo")
    assert item.captured_start == dt.datetime(2026, 9, 1, 9, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert (float(item.latitude), float(item.longitude)) == (45.75, 126.5)


def test_mp4_creation_time_and_duration_are_read(world):
    created = int(
        (dt.datetime(2026, 9, 1, 1, 0, tzinfo=dt.UTC) - dt.datetime(1904, 1, 1, tzinfo=dt.UTC)).total_seconds()
    )
    mvhd = b"\x00\x00\x00\x00" + struct.pack(">IIII", created, created, 1000, 754_500) + bytes(80)
    moov = struct.pack(">I4s", 8 + 8 + len(mvhd), b"moov") + struct.pack(">I4s", 8 + len(mvhd), b"mvhd") + mvhd
    data = struct.pack(">I4s", 16, b"ftyp") + b"isom\x00\x00\x02\x00" + moov
    item = ingest(world, open_case(world), data)
    assert item.captured_start == dt.datetime(2026, 9, 1, 1, 0, tzinfo=dt.UTC)
    assert float(item.duration_seconds) == 754.5


def test_views_and_downloads_are_ledgered_as_the_chain_of_custody(client, world):
    item = ingest(world, open_case(world))
    client.force_login(world.people.head)
    assert b"".join(client.get(reverse("evidence:view", args=[item.pk])).streaming_content) == b"video bytes"
    response = client.get(reverse("evidence:download", args=[item.pk]))
    assert "attachment" in response["Content-Disposition"]
    actions = list(
        Entry.objects.filter(subject_type="evidence.evidenceitem", subject_id=str(item.pk))
        .order_by("index")
        .values_list("action", "actor")
    )
    assert actions[1:] == [
        ("evidence.view", f"staff:{world.people.head.pk}"),
        ("evidence.download", f"staff:{world.people.head.pk}"),
    ]
    page = client.get(reverse("evidence:item", args=[item.pk])).content.decode()
    assert "查看证据" in page and "下载证据" in page


def test_the_custody_chain_names_the_case_a_file_belongs_to_and_links_it(client, world):
    case = open_case(world)
    item = ingest(world, case)
    client.force_login(world.people.officer)
    page = client.get(reverse("evidence:item", args=[item.pk])).content.decode()
    link = reverse("cases:case-detail", args=[case.pk])
    assert f'所属记录：<a href="{link}">案件 超标排放大气污染物案</a>' in page
    assert "cases.case:" not in page


def test_officers_of_another_agency_get_404(client, world):
    case = open_case(world)
    item = ingest(world, case)
    client.force_login(world.people.outsider)
    for url in (
        reverse("evidence:item", args=[item.pk]),
        reverse("evidence:download", args=[item.pk]),
        reverse("evidence:case", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404
    assert not Entry.objects.filter(action="evidence.download").exists()


def test_an_upload_from_the_workbench_registers_the_file(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = open_case(world)
    client.force_login(world.people.officer)
    response = client.post(
        reverse("evidence:case", args=[case.pk]),
        {
            "file": SimpleUploadedFile("询问录音.m4a", b"audio bytes"),
            "act": "questioning",
            "kind": "audio",
            "description": "询问当事人",
            "speakers": "执法人员李明、张丽华；当事人法定代表人",
            "dialogue": "承认脱硫设施停运",
        },
    )
    assert response.status_code == 302
    assert EvidenceItem.objects.get().annotations.get().speakers.startswith("执法人员李明")


def test_the_case_page_warns_when_an_act_that_should_be_recorded_has_no_recording(client, world):
    case = walk(world, open_case(world), "filed")
    client.force_login(world.people.officer)
    page = client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert "调查取证环节没有音像记录" in page
    ingest(world, case, act="evidence")
    assert "调查取证环节没有音像记录" not in client.get(reverse("evidence:case", args=[case.pk])).content.decode()


def test_scrub_names_a_flipped_byte_and_a_missing_file(world):
    case = open_case(world)
    flipped, gone = ingest(world, case, b"first file"), ingest(world, case, b"second file", name="b.mp4")
    out = StringIO()
    call_command("evidence", "scrub", stdout=out)
    assert "checked" in out.getvalue()
    data = bytearray(blob_read(flipped.sha256))
    data[0] ^= 1
    damage(flipped.sha256, bytes(data))
    remove(gone.sha256)
    with pytest.raises(SystemExit) as exit_:
        call_command("evidence", "scrub", stdout=(out := StringIO()))
    assert exit_.value.code == 1
    assert f"CORRUPTED evidence:{flipped.pk}" in out.getvalue() and f"MISSING evidence:{gone.pk}" in out.getvalue()


def test_import_from_a_folder_is_idempotent_and_reports_unreadable_files(world, tmp_path):
    case = walk(world, open_case(world), "filed")
    (tmp_path / "DCIM").mkdir()
    (tmp_path / "DCIM" / "0001.MP4").write_bytes(b"clip one")
    (tmp_path / "DCIM" / "0002.JPG").write_bytes(b"not really a jpeg")
    (tmp_path / "empty.mp4").write_bytes(b"")
    args = [
        "evidence",
        "import",
        str(tmp_path),
        "--case",
        case.number,
        "--officer",
        world.certificates.officer.number,
        "--device",
        "DSJ-0381",
    ]
    with pytest.raises(SystemExit):  # the empty file fails, the others are imported
        call_command(*args, stdout=(out := StringIO()), stderr=StringIO())
    assert "导入 / imported 2" in out.getvalue() and EvidenceItem.objects.filter(case=case).count() == 2
    with pytest.raises(SystemExit):
        call_command(*args, stdout=(out := StringIO()), stderr=StringIO())
    assert "已登记 / already registered 2" in out.getvalue() and EvidenceItem.objects.filter(case=case).count() == 2


def test_import_stops_before_copying_for_an_unknown_case_or_certificate(world, tmp_path):
    from django.core.management.base import CommandError

    # bytes no other test stores: the blob folder is shared by the tests of one process
    (tmp_path / "a.mp4").write_bytes(b"clip refused before copying")
    case = walk(world, open_case(world), "filed")
    with pytest.raises(CommandError, match="unknown case"):
        call_command(
            "evidence",
            "import",
            str(tmp_path),
            "--case",
            "哈环立〔2099〕1号",
            "--officer",
            world.certificates.officer.number,
        )
    with pytest.raises(CommandError, match="certificate"):
        call_command("evidence", "import", str(tmp_path), "--case", case.number, "--officer", "NOPE")
    import hashlib

    assert not EvidenceItem.objects.exists() and not blob_exists(
        hashlib.sha256(b"clip refused before copying").hexdigest()
    )


def test_administrators_see_the_last_scrub(client, world):
    from sanxiang.evidence.services import evidence_scrub

    ingest(world, open_case(world))
    evidence_scrub()
    client.force_login(world.people.officer)
    assert client.get(reverse("evidence:scrub")).status_code == 403
    client.force_login(world.people.admin)
    assert "全部完好" in client.get(reverse("evidence:scrub")).content.decode()


def test_a_device_uploads_evidence_through_the_api(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    case = open_case(world)
    api = APIClient()
    api.force_authenticate(world.people.officer)
    response = api.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {
            "file": SimpleUploadedFile("DSJ_0001.mp4", b"clip"),
            "act": "inspection",
            "kind": "video",
            "description": "现场检查录像",
            "device": "DSJ-0381",
        },
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["number"] == 1
    empty = api.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {"file": SimpleUploadedFile("empty.mp4", b""), "act": "inspection", "kind": "video", "description": "空"},
        format="multipart",
    )
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "validation_error"
    api.force_authenticate(world.people.outsider)
    assert api.get(f"/api/v1/cases/{case.pk}/evidence").status_code == 404


def test_the_integrity_checks_progress_counts_every_file_the_scrub_hashes_pdfs_included(world, monkeypatch):
    from sanxiang.documents import services as documents
    from sanxiang.documents.models import Document
    from sanxiang.evidence.integrity import EVIDENCE

    case = walk(world, open_case(world), "filed")
    ingest(world, case)
    monkeypatch.setattr(documents, "docx_to_pdf", lambda content: b"%PDF-1.7 for the scrub")
    documents.document_render_pdf(document_id=Document.objects.first().pk)
    seen = []
    result = EVIDENCE.check(progress=lambda done, total: seen.append((done, total)))
    assert result.ok and seen[-1][0] == seen[-1][1] == 1 + Document.objects.count() + 1
