"""Full verification of the ledger: recompute every leaf and node, check every checkpoint and their consistency.

Streams the log in index order in constant memory. The signed checkpoints are the trust anchors: a changed entry
shows as a leaf that no longer matches the tree and a root that no longer matches the signature.

Two limits, reported rather than hidden. Entries after the latest checkpoint (the unsigned tail) are anchored by
nothing: someone who can write the database can rewrite them, recompute their nodes, and the next checkpoint signs
the rewrite. And whoever can write the database can delete checkpoints too, turning signed entries back into a
tail. Checkpoints kept outside the system (`external`) close both gaps: the log recomputed from its entries must
reach each of their roots.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from sanxiang.ledger import merkle, witnessing
from sanxiang.ledger.models import Checkpoint, Entry, Node
from sanxiang.ledger.selectors import consistency_proof, log_size, unsigned_tail
from sanxiang.ledger.services import checkpoint_body
from sanxiang.ledger.signing import NoteError, Verifier, open_note
from sanxiang.ledger.timestamping import token_problems
from sanxiang.ledger.witnessing import Standing

BATCH = 5000


@dataclass
class Problem:
    kind: str  # entry_missing, entry_altered, entry_out_of_order, node_altered, checkpoint_root_mismatch,
    # bad_signature, not_append_only, external_checkpoint_mismatch
    index: int | None
    message: str


@dataclass(frozen=True)
class SavedCheckpoint:
    """A checkpoint someone kept outside the system (its signature already checked): the size and root it vouches
    for, and where it came from, to name it in a report."""

    size: int
    root: bytes
    source: str


@dataclass
class Tail:
    """The entries no stored checkpoint covers: `count` of them from `from_index`, the first written `since`;
    `overdue` once that is longer ago than LEDGER_CHECKPOINT_SECONDS (the process that should sign is gone)."""

    from_index: int
    count: int
    since: dt.datetime | None
    overdue: bool

    def as_dict(self) -> dict:
        since = self.since.astimezone(dt.UTC).isoformat() if self.since else None
        return {"from_index": self.from_index, "count": self.count, "since": since, "overdue": self.overdue}


@dataclass
class Report:
    size: int = 0
    checkpoints: int = 0
    external: int = 0
    tail: Tail | None = None
    witnessed: Standing | None = None  # the latest checkpoint's, when witnesses are configured
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        """failed (a problem), overdue (a tail older than the bound), unsigned_tail (a tail within it), under_quorum
        (the latest checkpoint lacks the witnesses' quorum), or ok."""
        if self.problems:
            return "failed"
        if self.tail is not None:
            return "overdue" if self.tail.overdue else "unsigned_tail"
        if self.witnessed is not None and not self.witnessed.met:
            return "under_quorum"
        return "ok"

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "status": self.status,
            "size": self.size,
            "checkpoints": self.checkpoints,
            "external_checkpoints": self.external,
            "tail": self.tail.as_dict() if self.tail else None,
            "witnesses": asdict(self.witnessed) if self.witnessed else None,
            "problems": [asdict(problem) for problem in self.problems],
        }


def checkpoint_read(note: str, *, verifier: Verifier, origin: str, source: str) -> SavedCheckpoint:
    """The size and root of a checkpoint note kept outside the system; NoteError if it is not one of this log's
    checkpoints signed by `verifier`."""
    text = open_note(note, verifier)
    lines = text.split("\n")
    # C2SP tlog-checkpoint: origin, size, root, then optional extension lines.
    if len(lines) < 4 or lines[0] != origin:
        raise NoteError(f"{source}: not a checkpoint of {origin}")
    if not lines[1].isdigit() or (len(lines[1]) > 1 and lines[1][0] == "0"):
        raise NoteError(f"{source}: the tree size {lines[1]!r} is not a decimal number")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise NoteError(f"{source}: the root hash is not valid base64") from None
    if len(root) != merkle.HASH_SIZE:
        raise NoteError(f"{source}: the root hash is not {merkle.HASH_SIZE} bytes")
    return SavedCheckpoint(int(lines[1]), root, source)


