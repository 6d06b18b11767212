"""Verifying a feed batch as the reference client receives it — pure functions, no database, no network.

A batch is accepted whole or not at all: the checkpoint's signature by the source's pinned key, its size and root
as the signed text states them, every entry's inclusion in the tree of that root (each entry's own proof, or the
batch's one proof for all its leaves, `merkle.verify_batch_inclusion`), every record against its schema
and bound to its signed leaf (`BINDINGS`), indexes rising within (since, next] and below the checkpoint's size.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from sanxiang.exchange import schemas
from sanxiang.ledger import merkle
from sanxiang.ledger.signing import NoteError, Verifier, open_note


class FeedError(ValueError):
    """A batch that does not verify; nothing of it may be stored."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: str


@dataclass(frozen=True)
class VerifiedEntry:
    index: int
    kind: str
    record: dict
    leaf: bytes
    leaf_hash: str


@dataclass(frozen=True)
class VerifiedBatch:
    since: int
    next: int
    more: bool
    checkpoint: Checkpoint | None
    entries: list[VerifiedEntry]
    tree_hash: str = "sha256"  # the source's, as its checkpoint declares it (SHA-256, or SM3 in 国密 mode)


def checkpoint_open(note: str, verifier: Verifier) -> Checkpoint:
    """The origin, size and root a checkpoint note signed by `verifier` states (C2SP tlog-checkpoint)."""
    try:
        text = open_note(note, verifier)
    except NoteError as error:
        raise FeedError(f"checkpoint signature: {error}") from None
    lines = text.split("\n")
    if len(lines) < 4 or not lines[1].isdigit():
        raise FeedError("the checkpoint's text is not origin, size and root")
    if lines[0] != verifier.name:
        raise FeedError(f"the checkpoint is of log {lines[0]!r}, the pinned key of {verifier.name!r}")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise FeedError("the checkpoint's root is not base64") from None
    if len(root) != merkle.HASH_SIZE:
        raise FeedError(f"the checkpoint's root is not a hash of {merkle.HASH_SIZE} bytes")
    return Checkpoint(lines[0], int(lines[1]), root, note)


class InclusionChecker:
    """Verifies many inclusion proofs against one tree: each proof's nodes that reach the root are remembered with
    the rest of their path, so the next proof through the same node stops there once its remaining path is the
    same hashes (a proven node with a proven path to the root). A batch of neighbouring leaves thus costs about
    one node hash each instead of log n."""

    def __init__(self, size: int, root: bytes):
        self.size, self.root = size, root
        self.known: dict[tuple[int, int], tuple[bytes, tuple[bytes, ...]]] = {}

    def check(self, index: int, leaf: bytes, proof: list[bytes]) -> None:
        if not 0 <= index < self.size:
            raise merkle.ProofError(f"leaf {index} is not in a tree of size {self.size}")
        fn, sn, shift, result = index, self.size - 1, 0, leaf
        trail = []
        for position, sibling in enumerate(proof):
            if len(sibling) != merkle.HASH_SIZE:
                raise merkle.ProofError("a proof hash must be 32 bytes")
            if sn == 0:
                raise merkle.ProofError("the proof is longer than the tree is high")
            if fn & 1 or fn == sn:
                result = merkle.node_hash(sibling, result)
                while not fn & 1 and fn != 0:
                    fn, sn, shift = fn >> 1, sn >> 1, shift + 1
            else:
                result = merkle.node_hash(result, sibling)
            fn, sn, shift = fn >> 1, sn >> 1, shift + 1
            rest = tuple(proof[position + 1 :])
            seen = self.known.get((shift, fn))
            if seen is not None:
                if seen != (result, rest):
                    raise merkle.ProofError("the proof does not lead to the root")
                return
            trail.append(((shift, fn), (result, rest)))
        if sn != 0:
            raise merkle.ProofError("the proof is shorter than the tree is high")
        if result != self.root:
            raise merkle.ProofError("the proof does not lead to the root")
        self.known.update(trail)


def _bound_publication(record: dict, facts: dict) -> bool:
    if record["event"] != "publish":
        return record["public_text"] is None
    text = record["public_text"]
    return (
        isinstance(text, str)
        and hashlib.sha256(text.encode()).hexdigest() == facts.get("sha256") == record["public_sha256"]
        and record["version_number"] == facts.get("version_number")
    )


# kind → whether the record's own facts are those its signed leaf states.
BINDINGS = {
    "officer": lambda record, facts: (
        record["certificate_number"] == facts.get("number")
        and record["status"] == facts.get("status")
        and record["expires_on"] == facts.get("expires_on")
    ),
    "item": lambda record, facts: record["code"] == facts.get("code"),
    "result": lambda record, facts: (
        record["published"] == facts.get("published") and record["counts"] == facts.get("counts")
    ),
    "publication": _bound_publication,
}
LEDGER_FIELDS = ("time", "action", "subject", "agency")


def _unhex(value) -> bytes:
    try:
        return bytes.fromhex(value)
    except (TypeError, ValueError):
        raise FeedError("a proof hash is not hexadecimal") from None


