"""Writes of the monitoring app: storing judged packets in batches, sealing an hour's segment."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.blobs import blob_ingest
from sanxiang.ledger.services import ledger_append
from sanxiang.monitoring import partitions, segments
from sanxiang.monitoring.intake import Accepted, Refused
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

    def __init__(self, size: int) -> None:
        self.responses: list[bytes | None] = [None] * size
        self.stored = self.duplicates = self.quarantined = self.readings = 0


def _segment_id(hour: dt.datetime) -> int:
    return Segment.objects.get_or_create(hour=hour)[0].pk


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


def packets_store(*, items: list[Accepted | Refused], files: segments.SegmentFiles) -> Stored:
    """Store a batch of judged packets in one transaction: the accepted ones' bytes appended to their hour's segment
    file and forced to disk, their packet rows and readings written; a packet this device already sent (the same
    QN and part: a retransmission) stored no second time but answered again; the refused ones quarantined with
    their raw bytes. Only after the commit may the responses be sent — an acknowledged packet is never lost."""
    result = Stored(len(items))
    accepted = [(index, item) for index, item in enumerate(items) if isinstance(item, Accepted)]
    keys = {(item.device.id, item.message.qn, item.message.pno) for _index, item in accepted}
    with transaction.atomic():
        known = _known(keys)
        fresh: list[Accepted] = []
        for index, item in accepted:
            key = (item.device.id, item.message.qn, item.message.pno)
            result.responses[index] = item.response
            if key in known:
                result.duplicates += 1
                continue
            known.add(key)
            fresh.append(item)
        packets, readings = [], []
        if fresh:
            # the hour the bytes are written in, not the one they were received in: an import of last month's log
            # never reopens a sealed hour
            hour = segments.hour_of(timezone.now())
            segment_id = _segment_id(hour)
            offsets = files.append(hour, [item.raw for item in fresh])
            for offset, item in zip(offsets, fresh, strict=True):
                when = connection.ops.adapt_datetimefield_value(item.data_time)
                packets.append(_packet(item, when, segment_id, offset))
                readings.extend(_readings(item, when))
        partitions.ensure_months({partitions.month_of(item.data_time) for _index, item in accepted})
        _insert(Packet._meta.db_table, _PACKET_COLUMNS, packets)
        _insert(Reading._meta.db_table, _READING_COLUMNS, readings, conflict="ON CONFLICT DO NOTHING")
        refused = [(index, item) for index, item in enumerate(items) if isinstance(item, Refused)]
        Quarantined.objects.bulk_create([_quarantined(item) for _index, item in refused])
        for index, item in refused:
            result.responses[index] = item.response
    result.stored, result.quarantined, result.readings = len(packets), len(refused), len(readings)
    return result


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


def _quarantined(item: Refused) -> Quarantined:
    message = item.message
    return Quarantined(
        received_at=item.received_at,
        peer=item.peer[:64],
        reason=item.reason,
        detail=item.detail[:300],
        mn=(message.mn if message else "")[:24],
        qn=(message.qn if message else "")[:20],
        raw=item.raw,
    )


def segment_seal(*, segment: Segment) -> Segment:
    """Seal an hour that is over: copy its file into the content-addressed store (hashing it as it goes) and ledger
    the hash, the size and the number of packets, so that any packet of the hour can later be shown unaltered."""
    if segment.hour + dt.timedelta(hours=1) + SEAL_GRACE > timezone.now():
        raise ValueError(f"segment {segment} is still open")
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
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return segment


def segments_seal(*, now: dt.datetime | None = None) -> list[Segment]:
    """Seal every hour that is over and not sealed yet (the worker runs this every few minutes)."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=1) - SEAL_GRACE
    return [
        segment_seal(segment=segment) for segment in Segment.objects.filter(sealed_at__isnull=True, hour__lte=cutoff)
    ]
