"""Writes of the exchange: the mirror's sources and the batches the reference client verified. Nothing else writes
the mirror; each batch is stored whole, with its ledger entry, in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.exchange.models import MirrorRecord, MirrorSource
from sanxiang.exchange.verify import VerifiedBatch
from sanxiang.ledger.services import ledger_append
from sanxiang.ledger.signing import Verifier

LEDGER_ACTIONS = {
    "mirror_source.pin": gettext_lazy("镜像来源：固定检查点公钥"),
    "mirror.pull": gettext_lazy("镜像：存入已验证的交换记录"),
}
# The client runs from the command line; the mirror's writes are not an officer's act.
CLIENT = "cli"


@transaction.atomic
def mirror_source_pin(*, url: str, verifier: Verifier) -> MirrorSource:
    """The source at `url`, its checkpoint key pinned on first use; a different key later is refused — a source
    whose key changed must be looked into, not silently followed."""
    source, created = MirrorSource.objects.select_for_update().get_or_create(url=url)
    key = str(verifier)
    if source.verifier_key and source.verifier_key != key:
        raise ValidationError(
            _("来源 %(url)s 的检查点公钥与已固定的不同（已固定 %(pinned)s，收到 %(key)s），拒绝拉取。")
            % {"url": url, "pinned": source.verifier_key, "key": key},
            code="key_mismatch",
        )
    if not source.verifier_key:
        source.verifier_key, source.origin = key, verifier.name
        source.save(update_fields=["verifier_key", "origin"])
        ledger_append(
            actor=CLIENT,
            agency=None,
            action="mirror_source.pin",
            subject=source,
            data={"url": url, "key": key, "first": created},
        )
    return source


@transaction.atomic
def mirror_batch_store(*, source: MirrorSource, batch: VerifiedBatch) -> int:
    """Store a verified batch: its records, the source's verified checkpoint and where the next pull starts.
    Refuses a batch that does not start where the mirror stands (another pull moved it meanwhile)."""
    source = MirrorSource.objects.select_for_update().get(pk=source.pk)
    starting = source.next_since == -1 and not source.records.exists()  # a first pull may start later (--since)
    if batch.since != source.next_since and not starting:
        raise ValidationError(
            _("镜像已从 %(at)d 之后继续，这一批从 %(since)d 之后开始；请重新拉取。")
            % {"at": source.next_since, "since": batch.since},
            code="stale_batch",
        )
    checkpoint = batch.checkpoint
    if checkpoint is not None and source.tree_hash and batch.tree_hash != source.tree_hash:
        raise ValidationError(
            _("来源 %(url)s 的账本以 %(pinned)s 杂凑，这一批声明 %(hash)s，拒绝保存：来源的账本不应更换杂凑算法。")
            % {"url": source.url, "pinned": source.tree_hash, "hash": batch.tree_hash},
            code="hash_mismatch",
        )
    now = timezone.now()
    _insert_records(source=source, batch=batch, now=now)
    source.next_since, source.pulled_at = batch.next, now
    fields = ["next_since", "pulled_at"]
    if checkpoint is not None and checkpoint.size > source.checkpoint_size:
        source.checkpoint_size, source.checkpoint_root = checkpoint.size, checkpoint.root.hex()
        source.checkpoint_note = checkpoint.note
        fields += ["checkpoint_size", "checkpoint_root", "checkpoint_note"]
    # Pinned once leaves were hashed with it and led to the signed root: an empty batch's declaration proves nothing,
    # and a tampered one must not lock the mirror out of the source's real hash.
    if checkpoint is not None and batch.entries and not source.tree_hash:
        source.tree_hash = batch.tree_hash
        fields.append("tree_hash")
    source.save(update_fields=fields)
    if batch.entries:
        ledger_append(
            actor=CLIENT,
            agency=None,
            action="mirror.pull",
            subject=source,
            data={
                "since": batch.since,
                "next": batch.next,
                "records": len(batch.entries),
                "checkpoint_size": checkpoint.size,
                "checkpoint_root": checkpoint.root.hex(),
            },
        )
    return len(batch.entries)


RECORD_COLUMNS = ("source", "index", "kind", "record", "leaf", "leaf_hash", "checkpoint_size", "pulled_at")


def _insert_records(*, source: MirrorSource, batch: VerifiedBatch, now) -> None:
    """A batch's rows in one executemany: the mirror takes thousands a second, and model instances would cost more
    than the verification itself. Values are converted for the database as their fields would (the record through
    the backend's JSON adaptation with the field's encoder, as `JSONField.get_db_prep_value` does for a dict)."""
    meta = MirrorRecord._meta
    fields = [meta.get_field(name) for name in RECORD_COLUMNS]
    adapt_json, encoder = connection.ops.adapt_json_value, meta.get_field("record").encoder
    time = connection.ops.adapt_datetimefield_value(now)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    sql = f'INSERT INTO "{meta.db_table}" ({columns}) VALUES ({", ".join(["%s"] * len(fields))})'
    size, pk = (batch.checkpoint.size if batch.checkpoint else 0), source.pk
    rows = [
        (pk, entry.index, entry.kind, adapt_json(entry.record, encoder), entry.leaf, entry.leaf_hash, size, time)
        for entry in batch.entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
