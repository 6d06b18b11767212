"""Writes of the monitoring app: storing judged packets in batches, sealing an hour's segment."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.blobs import blob_ingest
from sanxiang.ledger.services import ledger_append
from sanxiang.monitoring import partitions, receipts, rollups, segments
from sanxiang.monitoring.intake import Accepted, Intake, Refused
from sanxiang.monitoring.models import Averaging, Packet, Quarantined, Reading, Segment
from sanxiang.monitoring.written import Written, stored_keys

log = logging.getLogger(__name__)
LEDGER_ACTIONS = {"monitoring.segment_seal": _("封存在线监控报文分段")}
# An hour's file is sealed once this long has passed after the hour: a packet received at 10:59:59.9 is written by
# then.
SEAL_GRACE = dt.timedelta(minutes=2)
INSERT_CHUNK = 1000  # rows a statement

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
    ("offset", "bigint"),
    ("length", "integer"),
    ("segment_id", "bigint"),  # last: known only when the rows are stored
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
    """Insert `rows` a chunk at a time: on PostgreSQL the columns as arrays, unnested; on SQLite the rows as one JSON
    array, taken apart by SQLite itself. Binding rows one by one in the driver, or converting ten thousand packets'
    rows in one call, held Python's interpreter lock for a long stretch, and the answers waiting for it waited with
    it: a chunk is converted in a millisecond or two."""
    names = ", ".join(connection.ops.quote_name(name) for name, _type in columns)
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for _name, kind in columns)
        statement = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}"
    else:
        picks = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(columns)))  # SQLite 3.9 and later
        # WHERE true: SQLite's grammar needs it before an ON CONFLICT clause of an INSERT … SELECT
        statement = f"INSERT INTO {table} ({names}) SELECT {picks} FROM json_each(%s) WHERE true {conflict}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(statement, [list(column) for column in zip(*chunk)])
            else:
                cursor.execute(statement, [json.dumps(chunk)])


class Stored:
    """What a batch came to: per item, the response to send; and the counts."""

    def __init__(self, size: int = 0) -> None:
        self.responses: list[bytes | None] = [None] * size
        self.stored = self.duplicates = self.quarantined = self.readings = 0
        self.reasons: Counter = Counter()  # the refusals by reason

    def add_stored(self, other: Stored) -> None:
        """Count in what storing `other`'s batch came to."""
        self.stored += other.stored
        self.quarantined += other.quarantined
        self.readings += other.readings
        self.reasons.update(other.reasons)


class _Moments(dict):
    """Times as the database takes them, each converted once: a batch's packets share a few minutes of data and
    the moments their connections were read."""

    def __call__(self, moment: dt.datetime):
        found = self.get(moment)
        if found is None:
            found = self[moment] = connection.ops.adapt_datetimefield_value(moment)
        return found


@dataclass
class Journaled:
    """Packets of one hour on disk (segment and receipts) and answered, as the rows they will be stored as. Plain
    tuples: tens of thousands wait seconds to be stored, and the garbage collector's full passes walked every
    object they were made of while no answer could be sent."""

    hour: dt.datetime
    end: int = 0  # the receipts' length after them: `Segment.applied` once they are stored
    packets: list[tuple] = field(default_factory=list)  # monitoring_packet rows but for their segment
    readings: list[tuple] = field(default_factory=list)
    keys: set[tuple[int, str, int]] = field(default_factory=set)
    months: set[dt.date] = field(default_factory=set)
    hours: set[dt.datetime] = field(default_factory=set)  # of minute values: their totals are to be made again
    refused: list[tuple[dt.datetime, bytes, dict]] = field(default_factory=list)  # received at, raw bytes, why
    moments: _Moments = field(default_factory=_Moments, repr=False)

    def add(self, item: Accepted, offset: int) -> None:
        when = self.moments(item.data_time)
        self.packets.append(_packet(item, when, self.moments(item.received_at), offset))
        self.readings.extend(_readings(item, when))
        self.keys.add(_key(item))
        self.months.add(partitions.month_of(item.data_time))
        if item.averaging == Averaging.MINUTE:
            # the device's local hour is the UTC hour: Beijing time is a whole number of hours from UTC
            self.hours.add(item.data_time.replace(minute=0, second=0, microsecond=0))

    @property
    def size(self) -> int:
        return len(self.packets) + len(self.refused)


def _key(item: Accepted) -> tuple[int, str, int]:
    return (item.device.id, item.message.qn, item.message.pno)


def _why(item: Refused) -> dict:
    """Why a packet was refused, as text any database keeps: a field of a refused packet may hold any byte, and
    PostgreSQL takes no NUL in text (the raw bytes are kept whole beside it)."""
    message = item.message
    return {
        "peer": _printable(item.peer)[:64],
        "reason": item.reason,
        "detail": _printable(item.detail)[:300],
        "mn": _printable(message.mn if message else "")[:24],
        "qn": _printable(message.qn if message else "")[:20],
    }


def _printable(text: str) -> str:
    return "".join(character for character in text if character.isprintable())


