"""The archived case file (一案一卷) as a BagIt package (RFC 8493) that a court can verify offline.

Payload: the case summary, every document (DOCX and PDF), every evidence file, the case's ledger entries, the
ledger tiles (C2SP tlog-tiles) their inclusion proofs are computed from, one signed checkpoint with the witnesses'
cosignatures and its RFC 3161 time-stamp token, the verifier key, the witness policy and the TSA's roots. Verification needs no database and no server: bag fixity,
the checkpoint's signature and its witness quorum, every entry's proof from the tiles, and every file's hash
against the hash its ledger entry recorded. Bags made before the tiles carry each entry's proof instead; they
verify as they did.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from django.db.models import Q
from django.utils import timezone

from sanxiang.cases.models import Case, DailyPenalty
from sanxiang.core.blobs import blob_open
from sanxiang.documents.models import Document
from sanxiang.documents.services import document_render_pdf
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger import merkle, witnessing
from sanxiang.ledger.cosign import require_quorum
from sanxiang.ledger.keys import parse_verifier
from sanxiang.ledger.models import Entry, Timestamp
from sanxiang.ledger.services import checkpoint_create, ledger_signer
from sanxiang.ledger.signing import NoteError, open_note
from sanxiang.ledger.tiles import TileNodes, stored_tile
from sanxiang.ledger.timestamping import (
    TimestampError,
    checkpoint_timestamp,
    configured_roots,
    load_roots,
    verify_token,
)

BAGIT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
CHUNK = 1024 * 1024


def _encode(path: str) -> str:
    """RFC 8493 §2.1.3: percent-encode %, CR and LF in manifest paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _decode(path: str) -> str:
    return path.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def _copy(source, target: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _subjects(case: Case) -> tuple[list[Document], list[EvidenceItem], Q]:
    """The case's documents and evidence, and a filter for every ledger entry about the case or anything of it."""
    related = {"cases.case": {case.pk}}
    for rows, label in (
        (case.preservations, "cases.preservation"),
        (case.seizures, "cases.seizure"),
        (case.discussions, "cases.collectivediscussion"),
        (case.correction_orders, "cases.correctionorder"),
        (DailyPenalty.objects.filter(case=case), "cases.dailypenalty"),
        (case.production_measures, "cases.productionmeasure"),
    ):
        related[label] = set(rows.values_list("pk", flat=True))
    if case.inspection_id:
        related["cases.inspection"] = {case.inspection_id}
    subjects = Q()
    for label, keys in related.items():
        subjects |= Q(subject_type=label, subject_id__in=[str(key) for key in keys])
    documents = list(Document.objects.filter(subjects).order_by("id"))
    evidence = list(
        EvidenceItem.objects.filter(
            Q(case=case) | Q(inspection_id=case.inspection_id, case__isnull=True)
            if case.inspection_id
            else Q(case=case)
        ).order_by("inspection", "number")
    )
    entries = (
        subjects
        | Q(subject_type="documents.document", subject_id__in=[str(d.pk) for d in documents])
        | Q(subject_type="evidence.evidenceitem", subject_id__in=[str(item.pk) for item in evidence])
    )
    return documents, evidence, entries


def _entry_index(entries: list[Entry], subject: str, actions: tuple[str, ...]) -> int | None:
    for entry in reversed(entries):
        if f"{entry.subject_type}:{entry.subject_id}" == subject and entry.action in actions:
            return entry.index
    return None


def export_case(case: Case, outdir: Path) -> Path:
    """Write the case's bag into `outdir` (which must not exist yet) and return it."""
    documents, evidence, subjects = _subjects(case)
    for document in documents:
        if not document.pdf_sha256:
            document_render_pdf(document_id=document.pk)
    documents = [Document.objects.get(pk=document.pk) for document in documents]
    checkpoint = checkpoint_create()
    if witnessing.witnesses():
        witnessing.checkpoint_witness(size=checkpoint.size)  # the bag carries what the witnesses say now
    checkpoint_timestamp(size=checkpoint.size)  # and the trusted time, when a TSA is configured and answers
    token = Timestamp.objects.filter(checkpoint=checkpoint).values_list("response", flat=True).first()
    entries = list(Entry.objects.filter(subjects, index__lt=checkpoint.size).order_by("index"))
    outdir.mkdir(parents=True)
    data, files = outdir / "data", {}
    summary = {
        "case": {
            "number": case.number,
            "title": case.title,
            "agency": case.agency.name,
            "agency_code": case.agency.code,
            "party": case.party.name,
            "stage": case.stage,
            "filed_on": str(case.filed_on or ""),
            "decision_number": case.decision_number,
            "decided_on": str(case.decided_on or ""),
            "closed_on": str(case.closed_on or ""),
        },
        "documents": [],
        "evidence": [],
        "checkpoint_size": checkpoint.size,
        "tree_hash": checkpoint.hash_algorithm,  # the log's (SHA-256, or SM3 in 国密 mode): the verifier hashes with it
    }
    for position, document in enumerate(documents, start=1):
        stem = f"documents/{position:03d}-{document.get_doc_type_display()}{('-' + document.number) if document.number else ''}"
        row = {"type": document.doc_type, "number": document.number, "issued_on": str(document.issued_on)}
        for suffix, digest, actions in (
            ("docx", document.docx_sha256, ("document.issue",)),
            ("pdf", document.pdf_sha256, ("document.pdf",)),
        ):
            name = f"{stem}.{suffix}"
            with blob_open(digest) as source:
                files[name] = _copy(source, data / name)
            row[suffix] = {
                "file": name,
                "sha256": digest,
                "ledger_index": _entry_index(entries, f"documents.document:{document.pk}", actions),
            }
        summary["documents"].append(row)
    for item in evidence:
        # "%" must be percent-encoded in manifests (RFC 8493 §2.1.3), which some validators do not decode; a
        # full-width ％ keeps every validator happy. The original name is kept in case.json.
        name = f"evidence/{item.number:03d}-{item.original_name.replace('%', '％')}"
        with blob_open(item.sha256) as source:
            files[name] = _copy(source, data / name)
        latest = item.annotations.first()
        summary["evidence"].append(
            {
                "file": name,
                "original_name": item.original_name,
                "number": item.number,
                "kind": item.kind,
                "act": item.act,
                "sha256": item.sha256,
                "captured_start": str(item.captured_start or ""),
                "description": latest.description,
                "speakers": latest.speakers,
                "dialogue": latest.dialogue,
                "ledger_index": _entry_index(entries, f"evidence.evidenceitem:{item.pk}", ("evidence.ingest",)),
            }
        )
    tiles = TileNodes(checkpoint.size, lambda path: stored_tile(path, checkpoint.size))
    tiles.root()  # the tiles that give the root: a verifier checks them against the signed root first
    lines = []
    for entry in entries:
        tiles.inclusion(entry.index)  # reads the tiles this entry's proof needs
        lines.append(json.dumps({"index": entry.index, "body": bytes(entry.body).decode()}, ensure_ascii=False))
    binary = {f"ledger/{path}": data for path, data in tiles.read_tiles.items()}
    if token is not None:
        binary["ledger/checkpoint.tsr"] = bytes(token)
    if configured_roots():
        binary["ledger/tsa-roots.pem"] = b"".join(root.public_bytes(Encoding.PEM) for root in configured_roots())
    for name, content in binary.items():
        target = data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        files[name] = (hashlib.sha256(content).hexdigest(), len(content))
    for name, text in (
        ("case.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n"),
        ("ledger/entries.jsonl", "\n".join(lines) + "\n"),
        ("ledger/checkpoint.txt", witnessing.witnessed_note(checkpoint)),
        ("ledger/verifier-key.txt", f"{ledger_signer().verifier}\n"),
        ("ledger/witnesses.txt", witnessing.policy_text()),
    ):
        target = data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        files[name] = (hashlib.sha256(text.encode()).hexdigest(), len(text.encode()))
    _write_tags(outdir, case, files)
    return outdir


def _write_tags(outdir: Path, case: Case, files: dict[str, tuple[str, int]]) -> None:
    manifest = "".join(f"{digest}  {_encode('data/' + name)}\n" for name, (digest, _size) in sorted(files.items()))
    oxum = f"{sum(size for _digest, size in files.values())}.{len(files)}"
    info = (
        f"Source-Organization: {case.agency.name}\nExternal-Identifier: {case.number}\n"
        f"Bagging-Date: {timezone.localdate().isoformat()}\nPayload-Oxum: {oxum}\n"
        f"External-Description: {case.title}\nBag-Software-Agent: sanxiang\n"
    )
    tags = {"bagit.txt": BAGIT, "bag-info.txt": info, "manifest-sha256.txt": manifest}
    for name, text in tags.items():
        (outdir / name).write_text(text, encoding="utf-8")
    (outdir / "tagmanifest-sha256.txt").write_text(
        "".join(f"{hashlib.sha256(text.encode()).hexdigest()}  {name}\n" for name, text in sorted(tags.items())),
        encoding="utf-8",
    )


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    checked_files: int = 0
    checked_entries: int = 0
    stamped_at: dt.datetime | None = None  # the trusted time of the bag's checkpoint, when it carries a token
    # anchors the reader did not bring, taken from the bag itself: a forger could have made them with it
    from_the_bag: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _manifest(path: Path) -> dict[str, str]:
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        rows[_decode(name)] = digest
    return rows


def verify_bag(
    bag: Path, *, key: str | None = None, witnesses: str | None = None, tsa_roots: bytes | None = None
) -> Verdict:
    """Check a bag with nothing but its own files (and, preferably, a verifier key, a witness policy and the TSA's
    root certificates obtained independently: the bag's own could have been made with the bag)."""
    verdict = Verdict()
    problems = verdict.problems
    if not (bag / "bagit.txt").is_file() or not (bag / "manifest-sha256.txt").is_file():
        problems.append("not a BagIt bag (bagit.txt or manifest-sha256.txt missing)")
        return verdict
    tags = _manifest(bag / "tagmanifest-sha256.txt") if (bag / "tagmanifest-sha256.txt").is_file() else {}
    for name, digest in tags.items():
        if not (bag / name).is_file() or _sha256(bag / name) != digest:
            problems.append(f"tag file {name} does not match tagmanifest-sha256.txt")
    manifest = _manifest(bag / "manifest-sha256.txt")
    present = {str(path.relative_to(bag)) for path in (bag / "data").rglob("*") if path.is_file()}
    for name in sorted(present - set(manifest)):
        problems.append(f"{name} is not in the manifest")
    total = 0
    for name, digest in manifest.items():
        path = bag / name
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        total += path.stat().st_size
        verdict.checked_files += 1
        if _sha256(path) != digest:
            problems.append(f"{name} does not match its manifest checksum")
    info = (
        dict(
            line.split(": ", 1)
            for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
            if ": " in line
        )
        if (bag / "bag-info.txt").is_file()
        else {}
    )
    if info.get("Payload-Oxum") != f"{total}.{len(manifest)}":
        problems.append(f"Payload-Oxum {info.get('Payload-Oxum')} does not match {total}.{len(manifest)}")
    _verify_ledger(bag / "data", key, witnesses, tsa_roots, verdict)
    return verdict


def _verify_ledger(
    data: Path, key: str | None, witnesses: str | None, tsa_roots: bytes | None, verdict: Verdict
) -> None:
    problems = verdict.problems
    ledger = data / "ledger"
    tree_hash = json.loads((data / "case.json").read_text(encoding="utf-8")).get("tree_hash", "sha256")
    if tree_hash not in merkle.HASHES:
        problems.append(f"case.json: unknown tree hash {tree_hash!r}")
        return
    if key is None:
        verdict.from_the_bag.append("verifier key")
    try:
        verifier = parse_verifier(key or (ledger / "verifier-key.txt").read_text(encoding="utf-8"))
        note = (ledger / "checkpoint.txt").read_text(encoding="utf-8")
        text = open_note(note, verifier)
        _origin, size_line, root_line = text.splitlines()[:3]
        size, root = int(size_line), base64.b64decode(root_line)
    except (OSError, NoteError, ValueError) as error:
        problems.append(f"checkpoint: {error}")
        return
    _verify_witnesses(ledger, note, witnesses, verdict)
    _verify_timestamp(ledger, text, tsa_roots, verdict)
    with merkle.using(tree_hash):
        recorded = _verified_entries(ledger, size, root, verdict)
    _verify_files(data, recorded, problems)


def _verified_entries(ledger: Path, size: int, root: bytes, verdict: Verdict) -> dict[int, dict]:
    """The bag's entries whose inclusion in the signed tree verifies, by index (their proofs from the tiles)."""
    problems = verdict.problems
    tiles = TileNodes(size, lambda path: (ledger / path).read_bytes())
    lines = (ledger / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    if any("proof" not in row for row in rows):  # a bag with tiles (before them, each entry carried its proof)
        try:
            if tiles.root() != root:
                problems.append("ledger tiles: the root they give is not the signed checkpoint's")
        except (merkle.ProofError, OSError) as error:
            problems.append(f"ledger tiles: {error}")
    recorded: dict[int, dict] = {}
    for row in rows:
        body = row["body"].encode()
        try:
            # a bag from before the tiles carries each entry's proof; a bag with tiles computes it from them
            proof = [bytes.fromhex(h) for h in row["proof"]] if "proof" in row else tiles.inclusion(row["index"])
            merkle.verify_inclusion(row["index"], size, merkle.leaf_hash(body), proof, root)
        except (merkle.ProofError, ValueError, OSError) as error:
            problems.append(f"ledger entry {row['index']}: {error}")
            continue
        recorded[row["index"]] = json.loads(body)
        verdict.checked_entries += 1
    return recorded


def _verify_files(data: Path, recorded: dict[int, dict], problems: list[str]) -> None:
    """Every document and evidence file's hash against the one its (verified) ledger entry recorded."""
    summary = json.loads((data / "case.json").read_text(encoding="utf-8"))
    manifest = _manifest(data.parent / "manifest-sha256.txt")
    references = [(row["file"], row["ledger_index"]) for row in summary["evidence"]]
    for document in summary["documents"]:
        references += [(document[kind]["file"], document[kind]["ledger_index"]) for kind in ("docx", "pdf")]
    for name, index in references:
        entry = recorded.get(index)
        if entry is None:
            problems.append(f"{name}: its ledger entry {index} is not in the bag or does not verify")
        elif entry["data"].get("sha256") != manifest.get(f"data/{name}"):
            problems.append(f"{name}: its hash differs from the one ledger entry {index} recorded")


def _verify_witnesses(ledger: Path, note: str, witnesses: str | None, verdict: Verdict) -> None:
    """The checkpoint's cosignatures against the witness policy (given, else the bag's; none in a bag made before
    witnesses)."""
    policy = witnesses
    if policy is None and (ledger / "witnesses.txt").is_file():
        policy = (ledger / "witnesses.txt").read_text(encoding="utf-8")
        verdict.from_the_bag.append("witness policy")
    if policy is None:
        return
    try:
        quorum, keys = witnessing.parse_policy(policy)
        require_quorum(note, keys, quorum)
    except NoteError as error:
        verdict.problems.append(f"checkpoint witnesses: {error}")


def _verify_timestamp(ledger: Path, text: str, tsa_roots: bytes | None, verdict: Verdict) -> None:
    """The checkpoint's RFC 3161 token, if the bag carries one, under the roots given (else the bag's)."""
    token = ledger / "checkpoint.tsr"
    if not token.is_file():
        return
    if tsa_roots is None:
        verdict.from_the_bag.append("TSA roots")
    try:
        roots = load_roots(tsa_roots if tsa_roots is not None else (ledger / "tsa-roots.pem").read_bytes())
        verdict.stamped_at = verify_token(token.read_bytes(), text.encode(), roots)
    except (OSError, TimestampError) as error:
        verdict.problems.append(f"checkpoint timestamp: {error}")
