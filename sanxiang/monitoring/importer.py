"""Importing a captured packet log (a gateway's or a device's capture): one packet a line, as it travelled, each
line optionally preceded by the time it was received (ISO 8601) and a space. Judged and stored exactly as the
listener does; without a time of receipt a packet's clock cannot be checked."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from sanxiang.monitoring import protocol, segments, services
from sanxiang.monitoring.intake import Intake
from sanxiang.monitoring.listener import Counts
from sanxiang.monitoring.written import Written

BATCH = 1000


def _received(prefix: bytes) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(prefix.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return moment if moment.tzinfo else None


def packets_import(*, source: BinaryIO, progress=None) -> Counts:
    """Judge and store every packet of `source` in batches; returns the counts (nothing is answered). `progress`
    is told how many bytes of the source are done."""
    counts, files, written = Counts(), segments.SegmentFiles(), Written()
    batch: list = []

    def flush() -> None:
        judged = [intake.take(piece, received_at=at, peer="import") for piece, at in batch]
        counts.add(services.packets_store(items=judged, files=files, written=written))
        if progress:
            progress(source.tell())
        batch.clear()

    try:
        counts.add(services.journal_replay(intake=Intake()))  # what a listener stopped before storing
        intake = Intake()
        for line in source:
            received_at = None
            if not line.startswith(protocol.HEAD):
                prefix, space, rest = line.partition(b" ")
                received_at = _received(prefix) if space else None
                if received_at is not None:
                    line = rest
            splitter = protocol.Splitter()
            pieces = splitter.feed(line)
            if splitter.rest():
                pieces.append((splitter.rest(), protocol.PacketError("length", "报文不完整", code=None)))
            counts.received += len(pieces)
            batch.extend((piece, received_at) for piece in pieces)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
    finally:
        files.close()
    return counts
