"""The HJ 212-2017 listener: devices connect over TCP and send packets; each is judged, stored, and only then
answered (9014 for data when the sender asks, 9011 with QnRtn for a refusal it can be told of).

One event loop reads every connection; one writer thread takes whatever has arrived since its last commit and
stores it as one batch (services.packets_store): under load a batch holds hundreds of packets and one commit and one
fsync serve them all, so the rate grows with the load while each packet waits at most about one commit. Answers go
back in the order the packets came on each connection."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter, deque
from dataclasses import dataclass, field

import uvloop
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from sanxiang.monitoring import protocol, segments, services
from sanxiang.monitoring.intake import Intake, Refused

log = logging.getLogger(__name__)
BATCH_LIMIT = 2000
# A device sends at least its minute data; a connection silent this long is a dead link the device will reopen.
IDLE_SECONDS = 900.0
SWEEP_SECONDS = 60.0  # how often silent connections are looked for (one timer for all, not one per packet)
# Bytes that are not packets a connection may send before it is closed: a device with a bad frame now and then is
# quarantined and answered, a stream of junk is not stored without end.
JUNK_LIMIT = 256 * 1024


@dataclass
class Counts:
    """What the listener has done since it started (printed on exit, read by the benchmark)."""

    received: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: Counter = field(default_factory=Counter)
    batches: int = 0

    def add(self, judged: list, result: services.Stored) -> None:
        self.stored += result.stored
        self.duplicates += result.duplicates
        self.batches += 1
        self.quarantined.update(item.reason for item in judged if isinstance(item, Refused))


class _Connection(asyncio.Protocol):
    def __init__(self, listener: Listener) -> None:
        self.listener = listener
        self.splitter = protocol.Splitter()
        self.transport: asyncio.Transport | None = None
        self.peer = ""
        self.junk = 0
        self.heard = 0.0  # the loop's clock when the connection last sent something

    def connection_made(self, transport) -> None:
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if peer else ""
        self.heard = asyncio.get_running_loop().time()
        self.listener.connections.add(self)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        received_at = timezone.now()
        self.heard = asyncio.get_running_loop().time()
        for piece in self.splitter.feed(data):
            if isinstance(piece, tuple):
                self.junk += len(piece[0])
            self.listener.submit(self, piece, received_at)
        if self.junk > JUNK_LIMIT:
            log.warning("closing %s: %d bytes that are not packets", self.peer, self.junk)
            self.close()

    def connection_lost(self, exc) -> None:
        self.listener.connections.discard(self)
        rest = self.splitter.rest()
        if rest:
            error = protocol.PacketError("length", "连接断开时报文不完整", code=None)
            self.listener.submit(self, (rest, error), timezone.now())
        self.transport = None

    def answer(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)


class Listener:
    """Serves `host`:`port` until stopped. `ready` is set once the port is open (its number in `port`)."""

    def __init__(self, host: str, port: int, *, database=None) -> None:
        """`database`: a connection the writer thread borrows instead of opening its own — for a caller that starts
        the listener inside its own transaction (the demo) and waits, touching no database, until it is stopped."""
        self.host, self.port, self.database = host, port, database
        self.counts = Counts()
        self.ready = threading.Event()
        self.connections: set[_Connection] = set()
        # what the loop has received and the writer has not taken yet; None tells the writer to finish. A deque's
        # append and popleft are atomic, and the event is set only when the writer may be waiting: a hand-off
        # costs no lock under load.
        self._pending: deque = deque()
        self._arrived = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self.failure: BaseException | None = None

    def submit(self, connection_: _Connection, piece, received_at) -> None:
        self.counts.received += 1
        self._pending.append((connection_, piece, received_at))
        if not self._arrived.is_set():
            self._arrived.set()

    def _finish_writer(self) -> None:
        self._pending.append(None)
        self._arrived.set()

    def run(self) -> None:
        """Run until stop() (or a signal handled by the caller); raises what stopped the writer."""
        files = segments.SegmentFiles()  # refuses to start while another writer runs
        writer = threading.Thread(target=self._write, args=(files,), name="hj212-writer", daemon=True)
        try:
            # uvloop's event loop (libuv) reads and answers the connections at about half the processor time of
            # asyncio's own, which leaves the writer the rest: 3,700 → 5,400 packets/s stored on one process.
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                runner.run(self._serve(writer))
        finally:
            self._finish_writer()
            writer.join()
            files.close()
        if self.failure is not None:
            raise self.failure

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stopping.set)

    async def _serve(self, writer: threading.Thread) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await self._loop.create_server(lambda: _Connection(self), self.host, self.port, backlog=4096)
        self.port = server.sockets[0].getsockname()[1]
        writer.start()
        self.ready.set()
        sweeping = self._loop.create_task(self._sweep())
        async with server:
            await self._stopping.wait()
        sweeping.cancel()
        # closing the server closes every connection: what each still had half-sent is quarantined on the way out

    async def _sweep(self) -> None:
        """Close the connections silent for IDLE_SECONDS, looking once every SWEEP_SECONDS."""
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            silent_since = self._loop.time() - IDLE_SECONDS
            for connection_ in [c for c in self.connections if c.heard < silent_since]:
                connection_.close()

    def _batches(self):
        """What has arrived since the last batch, up to BATCH_LIMIT at a time, until told to finish."""
        pending, arrived = self._pending, self._arrived
        while True:
            arrived.wait()
            arrived.clear()  # before taking: whatever arrives from now on sets it again
            while pending:
                batch = []
                while pending and len(batch) < BATCH_LIMIT:
                    item = pending.popleft()
                    if item is None:
                        if batch:
                            yield batch
                        return
                    batch.append(item)
                yield batch

    def _write(self, files: segments.SegmentFiles) -> None:
        if self.database is not None:
            connections[self.database.alias] = self.database
        try:
            intake = Intake()
            for batch in self._batches():
                self._store(intake, files, batch)
        except BaseException as error:  # stop serving: answering without storing would lose acknowledged data
            log.exception("monitoring writer stopped")
            self.failure = error
            self.stop()
        finally:
            if self.database is None:
                connection.close()

    def _store(self, intake: Intake, files: segments.SegmentFiles, batch: list) -> None:
        if self.database is None:
            close_old_connections()
        judged = [intake.take(piece, received_at=received_at, peer=owner.peer) for owner, piece, received_at in batch]
        result = services.packets_store(items=judged, files=files)
        self.counts.add(judged, result)
        answers = [(owner, answer) for (owner, _piece, _at), answer in zip(batch, result.responses, strict=True)]
        try:
            self._loop.call_soon_threadsafe(_send, answers)
        except RuntimeError:  # the loop has closed: the connections are gone, the packets are stored
            pass


def _send(answers) -> None:
    for owner, answer in answers:
        if answer:
            owner.answer(answer)
