"""Writes to the ledger: appending entries (inside the caller's transaction) and making signed checkpoints.

Appends run on every business write, so they use a handful of plain SQL statements rather than the ORM.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sanxiang.ledger import cadence, merkle
from sanxiang.ledger.canonical import canonical_json, json_value, snapshot_digest
from sanxiang.ledger.hooks import entries_appended
from sanxiang.ledger.keys import SIGNERS
from sanxiang.ledger.models import Checkpoint, Entry, LogHead, Node
from sanxiang.ledger.selectors import checkpoint_due_in, root_at
from sanxiang.ledger.signing import NoteSigner, load_signer, sign_note
from sanxiang.ledger.vocabulary import INTERNAL_ACTIONS
from sanxiang.ledger.vocabulary import subject_type as subject_type_of

SYSTEM = "system"


@dataclass
class Record:
    """One event to append: who, in which agency, did what to which object, with which non-personal facts."""

    action: str
    subject_type: str
    subject_id: str
    actor: str = SYSTEM
    agency: str = ""
    data: dict = field(default_factory=dict)
    public: bool = False


def actor_label(actor) -> str:
    """Staff are named by account id only ("staff:12"): the ledger holds no names of natural persons."""
    if actor is None:
        return SYSTEM
    if isinstance(actor, str):
        return actor
    return f"staff:{actor.pk}"


def staff_refs(pks) -> list[str]:
    """Several staff as the ledger names them, in account order (by number: as text "staff:100" would come before
    "staff:99", and a page listing them would change its order as accounts grow)."""
    return [f"staff:{pk}" for pk in sorted(pks)]


def record_for(
    *, actor, agency, action: str, subject: models.Model | tuple[str, str], data: dict | None = None, public=False
) -> Record:
    """A Record for `subject`; for a model instance, `data` also gets the digest of its canonical snapshot."""
    if public and action in INTERNAL_ACTIONS:
        raise RuntimeError(f"{action} entries are internal: {INTERNAL_ACTIONS[action]}")
    facts = {key: json_value(value) for key, value in (data or {}).items()}
    facts["public"] = public  # signed, so the column that opens an entry to the public cannot be flipped unseen
    if isinstance(subject, models.Model):
        subject_type, subject_id = subject_type_of(subject), str(subject.pk)
        facts["digest"] = snapshot_digest(subject)
    else:
        subject_type, subject_id = subject
    return Record(
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        actor=actor_label(actor),
        agency=getattr(agency, "code", agency) or "",
        data=facts,
        public=public,
    )


def ledger_append(
    *, actor, agency, action: str, subject: models.Model | tuple[str, str], data: dict | None = None, public=False
) -> int:
    """Append one entry in the caller's transaction and return its index.

    `data` holds non-personal key fields only (no names of natural persons, no ID numbers, no addresses).
    """
    return ledger_append_many(
        [record_for(actor=actor, agency=agency, action=action, subject=subject, data=data, public=public)]
    )[0]


def ledger_append_many(records: Sequence[Record]) -> list[int]:
    """Append several entries at once (bulk imports, demo data) in the caller's transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("ledger entries are appended inside the transaction of the change they record")
    size, frontier = _lock_head(connection)
    now = timezone.now()
    time_text = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    adapt_time = connection.ops.adapt_datetimefield_value(now)
    entry_rows, node_rows, indexes = [], [], []
    for record in records:
        body = canonical_json(
            {
                "index": size,
                "time": time_text,
                "agency": record.agency or None,
                "actor": record.actor,
                "action": record.action,
                "subject": f"{record.subject_type}:{record.subject_id}",
                "data": record.data,
            }
        )
        entry_rows.append(
            (
                size,
                adapt_time,
                record.agency,
                record.actor,
                record.action,
                record.subject_type,
                record.subject_id,
                record.public,
                body,
            )
        )
        for level, index, digest in merkle.append_to_frontier(frontier, size, merkle.leaf_hash(body)):
            node_rows.append((merkle.position(level, index), digest))
        indexes.append(size)
        size += 1
    with connection.cursor() as cursor:
        cursor.executemany(_sql("entry_insert"), entry_rows)
        cursor.executemany(_sql("node_insert"), node_rows)
        cursor.execute(_sql("head_update"), [size, b"".join(frontier)])
    entries_appended(records=records, indexes=indexes)
    cadence.request(due_in=checkpoint_due_in, sign=checkpoint_create)
    return indexes


def _lock_head(connection) -> tuple[int, list[bytes]]:
    # On PostgreSQL the row lock serialises appenders across processes; SQLite runs one writer at a time anyway.
    sql = _sql("head_select") + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        size, frontier, algorithm = cursor.fetchone()
        if algorithm != merkle.algorithm():
            if size:
                raise ImproperlyConfigured(
                    f"账本以 {algorithm} 建立，不能改用 {merkle.algorithm()}：已有条目的杂凑不会再被核验。请恢复 "
                    f"SANXIANG_LEDGER_HASH={algorithm}。(The log was created with {algorithm}; it cannot change "
                    f"to {merkle.algorithm()}.)"
                )
            cursor.execute(_sql("head_algorithm"), [merkle.algorithm()])  # an empty log takes the configured one
    frontier = bytes(frontier)
    return size, [frontier[offset : offset + merkle.HASH_SIZE] for offset in range(0, len(frontier), merkle.HASH_SIZE)]


