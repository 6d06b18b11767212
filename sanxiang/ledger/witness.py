"""A transparency-log witness (C2SP tlog-witness, https://c2sp.org/tlog-witness): an independent party that cosigns
a log's checkpoint only when it is consistent with the last one it cosigned, so that a log cannot show two
histories to two audiences unseen. Run by someone other than the log's operator (`sanxiang witness serve`).

Its state is a folder of its own, apart from any Sanxiang database: the key (`witness.key`, owner-only) and a
SQLite file with the logs it trusts (origin, verifier key, the size and root it last cosigned) and its alarms —
every checkpoint it refused as inconsistent, kept as proof of the log's misbehaviour. The answer to a submission
follows the protocol: 200 with the cosignature line; 400 malformed; 403 no valid signature by the log's key; 404
unknown log; 409 (body: the size it holds, `text/x.tlog.size`) when the old size is not the one it holds, or when
a checkpoint of the size it holds carries another root — a split view; 422 when the consistency proof fails.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sanxiang.core.files import make_private_dir
from sanxiang.ledger import merkle
from sanxiang.ledger.cosign import Cosigner
from sanxiang.ledger.keys import parse_verifier
from sanxiang.ledger.signing import NoteError, note_signatures, open_note, require_private

logger = logging.getLogger("sanxiang.ledger.witness")

MAX_BODY = 64 * 1024
MAX_PROOF = 63  # consistency proof lines a client may send
SIZE = re.compile(r"0|[1-9]\d{0,18}")
MAX_SIZE = 2**63 - 1  # what the state's integer column holds
SCHEMA = """
CREATE TABLE IF NOT EXISTS log (
    origin TEXT PRIMARY KEY, key TEXT NOT NULL, size INTEGER NOT NULL DEFAULT 0, root BLOB, checkpoint TEXT,
    hash TEXT NOT NULL DEFAULT 'sha256'
);
CREATE TABLE IF NOT EXISTS alarm (
    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, origin TEXT NOT NULL, reason TEXT NOT NULL, submission TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class Refused(Exception):
    def __init__(self, status: int, reason: str, *, body: str | None = None, content_type: str | None = None):
        super().__init__(reason)
        self.answer = Answer(status, body if body is not None else reason + "\n", content_type or Answer.content_type)


class Witness:
    """One witness's key and state (a folder); `add_checkpoint` is the whole protocol."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        key_file = self.folder / "witness.key"
        if not key_file.is_file():
            raise FileNotFoundError(f"{key_file}: not a witness folder (run `sanxiang witness init` first)")
        require_private(key_file)
        self.cosigner = Cosigner.decode(key_file.read_text())
        with _database(self.folder) as db:  # once per process, not on every request
            db.executescript(SCHEMA)

    @classmethod
    def create(cls, folder: Path, *, name: str) -> Witness:
        """A new witness: a fresh key in a new owner-only folder."""
        folder = Path(folder)
        make_private_dir(folder)
        key_file = folder / "witness.key"
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Cosigner.generate(name).encode() + "\n")
        return cls(folder)

    def trust(self, log_key: str, *, hash: str = "sha256") -> str:
        """Trust the log whose verifier key this is (its name is the log's origin), whose tree is hashed with `hash`
        (sha256, or sm3 for a log in 国密 mode); return the origin."""
        verifier = parse_verifier(log_key)
        if hash not in merkle.HASHES:
            raise NoteError(f"unknown tree hash {hash!r} (sha256 or sm3)")
        with _database(self.folder) as db:
            db.execute(
                "INSERT INTO log (origin, key, hash) VALUES (?, ?, ?) "
                "ON CONFLICT (origin) DO UPDATE SET key = excluded.key, hash = excluded.hash",
                (verifier.name, str(verifier), hash),
            )
        return verifier.name

    def logs(self) -> list[tuple[str, str, int]]:
        with _database(self.folder) as db:
            return db.execute("SELECT origin, key, size FROM log ORDER BY origin").fetchall()

    def alarms(self) -> list[tuple[int, str, str, str]]:
        with _database(self.folder) as db:
            return db.execute("SELECT at, origin, reason, submission FROM alarm ORDER BY id").fetchall()

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            return self._add(body)
        except Refused as refusal:
            return refusal.answer

    def _add(self, body: bytes) -> Answer:
        old, proof, note = _parse(body)
        text, _signatures = _note(note)
        origin, size, root = _checkpoint_lines(text)
        if old > size:
            raise Refused(400, "the old size is larger than the checkpoint's")
        with _database(self.folder) as db:
            db.execute("BEGIN IMMEDIATE")  # check and record at once: two submissions never roll the size back
            row = db.execute("SELECT key, size, root, hash FROM log WHERE origin = ?", (origin,)).fetchone()
            if row is None:
                raise Refused(404, f"unknown log {origin}")
            key, held, held_root, tree_hash = row
            try:
                open_note(note, parse_verifier(key))
            except NoteError as error:
                raise Refused(403, f"no valid signature by the log's key: {error}") from None
            if old != held:
                raise Refused(409, "old size mismatch", body=f"{held}\n", content_type="text/x.tlog.size")
            if old == size and held_root is not None and bytes(held_root) != root:
                self._alarm(db, origin, "split view: a checkpoint of the size cosigned with another root", note)
                raise Refused(409, "a checkpoint of this size with another root was cosigned already")
            if (old == 0 or old == size) and proof:
                raise Refused(422, "the consistency proof from size 0, or to the same size, must be empty")
            if size == 0 and root != merkle.HASHES[tree_hash](b"").digest():
                raise Refused(422, "a tree of no entries has the empty root")
            if 0 < old < size:
                try:
                    with merkle.using(tree_hash):
                        merkle.verify_consistency(old, size, bytes(held_root), root, proof)
                except merkle.ProofError as error:
                    self._alarm(db, origin, f"inconsistent with the checkpoint cosigned: {error}", note)
                    raise Refused(422, f"the consistency proof does not verify: {error}") from None
            db.execute("UPDATE log SET size = ?, root = ?, checkpoint = ? WHERE origin = ?", (size, root, note, origin))
            db.execute("COMMIT")
        return Answer(200, self.cosigner.cosign(text, time=int(time.time())))

    def _alarm(self, db: sqlite3.Connection, origin: str, reason: str, note: str) -> None:
        """Record the refused checkpoint (committed even though the submission fails) and say so in the log."""
        db.execute(
            "INSERT INTO alarm (at, origin, reason, submission) VALUES (?, ?, ?, ?)",
            (int(time.time()), origin, reason, note),
        )
        db.execute("COMMIT")
        logger.error("witness %s refused a checkpoint of %s: %s", self.cosigner.name, origin, reason)


def _database(folder: Path) -> _Closing:
    db = sqlite3.connect(folder / "state.sqlite3", timeout=30, isolation_level=None)
    return _Closing(db)


class _Closing:
    """A connection used as `with`: rolled back if a submission left it in a transaction, then closed."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()


def _parse(body: bytes) -> tuple[int, list[bytes], str]:
    """The old size, the consistency proof and the checkpoint note of an add-checkpoint request body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    head, separator, note = text.partition("\n\n")
    if not separator:
        raise Refused(400, "the body is an old size line, proof lines, a blank line and a checkpoint")
    lines = head.split("\n")
    match = re.fullmatch(r"old (\S+)", lines[0])
    if match is None or not SIZE.fullmatch(match[1]):
        raise Refused(400, "the first line reads 'old <size>' in decimal without leading zeros")
    if len(lines) - 1 > MAX_PROOF:
        raise Refused(400, f"at most {MAX_PROOF} consistency proof lines")
    proof = []
    for line in lines[1:]:
        try:
            digest = base64.b64decode(line, validate=True)
        except binascii.Error:
            digest = b""
        if len(digest) != merkle.HASH_SIZE:
            raise Refused(400, "each consistency proof line is one base64 hash")
        proof.append(digest)
    if int(match[1]) > MAX_SIZE:
        raise Refused(400, "the old size is past any tree's")
    return int(match[1]), proof, note


def _note(note: str) -> tuple[str, list]:
    try:
        return note_signatures(note)
    except NoteError as error:
        raise Refused(400, f"the checkpoint is not a signed note: {error}") from None


def _checkpoint_lines(text: str) -> tuple[str, int, bytes]:
    lines = text.split("\n")
    if len(lines) < 4 or not SIZE.fullmatch(lines[1]) or int(lines[1]) > MAX_SIZE:
        raise Refused(400, "a checkpoint reads origin, size and root hash, one a line")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        root = b""
    if len(root) != merkle.HASH_SIZE:
        raise Refused(400, "the checkpoint's root is not one base64 hash")
    return lines[0], int(lines[1]), root


def application(witness: Witness):
    """The witness's WSGI application: POST /add-checkpoint, and GET / for its key and the logs it witnesses."""

    def app(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/add-checkpoint" and method == "POST":
            answer = _submitted(environ, witness)
        elif path == "/" and method in ("GET", "HEAD"):
            logs = "".join(f"log {origin} {size}\n" for origin, _key, size in witness.logs())
            answer = Answer(200, f"{witness.cosigner.key}\n{logs}")
        else:
            answer = Answer(404, "not found\n")
        payload = answer.body.encode()
        start_response(
            f"{answer.status} {_REASONS.get(answer.status, '')}".strip(),
            [("Content-Type", answer.content_type), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    return app


def _submitted(environ, witness: Witness) -> Answer:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 < length <= MAX_BODY:
        return Answer(413 if length > MAX_BODY else 400, "the body must be between 1 byte and 64 KiB\n")
    return witness.add_checkpoint(environ["wsgi.input"].read(length))


_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
}