def packets_journal(
    *, items: list[Accepted | Refused], files: segments.SegmentFiles, written: Written
) -> tuple[Journaled | None, Stored]:
    """Write a batch of judged packets to disk, in the hour they are written in (an import of last month's log never
    reopens a sealed hour): the new accepted packets' bytes to the segment, a receipt for each of them and for each
    refusal, both files forced to disk. After this the responses may be sent. A packet the device sent already (the
    same QN and part: a retransmission) is answered again and written no second time, whether it is stored or
    waiting to be (`written` is told of the new ones)."""
    result = Stored(len(items))
    accepted = [(index, item) for index, item in enumerate(items) if isinstance(item, Accepted)]
    known = written.known({_key(item) for _index, item in accepted})
    hour = segments.hour_of(timezone.now())
    journaled = Journaled(hour)
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
        written.add(key)
        journaled.add(item, offset)
        data.append(item.raw)
        records.append(
            receipts.accepted(item.received_at if item.timed else None, offset, len(item.raw), item.device.id)
        )
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
        partitions.ensure_months(set().union(*(batch.months for batch in batches)))
        for batch in batches:
            segment_id = segment_ids[batch.hour]
            packets.extend((*row, segment_id) for row in batch.packets)
            readings.extend(batch.readings)
            refused.extend(_quarantined(*entry) for entry in batch.refused)
            ends[segment_id] = max(ends.get(segment_id, 0), batch.end)
        _insert(Packet._meta.db_table, _PACKET_COLUMNS, packets)
        _insert(Reading._meta.db_table, _READING_COLUMNS, readings, conflict="ON CONFLICT DO NOTHING")
        Quarantined.objects.bulk_create(refused)
        rollups.hours_mark_stale(hours=set().union(*(batch.hours for batch in batches)))
        for segment_id, end in ends.items():
            Segment.objects.filter(pk=segment_id, applied__lt=end).update(applied=end)
    result.stored, result.quarantined, result.readings = len(packets), len(refused), len(readings)
    result.reasons.update(item.reason for item in refused)
    return result


def packets_store(
    *, items: list[Accepted | Refused], files: segments.SegmentFiles, written: Written | None = None
) -> Stored:
    """Write a batch to disk and store it at once (an import; the listener answers in between)."""
    written = written or Written()
    journaled, result = packets_journal(items=items, files=files, written=written)
    if journaled is not None:
        result.add_stored(packets_apply(batches=[journaled]))
        written.stored(journaled.keys)
    return result


def journal_replay(*, intake: Intake, chunk: int = 5000) -> Stored:
    """Store what the receipts hold past each open hour's `applied`: packets a listener answered and was stopped
    (killed, or the machine lost power) before storing. Run by the one writer before it takes new packets. Each
    packet is read again from its bytes, with its time of receipt and the device it was accepted for. A record torn
    by the stop (never answered) is cut off, so that the hour's next records follow the good ones."""
    result = Stored()
    for path in sorted(segments.folder().glob("*.receipts")):
        hour = dt.datetime.strptime(path.stem, "%Y%m%d%H").replace(tzinfo=dt.UTC)
        segment = Segment.objects.filter(hour=hour).first()
        if segment is not None and segment.sealed_at is not None:
            path.unlink()  # sealed, and stopped before the receipts were removed
            continue
        applied = segment.applied if segment else 0
        if path.stat().st_size <= applied:
            continue
        data = segments.path_of(hour).read_bytes() if segments.path_of(hour).exists() else b""
        batch, accepted, good = Journaled(hour), [], applied
        for receipt in receipts.read(path, applied):
            good = receipt.end
            if receipt.kind == receipts.REFUSED:
                batch.refused.append((receipt.received_at, receipt.raw, receipt.why))
            else:
                raw = data[receipt.offset : receipt.offset + receipt.length]
                judged = intake.judge(raw, received_at=receipt.received_at, accepted_for=receipt.device)
                if isinstance(judged, Refused):
                    batch.refused.append((judged.received_at, raw, _why(judged)))
                else:
                    accepted.append((judged, receipt.offset))
            batch.end = receipt.end
            if len(accepted) + len(batch.refused) >= chunk:
                _replay_add(result, batch, accepted)
                batch, accepted = Journaled(hour), []
        if batch.end:
            _replay_add(result, batch, accepted)
        if receipts.torn(path, good):
            segments.receipts_cut(hour, good)
        elif path.stat().st_size > good:  # a whole record that fails its CRC: damage, not a crash; kept to be seen
            log.error(
                "the receipts of %s are damaged at byte %d: the hour is not sealed until they are examined", hour, good
            )
    return result


def _replay_add(result: Stored, batch: Journaled, accepted: list[tuple[Accepted, int]]) -> None:
    known = stored_keys({_key(item) for item, _offset in accepted})
    for item, offset in accepted:
        if _key(item) not in known:
            batch.add(item, offset)
    result.add_stored(packets_apply(batches=[batch]))


def _segment_id(hour: dt.datetime) -> int:
    return Segment.objects.get_or_create(hour=hour)[0].pk


def _packet(item: Accepted, when, received, offset: int) -> tuple:
    message = item.message
    return (
        item.device.id,
        message.qn,
        message.pno,
        message.cn,
        when,
        received,
        item.skewed,
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
        except ValueError as error:  # packets answered and not stored yet: sealed once they are
            log.warning("%s", error)
    return sealed