def verify_log(
    *,
    verifier: Verifier | None,
    origin: str,
    external: Sequence[SavedCheckpoint] = (),
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check the whole log; the report lists every problem found, the first bad index first, and the unsigned tail.

    `verifier` may be None only for a log without checkpoints (there is no signature to check yet). `external` are
    checkpoints kept outside (see checkpoint_read): the log recomputed from its entries must reach their roots.
    """
    report = Report(external=len(external))
    # The head is read first and entries only up to it, so appends committed meanwhile are not taken for gaps.
    head = log_size()
    checkpoints = list(Checkpoint.objects.filter(size__lte=head).order_by("size"))
    report.checkpoints = len(checkpoints)
    _check_signatures(checkpoints, verifier, origin, report)
    report.problems += [Problem("bad_cosignature", None, text) for text in witnessing.cosignature_problems(checkpoints)]
    report.problems += [Problem("bad_timestamp", None, text) for text in token_problems(checkpoints)]
    for checkpoint in checkpoints:
        if checkpoint.hash_algorithm != merkle.algorithm():
            report.problems.append(
                Problem(
                    "hash_mismatch",
                    None,
                    f"checkpoint {checkpoint.size} was made with {checkpoint.hash_algorithm}, this process hashes "
                    f"with {merkle.algorithm()}: set SANXIANG_LEDGER_HASH={checkpoint.hash_algorithm}",
                )
            )
    pending = {checkpoint.size: checkpoint for checkpoint in checkpoints}
    saved: dict[int, list[SavedCheckpoint]] = {}
    for checkpoint in external:
        saved.setdefault(checkpoint.size, []).append(checkpoint)
    frontier: list[bytes] = []
    if 0 in pending:
        _check_root(pending.pop(0), merkle.empty_root(), report)
    for checkpoint in saved.pop(0, []):
        _check_saved(checkpoint, merkle.empty_root(), report)
    for index, body, columns, stored_nodes in _stream(head):
        if index != report.size:
            report.problems.append(Problem("entry_missing", report.size, f"entry {report.size} is missing"))
            return report
        _check_entry(index, body, columns, report)
        created = merkle.append_to_frontier(frontier, index, merkle.leaf_hash(body))
        for (level, node_index, digest), stored in zip(created, stored_nodes, strict=False):
            if digest != stored:
                kind = "entry_altered" if level == 0 else "node_altered"
                report.problems.append(
                    Problem(
                        kind,
                        index,
                        f"entry {index} does not match its hash in the tree (level {level}, node {node_index})",
                    )
                )
        report.size += 1
        if report.size in pending or report.size in saved:
            root = merkle.root_from_frontier(frontier)
            if report.size in pending:
                _check_root(pending.pop(report.size), root, report)
            for checkpoint in saved.pop(report.size, []):
                _check_saved(checkpoint, root, report)
        if progress and report.size % BATCH == 0:
            progress(report.size)
    for size in sorted(pending):
        report.problems.append(
            Problem("entry_missing", report.size, f"checkpoint {size} was signed but the log ends at {report.size}")
        )
    for size in sorted(saved):
        for checkpoint in saved[size]:
            report.problems.append(
                Problem(
                    "entry_missing",
                    report.size,
                    f"the checkpoint in {checkpoint.source} covers {size} entries but the log ends at {report.size}",
                )
            )
    _check_consistency(checkpoints, report)
    _check_saved_consistency(external, checkpoints, report)
    report.tail = _tail(head)
    if witnessing.witnesses() and checkpoints:
        report.witnessed = witnessing.standing(checkpoints[-1])
    if head > report.size and not any(problem.kind == "entry_missing" for problem in report.problems):
        report.problems.append(Problem("entry_missing", report.size, f"the log head counts {head} entries"))
    report.problems.sort(key=lambda problem: (problem.index is None, problem.index or 0))
    return report


def _stream(size: int):
    """(index, body, indexed columns, stored node hashes created by that leaf), in index order, below `size`."""
    entry, node = Entry._meta, Node._meta
    entry_sql = (
        f'SELECT "idx", "agency_code", "actor", "action", "subject_type", "subject_id", "time", "public", "body" '
        f'FROM "{entry.db_table}" WHERE "idx" >= %s AND "idx" < {int(size)} ORDER BY "idx" LIMIT {BATCH}'
    )
    node_sql = f'SELECT "position", "hash" FROM "{node.db_table}" WHERE "position" >= %s ORDER BY "position" LIMIT %s'
    next_index = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(entry_sql, [next_index])
            rows = cursor.fetchall()
            if not rows:
                return
            first, last = rows[0][0], rows[-1][0]
            start = merkle.position(0, first)
            end = merkle.position(merkle.completed_nodes(last), last >> merkle.completed_nodes(last))
            cursor.execute(node_sql, [start, end - start + 1])
            stored = dict(cursor.fetchall())
            for index, agency, actor, action, subject_type, subject_id, time, public, body in rows:
                created = 1 + merkle.completed_nodes(index)
                at = merkle.position(0, index)
                nodes = [bytes(stored.get(at + offset, b"")) for offset in range(created)]
                columns = (agency, actor, action, f"{subject_type}:{subject_id}", _utc_text(time), bool(public))
                yield index, bytes(body), columns, nodes
            next_index = last + 1


@functools.lru_cache(maxsize=4096)
def _quoted_slow(value: str | None) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _quoted(value: str | None) -> bytes:
    # Identifiers ("agencies.certificate:45") need no escaping; anything else goes through json.dumps.
    if value is not None and value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return b'"' + value.encode() + b'"'
    return _quoted_slow(value)


_INDEX_KEY = b'"index":'


def _utc_text(value) -> str:
    """The time column as the body writes it (SQLite returns stored text, PostgreSQL a datetime; both UTC)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_entry(index: int, body: bytes, columns: tuple, report: Report) -> None:
    """The body's own index, and its agency, actor, action and subject equal to the indexed columns.

    Checked on the canonical bytes (keys are sorted: action, actor, agency, data, index, subject, time) rather than
    by parsing, which would cost more than hashing. The last '"index":' is the top-level one: inside strings
    quotes are escaped, and only "subject" and "time" follow it.
    """
    agency, actor, action, subject, time, public = columns
    at = body.rfind(_INDEX_KEY)
    end = body.find(b",", at)
    claimed = body[at + len(_INDEX_KEY) : end]
    if at < 0 or claimed != str(index).encode():
        report.problems.append(
            Problem(
                "entry_out_of_order", index, f"entry {index} holds the body of entry {claimed.decode(errors='replace')}"
            )
        )
        return
    head = b'{"action":' + _quoted(action) + b',"actor":' + _quoted(actor) + b',"agency":' + _quoted(agency or None)
    tail = b',"subject":' + _quoted(subject) + b',"time":"' + time.encode() + b'"}'
    if (
        not body.startswith(head + b',"data":')
        or not body.endswith(tail)
        or body.rfind(tail) != end
        or (b'"public":true' in body) != public
    ):
        report.problems.append(
            Problem("entry_altered", index, f"entry {index}'s indexed columns differ from its signed body")
        )


def _check_root(checkpoint: Checkpoint, root: bytes, report: Report) -> None:
    if bytes(checkpoint.root) != root:
        report.problems.append(
            Problem(
                "checkpoint_root_mismatch",
                max(checkpoint.size - 1, 0),
                f"the log's root at size {checkpoint.size} differs from the signed checkpoint",
            )
        )


def _check_saved(checkpoint: SavedCheckpoint, root: bytes, report: Report) -> None:
    if checkpoint.root != root:
        report.problems.append(
            Problem(
                "external_checkpoint_mismatch",
                max(checkpoint.size - 1, 0),
                f"the log's first {checkpoint.size} entries no longer hash to the root of the checkpoint in "
                f"{checkpoint.source}: an entry below {checkpoint.size} was changed after it was signed",
            )
        )


def _check_saved_consistency(external, checkpoints, report: Report) -> None:
    """What an outsider with only the public API would check: the consistency proof (from the stored nodes) from
    each saved checkpoint to the latest stored one."""
    latest = checkpoints[-1] if checkpoints else None
    for checkpoint in external:
        if latest is None or not 0 < checkpoint.size <= latest.size:
            continue
        try:
            proof = consistency_proof(checkpoint.size, latest.size)["proof"]
            merkle.verify_consistency(
                checkpoint.size, latest.size, checkpoint.root, bytes(latest.root), [bytes.fromhex(h) for h in proof]
            )
        except merkle.ProofError as error:
            report.problems.append(
                Problem(
                    "not_append_only",
                    checkpoint.size,
                    f"the checkpoint in {checkpoint.source} and stored checkpoint {latest.size} are not consistent: "
                    f"{error}",
                )
            )


def _tail(head: int) -> Tail | None:
    tail = unsigned_tail(size=head)
    if tail is None:
        return None
    since = tail["since"]
    overdue = since is not None and timezone.now() - since > dt.timedelta(seconds=settings.LEDGER_CHECKPOINT_SECONDS)
    return Tail(from_index=tail["from_index"], count=tail["count"], since=since, overdue=overdue)


def _check_signatures(checkpoints, verifier: Verifier, origin: str, report: Report) -> None:
    for checkpoint in checkpoints:
        try:
            text = open_note(checkpoint.note, verifier)
        except NoteError as error:
            report.problems.append(Problem("bad_signature", None, f"checkpoint {checkpoint.size}: {error}"))
            continue
        if text != checkpoint_body(origin=origin, size=checkpoint.size, root=bytes(checkpoint.root)):
            report.problems.append(
                Problem("bad_signature", None, f"checkpoint {checkpoint.size}: the signed text is not this checkpoint")
            )


def _check_consistency(checkpoints, report: Report) -> None:
    nonempty = [checkpoint for checkpoint in checkpoints if checkpoint.size > 0]
    for older, newer in zip(nonempty, nonempty[1:], strict=False):
        try:
            proof = consistency_proof(older.size, newer.size)["proof"]
            merkle.verify_consistency(
                older.size, newer.size, bytes(older.root), bytes(newer.root), [bytes.fromhex(h) for h in proof]
            )
        except merkle.ProofError as error:
            report.problems.append(
                Problem(
                    "not_append_only",
                    older.size,
                    f"checkpoints {older.size} and {newer.size} are not consistent: {error}",
                )
            )
