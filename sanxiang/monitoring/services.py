"""Writes of the monitoring app: storing judged packets in batches, sealing an hour's segment."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.blobs import blob_ingest
from sanxiang.ledger.services import ledger_append
from sanxiang.monitoring import partitions, receipts, segments
from sanxiang.monitoring.intake import Accepted, Intake, Refused
from sanxiang.monitoring.models import Packet, Quarantined, Reading, Segment

LEDGER_ACTIONS = {"monitoring.segment_seal": _("封存在线监控报文分段")}
# An hour's file is sealed once this long has passed after the hour: a packet received at 10:59:59.9 is written by
# then.
SEAL_GRACE = dt.timedelta(minutes=2)

# The two tables every packet writes to, their columns and PostgreSQL types. They are written without the ORM: at
# thousands of packets a second, building model instances was the writer's largest cost.
_PACKET_COLUMNS = (
    ("device_id", "bigint"),
    ("qn", "varchar"),
    ("part", "integer"),
    ("cn", "varchar"),
    ("data_time", "timestamptz"),
    ("received_at", "timestamptz"),
    ("skewed", "boolean"),
    ("segment_id", "bigint"),
    ("offset", "bigint"),
    ("length", "integer"),
)
_READING_COLUMNS = (
    ("point_id", "bigint"),
    ("pollutant", "varchar"),
    ("averaging", "varchar"),
    ("data_time", "timestamptz"),
    ("device_id", "bigint"),
    ("value", "double precision"),
    ("minimum", "double precision"),
    ("maximum", "double precision"),
    ("flag", "varchar"),
    ("skewed", "boolean"),
)


def _insert(table: str, columns, rows: list[tuple], *, conflict: str = "") -> None:
    """Insert `rows` in one statement on PostgreSQL (the columns as arrays, unnested: one round trip however many
    rows), with executemany on SQLite (a loop inside the driver)."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(name) for name, _type in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for _name, kind in columns)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}",
                [list(c) for c in zip(*rows)],
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}", rows)


class Stored:
    """What a batch came to: per item, the response to send; and the counts."""

    def __init__(self, size: int = 0) -> None:
        self.responses: list[bytes | None] = [None] * size
        self.stored = self.duplicates = self.quarantined = self.readings = 0
        self.reasons: Counter = Counter()  # the refusals by reason


@dataclass
class Journaled:
    """Packets of one hour on disk (segment and receipts) and answered, their rows not written yet."""

    hour: dt.datetime
    end: int  # the receipts' length after them: `Segment.applied` once they are stored
    fresh: list[tuple[Accepted, int]] = field(default_factory=list)  # new packets and their offsets in the segment
    refused: list[tuple[dt.datetime, bytes, dict]] = field(default_factory=list)  # received at, raw bytes, why

    @property
    def keys(self) -> set[tuple[int, str, int]]:
        return {_key(item) for item, _offset in self.fresh}


def _key(item: Accepted) -> tuple[int, str, int]:
    return (item.device.id, item.message.qn, item.message.pno)


def _known(keys: set[tuple[int, str, int]]) -> set[tuple[int, str, int]]:
    """Which of these (device, QN, part) are stored already: one probe of the unique index per key (an IN list of
    devices and another of QNs made SQLite scan every packet of those devices)."""
    found: set[tuple[int, str, int]] = set()
    keys = list(keys)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 1000):  # SQLite's limit on parameters
            chunk = keys[start : start + 1000]
            if connection.vendor == "postgresql":
                wanted = "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::integer[])"
                params = [list(column) for column in zip(*chunk)]
            else:
                wanted = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(chunk))
                params = [value for key in chunk for value in key]
            cursor.execute(
                f"SELECT device_id, qn, part FROM monitoring_packet WHERE (device_id, qn, part) IN ({wanted})", params
            )
            found.update(cursor.fetchall())
    return found


def _why(item: Refused) -> dict:
    message = item.message
    return {
        "peer": item.peer[:64],
        "reason": item.reason,
        "detail": item.detail[:300],
        "mn": (message.mn if message else "")[:24],
        "qn": (message.qn if message else "")[:20],
    }


