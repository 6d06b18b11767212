"""Reads of the exchange: the feed's batches (public entries of the data set, with proofs against the latest signed
checkpoint) and the mirror's records."""

from __future__ import annotations

import base64

from django.db.models import CharField, F, Func, QuerySet

from sanxiang.exchange.models import MirrorRecord, MirrorSource
from sanxiang.exchange.records import BUILDERS, Row, records_for
from sanxiang.exchange.schemas import FORMAT
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import batch_proof, inclusion_proofs, latest_checkpoint
from sanxiang.ledger.vocabulary import INTERNAL_ACTIONS

BATCH_DEFAULT = 500
BATCH_MAX = 2000
# How a batch proves its entries are in the signed tree: a proof per entry, or one for the whole batch.
PROOFS = ("entry", "batch")


class Unindexed(Func):
    """A text column as an expression no index of it serves (the column joined to an empty string)."""

    template = "(%(expressions)s || '')"
    output_field = CharField()


def feed_entries(*, since: int, below: int, limit: int) -> list[Row]:
    """The entries a partner may read after `since` and below `below`: public, of an action not internal, of a
    subject type the exchange data set has records of.

    The batch is the next `limit` of them by ledger index, so the primary key is walked from `since`. Without
    statistics of the table, SQLite and PostgreSQL would rather take every entry of the five subject types after
    `since` from their index and sort them all, for each batch (0.17 s a batch at 10^5 entries against 2 ms), hence
    the subject type tested unindexed."""
    return [
        Row(*values)
        for values in Entry.objects.alias(kind=Unindexed(F("subject_type")))
        .filter(index__gt=since, index__lt=below, public=True, kind__in=list(BUILDERS))
        .exclude(action__in=list(INTERNAL_ACTIONS))
        .order_by("index")
        .values_list(*Row._fields)[:limit]
    ]


def feed_batch(*, since: int, limit: int = BATCH_DEFAULT, proofs: str = "entry") -> dict:
    """One batch of the feed: the records after `since` up to `limit` entries, each with its leaf, and `next`, the
    `since` of the following batch. The proofs are against the latest signed checkpoint: with `proofs="entry"`
    each entry carries its own inclusion proof; with `proofs="batch"` the batch carries one proof for all its
    entries (`batch_proof`: the hashes of `merkle.batch_ranges` of its indexes, about 2·log2(size) for a stretch of
    neighbouring entries instead of log2(size) each).

    Entries not yet covered by a signed checkpoint wait for the next one, so every proof in a batch is against one
    signed tree head. `next` is the last index the batch looked at, so a partner never re-reads a stretch of
    internal entries; `more` says whether the checkpoint holds entries after it.
    """
    if proofs not in PROOFS:
        raise ValueError(f"proofs must be one of {PROOFS}")
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        empty = {"format": FORMAT, "since": since, "next": since, "more": False, "checkpoint": None, "entries": []}
        return empty | ({"batch_proof": []} if proofs == "batch" else {})
    size = checkpoint.size
    entries = feed_entries(since=since, below=size, limit=limit)
    full = len(entries) == limit
    following = entries[-1].index if full else max(since, size - 1)
    records = records_for(entries)
    b64encode = base64.b64encode
    items = [
        {"index": entry.index, "leaf": b64encode(entry.body).decode(), "record": records[entry.index]}
        for entry in entries
        if entry.index in records
    ]
    batch = {
        "format": FORMAT,
        "since": since,
        "next": following,
        "more": following < size - 1,
        "checkpoint": {
            "size": size,
            "root": bytes(checkpoint.root).hex(),
            "note": checkpoint.note,
            "hash": checkpoint.hash_algorithm,
        },
        "entries": items,
    }
    indexes = [item["index"] for item in items]
    if proofs == "batch":
        batch["batch_proof"] = [digest.hex() for digest in batch_proof(indexes, size)] if indexes else []
    else:
        paths = inclusion_proofs(indexes, size)
        for item in items:
            item["proof"] = [digest.hex() for digest in paths[item["index"]]]
    return batch


def mirror_sources() -> QuerySet[MirrorSource]:
    return MirrorSource.objects.order_by("url")


def mirror_records(*, source: MirrorSource | None = None, kind: str = "", since: int = -1) -> QuerySet[MirrorRecord]:
    """The mirror's records, oldest first: everything in it was public at its source, so every staff account may
    read it."""
    records = MirrorRecord.objects.filter(index__gt=since).select_related("source").order_by("source", "index")
    if source is not None:
        records = records.filter(source=source)
    if kind:
        records = records.filter(kind=kind)
    return records
