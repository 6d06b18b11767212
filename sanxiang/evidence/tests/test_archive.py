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


def test_a_changed_tile_or_checkpoint_is_caught(closed_case, tmp_path):
    bag = export_case(closed_case, tmp_path / "bag")
    ledger = bag / "data" / "ledger"
    rows = [json.loads(line) for line in (ledger / "entries.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(set(row) == {"index", "body"} for row in rows)  # the proofs come from the tiles
    tile = min(path for path in (ledger / "tile" / "0").rglob("*") if path.is_file())
    hashes = bytearray(tile.read_bytes())
    hashes[0] ^= 1
    _rewrite(bag, tile, bytes(hashes))
    assert [problem for problem in verify_bag(bag).problems if problem.startswith("ledger entry")]

    other = export_case(closed_case, tmp_path / "other")
    checkpoint = other / "data" / "ledger" / "checkpoint.txt"
    note = checkpoint.read_text(encoding="utf-8").splitlines(keepends=True)
    note[1] = f"{int(note[1]) + 1}\n"
    _rewrite(other, checkpoint, "".join(note))
    assert any(problem.startswith("checkpoint") for problem in verify_bag(other).problems)


def test_a_bag_made_before_the_tiles_verifies_by_its_proofs_and_a_changed_proof_is_caught(closed_case, tmp_path):
    from sanxiang.ledger.selectors import inclusion_proof

    bag = export_case(closed_case, tmp_path / "bag")
    ledger = bag / "data" / "ledger"
    size = int((ledger / "checkpoint.txt").read_text(encoding="utf-8").splitlines()[1])
    rows = [json.loads(line) for line in (ledger / "entries.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:  # the rows as bags carried them before: each with its proof and leaf hash
        row.update({key: inclusion_proof(row["index"], size)[key] for key in ("leaf_hash", "proof")})
    for path in sorted((ledger / "tile").rglob("*"), reverse=True):
        (path.unlink if path.is_file() else path.rmdir)()
    (ledger / "witnesses.txt").unlink()
    kept = [line for line in (bag / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()]
    kept = [line for line in kept if "data/ledger/tile/" not in line and "witnesses.txt" not in line]
    (bag / "manifest-sha256.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    _rewrite(bag, ledger / "entries.jsonl", "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
    assert verify_bag(bag).ok, verify_bag(bag).problems
    rows[3]["proof"][0] = "00" * 32
    _rewrite(bag, ledger / "entries.jsonl", "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
    assert any(f"ledger entry {rows[3]['index']}" in problem for problem in verify_bag(bag).problems)


def test_the_bag_carries_the_witnesses_and_its_verifier_requires_their_quorum(closed_case, tmp_path, settings):
    import socket

    from sanxiang.ledger.cosign import Cosigner
    from sanxiang.testing.witnesses import served_witness

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    absent = Cosigner.generate("w2.example.cn").key
    with served_witness(tmp_path / "w1", name="w1.example.cn", log_key=str(ledger_signer().verifier)) as (url, w1):
        settings.LEDGER_WITNESSES = [
            (url, str(w1.cosigner.key)),
            (f"http://127.0.0.1:{closed.getsockname()[1]}", str(absent)),
        ]
        settings.LEDGER_WITNESS_QUORUM = 1
        bag = export_case(closed_case, tmp_path / "bag")  # w1 cosigns as the bag is made; w2 is down
    closed.close()
    note = (bag / "data" / "ledger" / "checkpoint.txt").read_text(encoding="utf-8")
    assert "\u2014 w1.example.cn " in note
    assert verify_bag(bag).ok, verify_bag(bag).problems  # the bag's own policy: one of two
    strict = f"quorum 2\n{w1.cosigner.key}\n{absent}\n"
    assert verify_bag(bag, witnesses=strict).problems == [
        "checkpoint witnesses: cosigned by 1 of the 2 witnesses; 2 required"
    ]
    policy = tmp_path / "policy.txt"
    policy.write_text(strict, encoding="utf-8")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("archive", "verify", str(bag), "--witnesses", str(policy), stdout=out)
    assert "FAILED: checkpoint witnesses: cosigned by 1 of the 2 witnesses; 2 required" in out.getvalue()
    # a policy of the bag's own made weaker by a forger is no help when the reader brings theirs
    _rewrite(bag, bag / "data" / "ledger" / "witnesses.txt", "quorum 0\n")
    assert not verify_bag(bag, witnesses=strict).ok


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


def test_the_bag_carries_the_checkpoints_trusted_time_and_its_verifier_checks_it(closed_case, tmp_path, settings):
    from sanxiang.testing.tsa import make_authority, served_authority

    with served_authority(tmp_path / "tsa") as (url, roots, _server):
        settings.LEDGER_TSA_URL, settings.LEDGER_TSA_ROOTS = url, roots
        bag = export_case(closed_case, tmp_path / "bag")
    verdict = verify_bag(bag)
    assert verdict.ok, verdict.problems
    assert verdict.stamped_at is not None and (bag / "data" / "ledger" / "checkpoint.tsr").is_file()
    out = StringIO()
    call_command("archive", "verify", str(bag), "--tsa-roots", str(roots), stdout=out)
    assert f"the checkpoint existed by {verdict.stamped_at.isoformat(timespec='seconds')}" in out.getvalue()
    # the reader's own roots: a token from another authority is refused
    other = make_authority(tmp_path / "other").read_bytes()
    assert [p for p in verify_bag(bag, tsa_roots=other).problems if p.startswith("checkpoint timestamp:")]
    # a token moved onto another bag's checkpoint does not cover it
    from django.db import transaction

    from sanxiang.ledger.services import ledger_append

    stolen = (bag / "data" / "ledger" / "checkpoint.tsr").read_bytes()
    with transaction.atomic():  # the log grows: the next bag has a checkpoint of its own, without a token
        ledger_append(actor=None, agency="", action="test.event", subject=("test", "1"))
    settings.LEDGER_TSA_URL = ""
    second = export_case(closed_case, tmp_path / "second")
    assert not (second / "data" / "ledger" / "checkpoint.tsr").exists()
    (second / "data" / "ledger" / "checkpoint.tsr").write_bytes(b"")
    with (second / "manifest-sha256.txt").open("a", encoding="utf-8") as manifest:
        manifest.write(f"{'0' * 64}  data/ledger/checkpoint.tsr\n")
    _rewrite(second, second / "data" / "ledger" / "checkpoint.tsr", stolen)
    assert [p for p in verify_bag(second, tsa_roots=roots.read_bytes()).problems if "timestamp" in p]


def test_a_bag_made_while_the_tsa_is_down_is_made_and_says_it_has_no_time(closed_case, tmp_path, settings):
    from sanxiang.testing.tsa import served_authority

    with served_authority(tmp_path / "tsa") as (url, roots, server):
        server.down = True
        settings.LEDGER_TSA_URL, settings.LEDGER_TSA_ROOTS = url, roots
        bag = export_case(closed_case, tmp_path / "bag")
    verdict = verify_bag(bag)
    assert verdict.ok and verdict.stamped_at is None
    out = StringIO()
    call_command("archive", "verify", str(bag), stdout=out)
    assert "no trusted timestamp in the bag" in out.getvalue()


@pytest.fixture
def gm_mode(settings, tmp_path, db):
    """A log created in 国密 mode (asked for before the case, whose making appends the first entries)."""
    from sanxiang.testing.ledger import emptied_log, gm_log

    emptied_log()
    with gm_log(settings, tmp_path / "sm2.key"):
        yield


def test_a_bag_of_a_log_in_gm_mode_verifies_anywhere_and_says_what_it_took_from_itself(gm_mode, closed_case, tmp_path):
    from sanxiang.ledger import merkle

    bag = export_case(closed_case, tmp_path / "bag")
    assert json.loads((bag / "data" / "case.json").read_text(encoding="utf-8"))["tree_hash"] == "sm3"
    key = str(ledger_signer().verifier)
    with merkle.using("sha256"):  # a reader's machine in the default mode
        verdict = verify_bag(bag, key=key)
        assert verdict.ok, verdict.problems
        assert verdict.from_the_bag == ["witness policy"]  # the key was the reader's own
        out = StringIO()
        call_command("archive", "verify", str(bag), stdout=out)
    assert "checked against the bag's own verifier key, witness policy, not independently" in out.getvalue()