_SQL: dict[str, str] = {}


def _sql(name: str) -> str:
    if not _SQL:
        entry, node, head = Entry._meta, Node._meta, LogHead._meta

        def columns(meta, names):
            return ", ".join(f'"{meta.get_field(name).column}"' for name in names)

        entry_fields = [
            "index",
            "time",
            "agency_code",
            "actor",
            "action",
            "subject_type",
            "subject_id",
            "public",
            "body",
        ]
        _SQL.update(
            entry_insert=f'INSERT INTO "{entry.db_table}" ({columns(entry, entry_fields)}) '
            f"VALUES ({', '.join(['%s'] * len(entry_fields))})",
            node_insert=f'INSERT INTO "{node.db_table}" ("position", "hash") VALUES (%s, %s)',
            head_select=f'SELECT "size", "frontier", "hash_algorithm" FROM "{head.db_table}" WHERE "id" = 1',
            head_algorithm=f'UPDATE "{head.db_table}" SET "hash_algorithm" = %s WHERE "id" = 1',
            head_update=f'UPDATE "{head.db_table}" SET "size" = %s, "frontier" = %s WHERE "id" = 1',
        )
    return _SQL[name]


def checkpoint_body(*, origin: str, size: int, root: bytes) -> str:
    """The C2SP tlog-checkpoint text: origin, decimal size, base64 root hash, each ending in a newline."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def ledger_signer(*, create: bool = False) -> NoteSigner:
    """The log's signer: the factory named by LEDGER_SIGNER (an HSM or KMS), or else the key in LEDGER_KEY_FILE.

    Only signing a checkpoint may create the key file, and only before any checkpoint exists.
    """
    if settings.LEDGER_SIGNER:
        try:
            signer = import_string(settings.LEDGER_SIGNER)(name=settings.LEDGER_ORIGIN)
        except ImportError as error:
            raise ImproperlyConfigured(
                f"SANXIANG_LEDGER_SIGNER={settings.LEDGER_SIGNER!r} 无法加载：{error}。"
                f"(Cannot load the ledger signer {settings.LEDGER_SIGNER!r}: {error}.)"
            ) from None
        if not isinstance(signer, NoteSigner) or signer.name != settings.LEDGER_ORIGIN:
            raise ImproperlyConfigured(
                f"SANXIANG_LEDGER_SIGNER={settings.LEDGER_SIGNER!r} 没有返回名为 {settings.LEDGER_ORIGIN} 的签名器。"
                f"(The ledger signer factory must return a NoteSigner named {settings.LEDGER_ORIGIN!r}.)"
            )
        return signer
    return load_signer(
        settings.LEDGER_KEY_FILE,
        name=settings.LEDGER_ORIGIN,
        create=create and not Checkpoint.objects.exists(),
        kind=SIGNERS[settings.LEDGER_SIGNATURE],
    )


@transaction.atomic
def checkpoint_create() -> Checkpoint:
    """Sign the current tree head (or return the checkpoint that already covers this size)."""
    size, _frontier = _lock_head(transaction.get_connection())
    existing = Checkpoint.objects.filter(size=size).first()
    if existing is not None:
        return existing
    signer = ledger_signer(create=True)
    root = root_at(size)  # from the immutable nodes, not from the head row's cached frontier
    note = sign_note(signer, checkpoint_body(origin=settings.LEDGER_ORIGIN, size=size, root=root))
    checkpoint = Checkpoint.objects.create(
        size=size,
        root=root,
        note=note,
        hash_algorithm=merkle.algorithm(),
        signature_algorithm=settings.LEDGER_SIGNATURE,
        created_at=timezone.now(),
    )
    if settings.LEDGER_WITNESSES or settings.LEDGER_TSA_URL:
        transaction.on_commit(partial(_attest_later, size))
    return checkpoint


def _attest_later(size: int) -> None:
    # Imported here: the task module imports this one. Witnesses and the time-stamping authority are asked after
    # the commit, in the background, so a slow or absent one never holds up the business write that signed it.
    from sanxiang.ledger.tasks import attest_checkpoint

    attest_checkpoint(size)


def checkpoint_if_due(*, now: dt.datetime | None = None) -> Checkpoint | None:
    """Sign a checkpoint when entries are unsigned and the latest checkpoint is LEDGER_CHECKPOINT_SECONDS old."""
    wait = checkpoint_due_in(now=now)
    if wait is None or wait > 0:
        return None
    return checkpoint_create()
