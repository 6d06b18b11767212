"""The HJ 212-2017 listener: devices connect over TCP and send packets; each is judged, written to disk, and only
then answered (9014 for data when the sender asks, 9011 with QnRtn for a refusal it can be told of).

One event loop reads every connection. A journal thread takes whatever has arrived since its last write, judges it
and writes it as one batch to the hour's segment and receipts, forced to disk (services.packets_journal), then has
the answers sent — in the order the packets came on each connection: an answer waits for one fsync, never for the
database. A store thread writes what the journal thread has written to the database every APPLY_SECONDS in one
transaction (services.packets_apply): the larger the transaction, the fewer of the values' index pages each value
costs. A listener stopped before storing what it answered stores it first when it starts again
(services.journal_replay), before it opens its port."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import itertools
import logging
import os
import sys
import threading
import time
from collections import Counter, deque
from contextlib import nullcontext
from dataclasses import dataclass, field

import uvloop
from django.db import InterfaceError, OperationalError, close_old_connections, connection, connections
from django.utils import timezone

from sanxiang.monitoring import protocol, segments, services
from sanxiang.monitoring.intake import Intake
from sanxiang.monitoring.written import Written

log = logging.getLogger(__name__)
BATCH_LIMIT = 2000
# The store thread's transaction: what was written in this many seconds, or this many packets if sooner.
APPLY_SECONDS = 1.0
APPLY_LIMIT = 20_000
# Packets written and not yet stored past which the journal thread waits (and devices wait for their answers):
# a database slower than the devices for minutes holds the listener back instead of its memory growing.
BACKLOG_LIMIT = 200_000
SWITCH_SECONDS = 0.0005
RETRY_LONGEST = 30.0  # seconds between a failed store's tries, at most
STORE_NICENESS = 10  # the store thread's niceness (on Linux, a thread has its own)
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
    # how long answers took from the read of their packet to their write, by millisecond (the last: 10 s or more)
    answer_ms: list[int] = field(default_factory=lambda: [0] * 10_001)

    def answer_percentile(self, share: float) -> int | None:
        """The answer time (ms) within which `share` of the answers were written; None before any answer."""
        wanted, seen = share * sum(self.answer_ms), 0
        for milliseconds, number in enumerate(self.answer_ms):
            seen += number
            if number and seen >= wanted:
                return milliseconds
        return None

    def add(self, result: services.Stored) -> None:
        self.stored += result.stored
        self.duplicates += result.duplicates
        self.batches += 1
        self.quarantined.update(result.reasons)


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
        """`database`: a connection both threads borrow (one at a time) instead of opening their own — for a caller
        that starts the listener inside its own transaction (the demo) and waits, touching no database, until it is
        stopped."""
        self.host, self.port, self.database = host, port, database
        self._database_lock = threading.Lock() if database is not None else nullcontext()
        self.counts = Counts()
        self.ready = threading.Event()
        self.connections: set[_Connection] = set()
        # what the loop has received and the journal thread has not taken yet; None tells it to finish. A deque's
        # append and popleft are atomic, and the event is set only when the thread may be waiting: a hand-off costs
        # no lock under load.
        self._pending: deque = deque()
        self._arrived = threading.Event()
        # what the journal thread has written and the store thread not stored: the batches, the keys of their
        # packets (a retransmission of one of them is not written again), how many packets, and whether to finish
        self._written: deque[services.Journaled] = deque()
        self._written_keys = Written()
        self._backlog = 0
        self._journaled = 0  # pieces the journal thread is done with
        self._journal_done = False
        self._turn = threading.Condition()
        self._replayed = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self.failure: BaseException | None = None

    def submit(self, connection_: _Connection, piece, received_at) -> None:
        self.counts.received += 1
        self._pending.append((connection_, piece, received_at))
        if not self._arrived.is_set():
            self._arrived.set()

    def run(self) -> None:
        """Run until stop() (or a signal handled by the caller); raises what stopped a thread."""
        files = segments.SegmentFiles()  # refuses to start while another writer runs
        journal = threading.Thread(target=self._journal, args=(files,), name="hj212-journal", daemon=True)
        store = threading.Thread(target=self._store, name="hj212-store", daemon=True)
        switching = sys.getswitchinterval()
        # The three threads share one interpreter lock: with Python's default 5 ms between switches, the journal
        # thread waited up to that long for the lock after each fsync and each look-up while the store thread built
        # its rows, and answers waited hundreds of milliseconds. A shorter interval lets it in sooner.
        sys.setswitchinterval(SWITCH_SECONDS)
        try:
            journal.start()
            store.start()
            # uvloop's event loop (libuv) reads and answers the connections at about half the processor time of
            # asyncio's own, which leaves the other threads the rest
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                runner.run(self._serve())
        finally:
            self._pending.append(None)
            self._arrived.set()
            journal.join()
            store.join()
            files.close()
            sys.setswitchinterval(switching)
            gc.unfreeze()  # a listener run inside a longer process (the demo's) leaves it as it was
        if self.failure is not None:
            raise self.failure

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stopping.set)

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until everything received so far is stored; False if `timeout` passed first or a thread failed."""
        deadline = time.monotonic() + timeout
        with self._turn:
            settled = self._turn.wait_for(
                lambda: self._journaled >= self.counts.received and not self._backlog or self.failure is not None,
                timeout=max(deadline - time.monotonic(), 0),
            )
            return settled and self.failure is None

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        await self._loop.run_in_executor(None, self._replayed.wait)
        if self.failure is not None:
            return
        server = await self._loop.create_server(lambda: _Connection(self), self.host, self.port, backlog=4096)
        self.port = server.sockets[0].getsockname()[1]
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

    def _fail(self, error: BaseException, thread: str) -> None:
        # stop serving: a journal thread that cannot write must not answer; a store thread that cannot store
        # leaves what is written to the next start's replay
        log.exception("monitoring %s thread stopped", thread)
        self.failure = self.failure or error
        self.stop()
        with self._turn:
            self._turn.notify_all()

    def _journal(self, files: segments.SegmentFiles) -> None:
        self._borrow()
        try:
            with self._database_lock:
                services.journal_replay(intake=Intake())
                intake = Intake()
                self._written_keys.learn(intake.devices.ids())
            # what is loaded by now lives as long as the process: out of the collector's full passes, which
            # otherwise walked all of Django's objects for 100–200 ms at a time while no answer could be sent
            gc.freeze()
            self._replayed.set()
            for batch in self._batches():
                self._write(intake, files, batch)
        except BaseException as error:
            self._fail(error, "journal")
        finally:
            self._replayed.set()
            with self._turn:
                self._journal_done = True
                self._turn.notify_all()
            self._give_back()

    def _write(self, intake: Intake, files: segments.SegmentFiles, batch: list) -> None:
        with self._database_lock:
            if self.database is None:
                close_old_connections()
            judged = [intake.take(piece, received_at=at, peer=owner.peer) for owner, piece, at in batch]
            journaled, result = services.packets_journal(items=judged, files=files, written=self._written_keys)
        with self._turn:
            self.counts.duplicates += result.duplicates  # under the lock: the store thread adds to the counts too
            if journaled is not None:
                self._written.append(journaled)
                self._backlog += journaled.size
            self._journaled += len(batch)
            self._turn.notify_all()
        answers = [(owner, answer, at) for (owner, _piece, at), answer in zip(batch, result.responses, strict=True)]
        try:
            self._loop.call_soon_threadsafe(_send, answers, self.counts.answer_ms)
        except RuntimeError:  # the loop has closed: the connections are gone, the packets are on disk
            pass
        with self._turn:
            self._turn.wait_for(lambda: self._backlog <= BACKLOG_LIMIT or self.failure is not None)

    def _store(self) -> None:
        # the store's work in SQLite (or waiting on PostgreSQL) yields the processor to the threads that answer
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), STORE_NICENESS)
        self._borrow()
        try:
            while True:
                with self._turn:
                    self._turn.wait_for(lambda: self._written or self._journal_done)
                    if not self._written:
                        return
                    # gather a transaction's worth, unless the journal thread is done
                    self._turn.wait_for(lambda: self._backlog >= APPLY_LIMIT or self._journal_done, APPLY_SECONDS)
                    taken = list(self._written)
                    self._written.clear()
                result = self._apply(taken)
                for batch in taken:
                    self._written_keys.stored(batch.keys)  # only once committed
                with self._turn:
                    self.counts.add(result)
                    self._backlog -= sum(batch.size for batch in taken)
                    self._turn.notify_all()
        except BaseException as error:
            self._fail(error, "store")
        finally:
            self._give_back()

    def _apply(self, taken: list[services.Journaled]) -> services.Stored:
        """Store the batches, trying again while the database cannot be reached (a restart, a failover, a lock held
        too long): they are on disk and answered, and the journal thread goes on answering until the backlog fills."""
        for attempt in itertools.count():
            try:
                with self._database_lock:
                    if self.database is None:
                        close_old_connections()
                    return services.packets_apply(batches=taken)
            except (OperationalError, InterfaceError) as error:
                if self.database is not None:
                    raise  # the caller's transaction is gone with it
                log.warning("storing monitoring packets failed (%s); trying again", error)
                connection.close()
                time.sleep(min(2**attempt, RETRY_LONGEST))
        raise AssertionError("unreachable")

    def _borrow(self) -> None:
        if self.database is not None:
            connections[self.database.alias] = self.database

    def _give_back(self) -> None:
        if self.database is None:
            connection.close()


def _send(answers, histogram: list[int]) -> None:
    now = timezone.now()
    for owner, answer, received_at in answers:
        if answer:
            owner.answer(answer)
            histogram[min((now - received_at) // _MILLISECOND, 10_000)] += 1


_MILLISECOND = dt.timedelta(milliseconds=1)
