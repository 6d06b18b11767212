"""Reads of the ledger: roots and proofs from the stored nodes (O(log n) rows each), entries and checkpoints."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import QuerySet

from sanxiang.ledger import merkle
from sanxiang.ledger.merkle import ProofError
from sanxiang.ledger.models import Checkpoint, Entry, Node


def nodes(keys) -> dict[tuple[int, int], bytes]:
    """The stored hashes of nodes (level, index), in one query (plain SQL: proofs are a public hot path)."""
    by_position = {merkle.position(level, index): (level, index) for level, index in keys}
    if not by_position:
        return {}
    sql = (
        f'SELECT "position", "hash" FROM "{Node._meta.db_table}" '
        f'WHERE "position" IN ({", ".join(["%s"] * len(by_position))})'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(by_position))
        found = {by_position[position]: bytes(digest) for position, digest in cursor.fetchall()}
    if len(found) != len(by_position):
        raise ProofError("the log has fewer entries than asked for")
    return found


def root_at(size: int) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    return merkle.range_hash(0, size, nodes(merkle.range_nodes(0, size)))


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def _require_checkpointed(size: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX("size") FROM "{Checkpoint._meta.db_table}"')
        signed = cursor.fetchone()[0]
    if signed is None or size > signed:
        raise ProofError(f"size {size} is beyond the latest signed checkpoint ({signed or 0} entries)")


def inclusion_proof(index: int, size: int) -> dict:
    """PATH(index, D[size]) with the leaf hash, for a size some signed checkpoint covers."""
    _require_checkpointed(size)
    ranges = merkle.inclusion_ranges(index, size)
    stored = nodes(merkle.needed_nodes(ranges) | {(0, index)})
    return {
        "index": index,
        "size": size,
        "leaf_hash": stored[(0, index)].hex(),
        "proof": [merkle.range_hash(low, high, stored).hex() for low, high in ranges],
    }


def consistency_proof(first: int, second: int) -> dict:
    """PROOF(first, D[second]) between two sizes some signed checkpoint covers."""
    _require_checkpointed(second)
    ranges = merkle.consistency_ranges(first, second)
    stored = nodes(merkle.needed_nodes(ranges))
    return {"from": first, "to": second, "proof": [merkle.range_hash(low, high, stored).hex() for low, high in ranges]}


def entry_json(entry: Entry) -> dict:
    return json.loads(bytes(entry.body))


def entry_get(index: int) -> Entry | None:
    return Entry.objects.filter(index=index).first()


def entries_for_subject(subject_type: str, subject_id) -> QuerySet[Entry]:
    """The history of one object, oldest first."""
    return Entry.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by("index")
