"""The receipts of an hour: beside the hour's segment file (the packets' raw bytes), one record per packet received —
when, and where its bytes lie in the segment; for a refused packet, why, and its bytes themselves (they are not in
the segment). Both files are forced to disk before any of their packets is answered, so a packet acknowledged is on
disk even if the values it carries are written to the database seconds later; a listener that starts again reads the
records past the position the database has reached (`Segment.applied`) and stores them first.

A record is a CRC-32 and the length of its body, then the body: kind, time of receipt in microseconds since the
epoch (or none, for a captured log without times), and for an accepted packet its offset and length in the segment and
its device, for a refused one its reason as JSON and its raw bytes. A crash can tear only the last record, which was never
answered: reading stops at the first record that is short or fails its CRC."""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_HEAD = struct.Struct("<II")  # CRC-32 of the body, length of the body
_BODY = struct.Struct("<Bq")  # kind, received at (µs since the epoch, NO_TIME when not known)
_PLACE = struct.Struct("<QIQ")  # offset and length in the segment, the device it was accepted for
ACCEPTED, REFUSED = 0, 1
NO_TIME = -(2**63)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _micros(moment: dt.datetime | None) -> int:
    return NO_TIME if moment is None else (moment - EPOCH) // dt.timedelta(microseconds=1)


def _moment(micros: int) -> dt.datetime | None:
    return None if micros == NO_TIME else EPOCH + dt.timedelta(microseconds=micros)


def _record(body: bytes) -> bytes:
    return _HEAD.pack(zlib.crc32(body), len(body)) + body


def accepted(received_at: dt.datetime | None, offset: int, length: int, device: int) -> bytes:
    return _record(_BODY.pack(ACCEPTED, _micros(received_at)) + _PLACE.pack(offset, length, device))


def refused(received_at: dt.datetime, raw: bytes, why: dict) -> bytes:
    text = json.dumps(why, ensure_ascii=False).encode()
    return _record(_BODY.pack(REFUSED, _micros(received_at)) + struct.pack("<I", len(text)) + text + raw)


@dataclass(frozen=True)
class Receipt:
    kind: int
    received_at: dt.datetime | None
    end: int  # the file's position after this record: what `Segment.applied` becomes once it is stored
    offset: int = 0
    length: int = 0
    device: int = 0
    why: dict | None = None
    raw: bytes = b""


def read(path: Path, start: int) -> Iterator[Receipt]:
    """The records of `path` from position `start`, up to the first torn one (the last record's `end` is where the
    good ones end)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    position = start
    while position + _HEAD.size <= len(data):
        crc, size = _HEAD.unpack_from(data, position)
        body = data[position + _HEAD.size : position + _HEAD.size + size]
        if len(body) < size or zlib.crc32(body) != crc or size < _BODY.size:
            return
        position += _HEAD.size + size
        kind, micros = _BODY.unpack_from(body)
        if kind == ACCEPTED:
            offset, length, device = _PLACE.unpack_from(body, _BODY.size)
            yield Receipt(kind, _moment(micros), position, offset=offset, length=length, device=device)
        else:
            (text_size,) = struct.unpack_from("<I", body, _BODY.size)
            text_end = _BODY.size + 4 + text_size
            why = json.loads(body[_BODY.size + 4 : text_end])
            yield Receipt(kind, _moment(micros), position, why=why, raw=body[text_end:])


def torn(path: Path, good: int) -> bool:
    """Whether what follows position `good` is a record cut short — what a stop in the middle of writing leaves,
    never answered — rather than a whole record that fails its CRC (damage, to be examined, not cut)."""
    with path.open("rb") as handle:
        handle.seek(good)
        rest = handle.read(_HEAD.size)
        if not rest:
            return False
        if len(rest) < _HEAD.size:
            return True
        _crc, size = _HEAD.unpack(rest)
        return path.stat().st_size < good + _HEAD.size + size