def packets_journal(
    *, items: list[Accepted | Refused], files: segments.SegmentFiles, pending: set
) -> tuple[Journaled | None, Stored]:
    """Write a batch of judged packets to disk, in the hour they are written in (an import of last month's log never
    reopens a sealed hour): the new accepted packets' bytes to the segment, a receipt for each of them and for each
    refusal, both files forced to disk. After this the responses may be sent. A packet the device sent already (the
    same QN and part: a retransmission) is answered again and written no second time — neither when it is stored
    nor when it is `pending` (written and not yet stored: this call adds the new keys to it)."""
    result = Stored(len(items))
    accepted = [(index, item) for index, item in enumerate(items) if isinstance(item, Accepted)]
    # the pending keys first, then the database: a key leaves `pending` only once it is committed
    unseen = {_key(item) for _index, item in accepted} - pending
    known = {_key(item) for _index, item in accepted} - unseen
    known |= _known(unseen) if unseen else set()
    hour = segments.hour_of(timezone.now())
    journaled = Journaled(hour, 0)
    offset = files.position(hour)
    data, records = [], []
    for index, item in enumerate(items):
        result.responses[index] = item.response
        if isinstance(item, Refused):
            why = _why(item)
            journaled.refused.append((item.received_at, item.raw, why))
            records.append(receipts.refused(item.received_at, item.raw, why))
            continue
        key = _key(item)
        if key in known:
            result.duplicates += 1
            continue
        known.add(key)
        pending.add(key)
        journaled.fresh.append((item, offset))
        data.append(item.raw)
        records.append(receipts.accepted(item.received_at if item.timed else None, offset, len(item.raw)))
        offset += len(item.raw)
    if not records:
        return None, result
    journaled.end = files.append(hour, b"".join(data), b"".join(records))
    return journaled, result


def packets_apply(*, batches: list[Journaled]) -> Stored:
    """Store written batches in one transaction: the packet rows pointing into their segments, the values as
    readings, the refusals quarantined with their bytes and why, and each hour's `applied` moved past them."""
    result = Stored()
    with transaction.atomic():
        packets, readings, refused, ends = [], [], [], {}
        segment_ids = {hour: _segment_id(hour) for hour in {batch.hour for batch in batches}}
        partitions.ensure_months({partitions.month_of(item.data_time) for b in batches for item, _ in b.fresh})
        for batch in batches:
            segment_id = segment_ids[batch.hour]
            for item, offset in batch.fresh:
                when = connection.ops.adapt_datetimefield_value(item.data_time)
                packets.append(_packet(item, when, segment_id, offset))
                readings.extend(_readings(item, when))
            refused.extend(_quarantined(*entry) for entry in batch.refused)
            ends[segment_id] = max(ends.get(segment_id, 0), batch.end)
        _insert(Packet._meta.db_table, _PACKET_COLUMNS, packets)
        _insert(Reading._meta.db_table, _READING_COLUMNS, readings, conflict="ON CONFLICT DO NOTHING")
        Quarantined.objects.bulk_create(refused)
        for segment_id, end in ends.items():
            Segment.objects.filter(pk=segment_id, applied__lt=end).update(applied=end)
    result.stored, result.quarantined, result.readings = len(packets), len(refused), len(readings)
    result.reasons.update(item.reason for item in refused)
    return result


def packets_store(*, items: list[Accepted | Refused], files: segments.SegmentFiles) -> Stored:
    """Write a batch to disk and store it at once (an import; the listener answers in between)."""
    journaled, result = packets_journal(items=items, files=files, pending=set())
    if journaled is not None:
        stored = packets_apply(batches=[journaled])
        result.stored, result.quarantined, result.readings = stored.stored, stored.quarantined, stored.readings
        result.reasons = stored.reasons
    return result


