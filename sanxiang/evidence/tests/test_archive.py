"""The archived case file: a BagIt bag that our verifier and the bagit package accept, and that any change breaks."""

import datetime as dt
import io
import json
from decimal import Decimal
from io import StringIO

import bagit
import pytest
from django.core.management import call_command

from sanxiang.cases import services
from sanxiang.cases.models import Case, Stage
from sanxiang.cases.services import case_file_archive
from sanxiang.core.blobs import blob_exists
from sanxiang.evidence.archive import export_case, verify_bag
from sanxiang.evidence.services import evidence_ingest
from sanxiang.ledger.services import ledger_signer
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.office import needs_libreoffice

pytestmark = needs_libreoffice


@pytest.fixture
def closed_case(world):
    case = walk(world, open_case(world), "filed")
    with at(dt.date(2026, 9, 5)):
        evidence_ingest(
            actor=world.people.officer,
            source=io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(100)),
            original_name="现场执法记录 100%.mp4",
            act="evidence",
            kind="video",
            recorded_by=world.people.officer,
            case=case,
            description="调取在线监测数据全过程",
        )
    case = walk(world, Case.objects.get(pk=case.pk), "served", after="filed")
    with at(DECIDED + dt.timedelta(days=3)):
        case = services.case_record_payment(
            actor=world.people.officer, case=case, paid_on=DECIDED + dt.timedelta(days=3), amount=Decimal("150000")
        )
        return services.case_close(actor=world.people.head, case=case, summary="已缴清")


def test_a_case_file_verifies_offline_with_ours_and_with_the_bagit_validator(closed_case, tmp_path):
    bag = export_case(closed_case, tmp_path / "bag")
    verdict = verify_bag(bag, key=str(ledger_signer().verifier))
    assert verdict.ok, verdict.problems
    assert verdict.checked_entries >= 10
    bagit.Bag(str(bag)).validate()
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert "Source-Organization: 哈尔滨市生态环境局" in info and f"External-Identifier: {closed_case.number}" in info
    summary = json.loads((bag / "data" / "case.json").read_text(encoding="utf-8"))
    assert {row["type"] for row in summary["documents"]} >= {"filing_approval", "penalty_decision", "service_receipt"}
    assert (bag / "data" / summary["evidence"][0]["file"]).read_bytes().startswith(b"\x00\x00\x00\x18ftyp")
    out = StringIO()
    call_command("archive", "verify", str(bag), stdout=out)
    assert out.getvalue().startswith("OK:")


def test_one_changed_payload_byte_is_caught_by_both_verifiers(closed_case, tmp_path):
    bag = export_case(closed_case, tmp_path / "bag")
    video = next((bag / "data" / "evidence").iterdir())
    data = bytearray(video.read_bytes())
    data[-1] ^= 1
    video.write_bytes(bytes(data))
    verdict = verify_bag(bag)
    assert not verdict.ok and any("does not match its manifest checksum" in p for p in verdict.problems)
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()


def test_a_changed_proof_hash_or_checkpoint_is_caught(closed_case, tmp_path):
    bag = export_case(closed_case, tmp_path / "bag")
    entries = bag / "data" / "ledger" / "entries.jsonl"
    rows = [json.loads(line) for line in entries.read_text(encoding="utf-8").splitlines()]
    rows[3]["proof"][0] = "00" * 32
    _rewrite(bag, entries, "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
    assert any(f"ledger entry {rows[3]['index']}" in problem for problem in verify_bag(bag).problems)

    other = export_case(closed_case, tmp_path / "other")
    checkpoint = other / "data" / "ledger" / "checkpoint.txt"
    note = checkpoint.read_text(encoding="utf-8").splitlines(keepends=True)
    note[1] = f"{int(note[1]) + 1}\n"
    _rewrite(other, checkpoint, "".join(note))
    assert any(problem.startswith("checkpoint") for problem in verify_bag(other).problems)


def test_a_file_whose_hash_differs_from_its_ledger_entry_is_caught_even_with_a_consistent_manifest(
    closed_case, tmp_path
):
    bag = export_case(closed_case, tmp_path / "bag")
    video = next((bag / "data" / "evidence").iterdir())
    _rewrite(bag, video, b"a substituted recording")
    verdict = verify_bag(bag)
    assert [problem for problem in verdict.problems if "differs from the one ledger entry" in problem]


def test_archiving_a_closed_case_stores_its_bag(closed_case, world):
    with at(DECIDED + dt.timedelta(days=5)):
        case = case_file_archive(actor=world.people.clerk, case=closed_case)
    assert case.stage == Stage.ARCHIVED and blob_exists(case.archive_sha256)


def _rewrite(bag, path, content) -> None:
    """Change a payload file and bring the manifests in line, as a forger who knows BagIt would."""
    import hashlib

    (path.write_bytes if isinstance(content, bytes) else lambda text: path.write_text(text, encoding="utf-8"))(content)
    name = str(path.relative_to(bag))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = bag / "manifest-sha256.txt"
    lines = [
        f"{digest}  {name}" if line.endswith(f"  {name.replace('%', '%25')}") else line
        for line in manifest.read_text(encoding="utf-8").splitlines()
    ]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in (bag / "data").rglob("*") if p.is_file())
    info = bag / "bag-info.txt"
    count = len(lines)
    info.write_text(
        "\n".join(
            f"Payload-Oxum: {total}.{count}" if line.startswith("Payload-Oxum") else line
            for line in info.read_text(encoding="utf-8").splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    tags = "".join(
        f"{hashlib.sha256((bag / tag).read_bytes()).hexdigest()}  {tag}\n"
        for tag in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt")
    )
    (bag / "tagmanifest-sha256.txt").write_text(tags, encoding="utf-8")


def test_archiving_from_the_case_page_is_queued_and_shown_under_way_until_the_bag_is_stored(
    client, closed_case, world, monkeypatch
):
    from django.urls import reverse

    from sanxiang.cases import tasks

    queued = []
    monkeypatch.setattr(tasks, "archive_case_file", lambda *args: queued.append(args))
    client.force_login(world.people.clerk)
    url = reverse("cases:case-action", args=[closed_case.pk, "archive"])
    with at(DECIDED + dt.timedelta(days=5)):
        assert client.post(url, {"version": closed_case.version}, follow=True).status_code == 200
        case = Case.objects.get(pk=closed_case.pk)
        assert queued == [(case.pk, world.people.clerk.pk, closed_case.version)]
        assert case.stage == Stage.CLOSED and case.archive_requested_at is not None and not case.archive_sha256
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        assert "正在归档" in page and 'http-equiv="refresh"' in page and url not in page
        assert case_file_archive(actor=world.people.clerk, case=case).archive_requested_at == case.archive_requested_at
        assert len(queued) == 1  # asked again while under way: nothing more queued

        case = services.case_file_pack_and_archive(actor=world.people.clerk, case=case, version=closed_case.version)
    assert case.stage == Stage.ARCHIVED and blob_exists(case.archive_sha256)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "正在归档" not in page and "归档案卷 SHA-256" in page


def test_a_failed_packing_offers_archiving_again(closed_case, world, monkeypatch):
    from sanxiang.cases import hooks

    def broken(*, case):
        raise OSError("disk full")

    monkeypatch.setattr(hooks.case_file_packer, "_handlers", [broken])
    with at(DECIDED + dt.timedelta(days=5)):
        case = case_file_archive(actor=world.people.clerk, case=closed_case)  # the worker runs it at once here
    assert case.stage == Stage.CLOSED and case.archive_requested_at is None
