"""Reads of the ledger: roots and proofs from the stored nodes (O(log n) rows each), entries and checkpoints."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from sanxiang.ledger import merkle
from sanxiang.ledger.merkle import ProofError
from sanxiang.ledger.models import Checkpoint, Entry, LogHead, Node, Timestamp
from sanxiang.ledger.timestamping import token_authority

NODES_PER_QUERY = 900  # below SQLite's older limit of 999 parameters


def nodes(keys) -> dict[tuple[int, int], bytes]:
    """The stored hashes of nodes (level, index), in one query per NODES_PER_QUERY of them (plain SQL: proofs are
    a public hot path)."""
    by_position = {merkle.position(level, index): (level, index) for level, index in keys}
    if not by_position:
        return {}
    positions, found = list(by_position), {}
    with connection.cursor() as cursor:
        for start in range(0, len(positions), NODES_PER_QUERY):
            chunk = positions[start : start + NODES_PER_QUERY]
            cursor.execute(
                f'SELECT "position", "hash" FROM "{Node._meta.db_table}" '
                f'WHERE "position" IN ({", ".join(["%s"] * len(chunk))})',
                chunk,
            )
            found.update((by_position[position], bytes(digest)) for position, digest in cursor.fetchall())
    if len(found) != len(by_position):
        raise ProofError("the log has fewer entries than asked for")
    return found


def root_at(size: int) -> bytes:
    if size == 0:
        return merkle.empty_root()
    return merkle.range_hash(0, size, nodes(merkle.range_nodes(0, size)))


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def entry_timestamp(index: int) -> dict | None:
    """The earliest trusted time (RFC 3161) that vouches for entry `index`: of the stamped checkpoints that include
    it, the one stamped first (a checkpoint left unstamped while the TSA was down is stamped later than the next) —
    {size, time, authority} — or None while no stamped checkpoint covers it."""
    stamps = Timestamp.objects.filter(checkpoint_id__gt=index)
    stamp = stamps.order_by("checkpoint_id").first()  # the first to include it: almost always the earliest too
    if stamp is None:
        return None
    # one stamped late, after a TSA outage, would be later than the next; only a later checkpoint stamped earlier
    # than this one can be earlier still (gen_time is indexed: a public page asks)
    stamp = (
        stamps.filter(checkpoint_id__gt=stamp.checkpoint_id, gen_time__lt=stamp.gen_time)
        .order_by("gen_time", "checkpoint_id")
        .first()
        or stamp
    )
    return {"size": stamp.checkpoint_id, "time": stamp.gen_time, "authority": token_authority(stamp.response)}


def latest_timestamp() -> dict | None:
    """The latest checkpoint's trusted time, or the last one stamped before it ({size, time, authority, current});
    None when no checkpoint has a token."""
    stamp = Timestamp.objects.order_by("-checkpoint_id").first()
    if stamp is None:
        return None
    latest = Checkpoint.objects.order_by("-size").values_list("size", flat=True).first()
    return {
        "size": stamp.checkpoint_id,
        "time": stamp.gen_time,
        "authority": token_authority(stamp.response),
        "current": stamp.checkpoint_id == latest,
    }


def log_size() -> int:
    return LogHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def checkpoint_due_in(*, now: dt.datetime | None = None) -> float | None:
    """Seconds until a checkpoint is due: None when every entry is signed, 0 when one is due now (the log has
    unsigned entries and the latest checkpoint is LEDGER_CHECKPOINT_SECONDS old, or there is none)."""
    size = log_size()
    latest = Checkpoint.objects.order_by("-size").values_list("size", "created_at").first()
    if size == 0 or (latest is not None and latest[0] >= size):
        return None
    if latest is None:
        return 0.0
    age = ((now or timezone.now()) - latest[1]).total_seconds()
    # A latest checkpoint "in the future" (another server's clock runs ahead) must not push signing past the bound.
    return min(float(settings.LEDGER_CHECKPOINT_SECONDS), max(0.0, settings.LEDGER_CHECKPOINT_SECONDS - age))


def unsigned_tail(*, size: int | None = None) -> dict | None:
    """The entries no signed checkpoint covers yet: how many, from which index, since when; None if there are
    none. Until a checkpoint covers them their only protection is the database's triggers."""
    size = log_size() if size is None else size
    signed = Checkpoint.objects.filter(size__lte=size).order_by("-size").values_list("size", flat=True).first() or 0
    if size <= signed:
        return None
    first = Entry.objects.filter(index=signed).values_list("time", flat=True).first()
    return {"from_index": signed, "count": size - signed, "since": first}


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


def inclusion_proofs(indexes, size: int) -> dict[int, list[bytes]]:
    """PATH(index, D[size]) of many leaves at once, for a size some signed checkpoint covers (the exchange feed's
    batches). Every node completed while the leaves from the first to the last index were appended lies in one
    stretch of positions (post-order), so when the leaves are dense it is read with one range query and the few
    nodes outside it by key; sparse leaves read their nodes by key. Each distinct range is hashed once."""
    _require_checkpointed(size)
    indexes = sorted(indexes)
    if not indexes:
        return {}
    paths = {index: merkle.inclusion_ranges(index, size) for index in indexes}
    distinct = {piece for path in paths.values() for piece in path}
    window = {}
    if indexes[-1] - indexes[0] <= 4 * len(indexes):  # dense enough that the stretch is mostly needed nodes
        low, high = merkle.position(0, indexes[0]), merkle.position(0, indexes[-1])
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "position", "hash" FROM "{Node._meta.db_table}" WHERE "position" BETWEEN %s AND %s',
                [low, high],
            )
            window = {position: bytes(digest) for position, digest in cursor.fetchall()}
    needed = merkle.needed_nodes(distinct)
    outside = {key for key in needed if merkle.position(*key) not in window}
    stored = nodes(outside)
    stored.update((key, window[merkle.position(*key)]) for key in needed - outside)
    hash_of = merkle.range_hasher(stored)
    return {index: [hash_of(low, high) for low, high in path] for index, path in paths.items()}


def batch_proof(indexes, size: int) -> list[bytes]:
    """The hashes of merkle.batch_ranges(indexes, size), for a size some signed checkpoint covers: one proof that
    every leaf at `indexes` is in the tree (the exchange feed's batches). A stretch of neighbouring leaves needs
    about 2·log2(size) hashes, read by key with their nodes; each distinct range is hashed once."""
    _require_checkpointed(size)
    ranges = merkle.batch_ranges(sorted(indexes), size)
    hash_of = merkle.range_hasher(nodes(merkle.needed_nodes(ranges)))
    return [hash_of(low, high) for low, high in ranges]


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