def journal_replay(*, intake: Intake, chunk: int = 5000) -> Stored:
    """Store what the receipts hold past each open hour's `applied`: packets a listener answered and was stopped
    (killed, or the machine lost power) before storing. Run by the one writer before it takes new packets. Each
    packet is judged again from its bytes, with its time of receipt (a device retired since is quarantined)."""
    result = Stored()
    for path in sorted(segments.folder().glob("*.receipts")):
        hour = dt.datetime.strptime(path.stem, "%Y%m%d%H").replace(tzinfo=dt.UTC)
        segment = Segment.objects.filter(hour=hour).first()
        if segment is not None and segment.sealed_at is not None:
            path.unlink()  # sealed, and stopped before the receipts were removed
            continue
        data = segments.path_of(hour).read_bytes() if segments.path_of(hour).exists() else b""
        batch = Journaled(hour, 0)
        for receipt in receipts.read(path, segment.applied if segment else 0):
            if receipt.kind == receipts.REFUSED:
                batch.refused.append((receipt.received_at, receipt.raw, receipt.why))
            else:
                raw = data[receipt.offset : receipt.offset + receipt.length]
                judged = intake.judge(raw, received_at=receipt.received_at, peer="")
                if isinstance(judged, Refused):
                    batch.refused.append((judged.received_at, raw, _why(judged)))
                else:
                    batch.fresh.append((judged, receipt.offset))
            batch.end = receipt.end
            if len(batch.fresh) + len(batch.refused) >= chunk:
                _replay_add(result, batch)
                batch = Journaled(hour, 0)
        if batch.end:
            _replay_add(result, batch)
    return result


def _replay_add(result: Stored, batch: Journaled) -> None:
    known = _known(batch.keys)
    batch.fresh = [(item, offset) for item, offset in batch.fresh if _key(item) not in known]
    stored = packets_apply(batches=[batch])
    result.stored += stored.stored
    result.quarantined += stored.quarantined
    result.readings += stored.readings
    result.reasons.update(stored.reasons)


def _segment_id(hour: dt.datetime) -> int:
    return Segment.objects.get_or_create(hour=hour)[0].pk


def _packet(item: Accepted, when, segment_id: int, offset: int) -> tuple:
    message = item.message
    return (
        item.device.id,
        message.qn,
        message.pno,
        message.cn,
        when,
        connection.ops.adapt_datetimefield_value(item.received_at),
        item.skewed,
        segment_id,
        offset,
        len(item.raw),
    )


def _readings(item: Accepted, when) -> list[tuple]:
    device, point = item.device.id, item.device.point_id
    return [
        (point, code, item.averaging, when, device, value, low, high, flag, item.skewed)
        for code, value, low, high, flag in item.rows
    ]


def _quarantined(received_at: dt.datetime, raw: bytes, why: dict) -> Quarantined:
    return Quarantined(received_at=received_at, raw=raw, **why)


def segment_seal(*, segment: Segment) -> Segment:
    """Seal an hour that is over and whose packets are all stored: copy its file into the content-addressed store
    (hashing it as it goes) and ledger the hash, the size and the number of packets, so that any packet of the hour
    can later be shown unaltered."""
    if segment.hour + dt.timedelta(hours=1) + SEAL_GRACE > timezone.now():
        raise ValueError(f"segment {segment} is still open")
    receipts_path = segments.receipts_path_of(segment.hour)
    if receipts_path.exists() and receipts_path.stat().st_size > segment.applied:
        # answered and not stored yet: the listener stores them when it starts again, then the hour can be sealed
        raise ValueError(f"segment {segment} holds packets not stored yet")
    path = segments.path_of(segment.hour)
    with path.open("rb") as source:
        digest, size = blob_ingest(source)  # before the transaction: copying an hour's file can take a while
    with transaction.atomic():
        segment = Segment.objects.select_for_update().get(pk=segment.pk)
        if segment.sealed_at is not None:
            return segment
        segment.packets = Packet.objects.filter(segment=segment).count()
        segment.sha256, segment.size, segment.sealed_at = digest, size, timezone.now()
        segment.save(update_fields=["packets", "sha256", "size", "sealed_at"])
        ledger_append(
            actor=None,
            agency=None,
            action="monitoring.segment_seal",
            subject=segment,
            data={"hour": segment.hour, "sha256": digest, "size": size, "packets": segment.packets},
        )
        transaction.on_commit(lambda: [p.unlink(missing_ok=True) for p in (path, receipts_path)])
    return segment


def segments_seal(*, now: dt.datetime | None = None) -> list[Segment]:
    """Seal every hour that is over, not sealed yet and wholly stored (the worker runs this every few minutes)."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=1) - SEAL_GRACE
    sealed = []
    for segment in Segment.objects.filter(sealed_at__isnull=True, hour__lte=cutoff):
        try:
            sealed.append(segment_seal(segment=segment))
        except ValueError:
            continue  # packets answered and not stored yet: sealed once they are
    return sealed
