"""Reads of the exchange: the feed's batches (public entries of the data set, with proofs against the latest signed
checkpoint) and the mirror's records."""

from __future__ import annotations

import base64

from django.db.models import QuerySet

from sanxiang.exchange.models import MirrorRecord, MirrorSource
from sanxiang.exchange.records import BUILDERS, Row, records_for
from sanxiang.exchange.schemas import FORMAT
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import inclusion_proofs, latest_checkpoint
from sanxiang.ledger.vocabulary import INTERNAL_ACTIONS

BATCH_DEFAULT = 500
BATCH_MAX = 2000


def feed_entries(*, since: int, below: int, limit: int) -> list[Row]:
    """The entries a partner may read after `since` and below `below`: public, of an action not internal, of a
    subject type the exchange data set has records of."""
    return [
        Row(*values)
        for values in Entry.objects.filter(
            index__gt=since, index__lt=below, public=True, subject_type__in=list(BUILDERS)
        )
        .exclude(action__in=list(INTERNAL_ACTIONS))
        .order_by("index")
        .values_list(*Row._fields)[:limit]
    ]


def feed_batch(*, since: int, limit: int = BATCH_DEFAULT) -> dict:
    """One batch of the feed: the records after `since` up to `limit` entries, each with its leaf and inclusion
    proof against the latest signed checkpoint, and `next`, the `since` of the following batch.

    Entries not yet covered by a signed checkpoint wait for the next one, so every proof in a batch is against one
    signed tree head. `next` is the last index the batch looked at, so a partner never re-reads a stretch of
    internal entries; `more` says whether the checkpoint holds entries after it.
    """
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return {"format": FORMAT, "since": since, "next": since, "more": False, "checkpoint": None, "entries": []}
    size = checkpoint.size
    entries = feed_entries(since=since, below=size, limit=limit)
    full = len(entries) == limit
    following = entries[-1].index if full else max(since, size - 1)
    records = records_for(entries)
    proofs = inclusion_proofs(list(records), size)
    return {
        "format": FORMAT,
        "since": since,
        "next": following,
        "more": following < size - 1,
        "checkpoint": {"size": size, "root": bytes(checkpoint.root).hex(), "note": checkpoint.note},
        "entries": [
            {
                "index": entry.index,
                "leaf": base64.b64encode(bytes(entry.body)).decode(),
                "proof": [digest.hex() for digest in proofs[entry.index]],
                "record": records[entry.index],
            }
            for entry in entries
            if entry.index in records
        ],
    }


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