def verify_batch(payload: dict, *, verifier: Verifier, since: int) -> VerifiedBatch:
    """The batch `payload` (the feed's JSON) as verified entries; FeedError on the first thing that fails."""
    try:
        return _verify(payload, verifier=verifier, since=since)
    except (KeyError, TypeError, AttributeError) as error:
        raise FeedError(f"the batch is malformed ({type(error).__name__}: {error})") from None
    except merkle.ProofError as error:
        raise FeedError(f"inclusion proof: {error}") from None


def _verify(payload: dict, *, verifier: Verifier, since: int) -> VerifiedBatch:
    if payload["format"] != schemas.FORMAT:
        raise FeedError(f"unknown feed format {payload['format']!r}")
    if payload["since"] != since:
        raise FeedError(f"asked for entries after {since}, got a batch after {payload['since']}")
    stated, following = payload["checkpoint"], payload["next"]
    if not isinstance(following, int) or following < since:
        raise FeedError("the batch's next index goes backwards")
    if stated is None:
        if payload["entries"] or following != since:
            raise FeedError("a batch without a checkpoint must be empty")
        return VerifiedBatch(since, following, False, None, [])
    checkpoint = checkpoint_open(stated["note"], verifier)
    if stated["size"] != checkpoint.size or stated["root"] != checkpoint.root.hex():
        raise FeedError("the checkpoint's size or root differs from its signed text")
    # The declaration is not signed, and needs not be once leaves are checked: none hash to the signed root under a
    # hash other than the one the tree was built with (an empty batch proves nothing: the mirror pins the hash only
    # with a batch of entries). A source of another hash is checked with its own, in this thread only.
    tree_hash = stated.get("hash", "sha256")  # sources from before 国密 mode declare none: SHA-256
    if tree_hash not in merkle.HASHES:
        raise FeedError(f"the checkpoint declares an unknown tree hash {tree_hash!r}")
    with merkle.using(tree_hash):
        return _verify_entries(payload, checkpoint, since=since, following=following, tree_hash=tree_hash)


def _verify_entries(
    payload: dict, checkpoint: Checkpoint, *, since: int, following: int, tree_hash: str
) -> VerifiedBatch:
    if following >= checkpoint.size:
        raise FeedError("the batch's next index is beyond its checkpoint")
    batch_proof = payload.get("batch_proof")
    inclusion = None if batch_proof is not None else InclusionChecker(checkpoint.size, checkpoint.root)
    entries, previous, leaf_hashes = [], since, []
    is_valid_record, leaf_hash_of = schemas.is_valid_record, merkle.leaf_hash
    for item in payload["entries"]:
        index, record = item["index"], item["record"]
        if type(index) is not int or not previous < index <= following:
            raise FeedError(f"entry {index} is out of order or outside ({since}, {following}]")
        previous = index
        try:
            leaf = base64.b64decode(item["leaf"], validate=True)
        except binascii.Error:
            raise FeedError(f"entry {index}: the leaf is not base64") from None
        leaf_hash = leaf_hash_of(leaf)
        if inclusion is not None:
            inclusion.check(index, leaf_hash, [_unhex(value) for value in item["proof"]])
        leaf_hashes.append(leaf_hash)
        body = json.loads(leaf)
        if body["index"] != index:
            raise FeedError(f"entry {index}: the leaf is entry {body['index']}")
        if body["data"].get("public") is not True:
            raise FeedError(f"entry {index}: the signed leaf is not a public entry")
        if not is_valid_record(record):
            raise FeedError(f"entry {index}: the record does not match its schema: {schemas.record_errors(record)}")
        stated_ledger = record["ledger"]
        if stated_ledger["index"] != index or any(stated_ledger[name] != body[name] for name in LEDGER_FIELDS):
            raise FeedError(f"entry {index}: the record's ledger reference differs from the signed leaf")
        if not BINDINGS[record["kind"]](record, body["data"]):
            raise FeedError(f"entry {index}: the record's facts differ from those its signed leaf states")
        entries.append(VerifiedEntry(index, record["kind"], record, leaf, leaf_hash.hex()))
    if batch_proof is not None:
        _check_batch_proof(checkpoint, [entry.index for entry in entries], leaf_hashes, batch_proof)
    return VerifiedBatch(since, following, bool(payload["more"]), checkpoint, entries, tree_hash)


def _check_batch_proof(checkpoint: Checkpoint, indexes: list[int], leaves: list[bytes], proof) -> None:
    """All the batch's leaves at once in the signed tree (`merkle.verify_batch_inclusion`); an empty batch has an
    empty proof."""
    if type(proof) is not list:
        raise FeedError("the batch proof is not a list of hashes")
    hashes = [_unhex(value) for value in proof]
    if not indexes:
        if hashes:
            raise FeedError("an empty batch has an empty proof")
        return
    merkle.verify_batch_inclusion(checkpoint.size, indexes, leaves, hashes, checkpoint.root)
