"""A simulated fleet of monitoring devices: seeded, reproducible HJ 212-2017 minute uploads (CN=2051, Flag=5: the
device asks for a 9014 answer) with plausible values, scripted episodes, and a client that sends them to a listener
the way a data logger does. The demo's enterprises and the benchmark use it; nothing here touches the database.

Values follow a daily cycle (highest in the early afternoon, when plants run at full load) with noise from
`random.Random`, seeded per device so that a device's series depends only on the seed and its MN. An episode
changes a device's values for a while: an exceedance multiplies them; maintenance has the device flag its values
"M" (数据标记 under the marking rule), whatever they are.

The client opens one connection per stream, sends each stream's packets in order and waits for each answer (or keeps
up to `window` unanswered), and when no answer comes within `timeout` sends the same packet again — same QN, so the
listener stores it once — up to `retries` times (HJ 212-2017 超时重发)."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import time
from dataclasses import dataclass, field

from sanxiang.monitoring import protocol

BEIJING = dt.timezone(dt.timedelta(hours=8))  # the standard's times are the device's local time


@dataclass(frozen=True)
class Measured:
    """A pollutant a device measures, its typical level and the unit its values are in (for the caller's limits:
    HJ 212 packets carry no units)."""

    code: str
    base: float
    unit: str


@dataclass(frozen=True)
class SimulatedDevice:
    mn: str
    password: str
    measured: tuple[Measured, ...]
    st: str = "31"  # 大气环境污染源; 32 for waste water


@dataclass(frozen=True)
class Episode:
    """From `starts_at` until `ends_at`, the device `mn`'s values (of `codes`, or of all) multiplied by `factor` and
    flagged `flag`."""

    mn: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    factor: float = 1.0
    flag: str = "N"
    codes: tuple[str, ...] = ()

    @classmethod
    def exceedance(cls, mn: str, starts_at: dt.datetime, *, hours: float = 1, factor: float = 2.5, codes=()):
        return cls(mn, starts_at, starts_at + dt.timedelta(hours=hours), factor, "N", tuple(codes))

    @classmethod
    def maintenance(cls, mn: str, starts_at: dt.datetime, *, hours: float = 1, factor: float = 1.0, codes=()):
        return cls(mn, starts_at, starts_at + dt.timedelta(hours=hours), factor, "M", tuple(codes))

    def covers(self, mn: str, code: str, minute: dt.datetime) -> bool:
        return mn == self.mn and self.starts_at <= minute < self.ends_at and (not self.codes or code in self.codes)


@dataclass(frozen=True)
class Upload:
    """One packet as sent: the device, its QN (the key of the answer and of a retransmission), the minute it is
    for, and its bytes."""

    mn: str
    qn: str
    data_time: dt.datetime
    raw: bytes


def _minutes(start: dt.datetime, end: dt.datetime):
    minute = start.replace(second=0, microsecond=0)
    if minute < start:
        minute += dt.timedelta(minutes=1)
    while minute < end:
        yield minute
        minute += dt.timedelta(minutes=1)


def _cycle(minute: dt.datetime) -> float:
    """The daily load cycle, 0.85 … 1.15, highest at 14:00 Beijing time."""
    local = minute.astimezone(BEIJING)
    hours = local.hour + local.minute / 60
    return 1 + 0.15 * math.cos(2 * math.pi * (hours - 14) / 24)


@dataclass
class Fleet:
    devices: list[SimulatedDevice]
    seed: int = 0
    episodes: list[Episode] = field(default_factory=list)

    def uploads(
        self, device: SimulatedDevice, start: dt.datetime, end: dt.datetime, *, sent_at: dt.datetime | None = None
    ) -> list[Upload]:
        """The device's minute uploads for every whole minute from `start` until `end` (aware datetimes), each sent
        a few seconds after its minute is over by the device's clock — or, with `sent_at`, all sent from then on, a
        millisecond apart (补传: a logger sending the history it stored while its link was down). The same fleet and
        arguments give the same bytes."""
        rng = random.Random(f"{self.seed}:{device.mn}:{start.isoformat()}")
        uploads = []
        for number, minute in enumerate(_minutes(start, end)):
            if sent_at is None:
                sent = minute + dt.timedelta(minutes=1, milliseconds=rng.randrange(1000, 9000))
            else:
                sent = sent_at + dt.timedelta(milliseconds=number)
            sent = sent.astimezone(BEIJING)
            qn = f"{sent:%Y%m%d%H%M%S}{sent.microsecond // 1000:03d}"
            fields = [f"DataTime={minute.astimezone(BEIJING):%Y%m%d%H%M%S}"]
            for measured in device.measured:
                average, flag = self._value(device, measured, minute, rng)
                spread = average * rng.uniform(0.02, 0.08)
                fields.append(
                    f"{measured.code}-Avg={average:.3f},{measured.code}-Min={max(average - spread, 0):.3f},"
                    f"{measured.code}-Max={average + spread:.3f},{measured.code}-Flag={flag}"
                )
            segment = (
                f"QN={qn};ST={device.st};CN=2051;PW={device.password};MN={device.mn};Flag=5;CP=&&{';'.join(fields)}&&"
            )
            uploads.append(Upload(device.mn, qn, minute, protocol.frame(segment)))
        return uploads

    def streams(
        self, start: dt.datetime, end: dt.datetime, *, sent_at: dt.datetime | None = None
    ) -> list[list[Upload]]:
        """Every device's uploads, one stream (connection) per device."""
        return [self.uploads(device, start, end, sent_at=sent_at) for device in self.devices]

    def _value(self, device, measured: Measured, minute: dt.datetime, rng: random.Random) -> tuple[float, str]:
        value = max(measured.base * _cycle(minute) * (1 + rng.gauss(0, 0.05)), 0.0)
        flag = "N"
        for episode in self.episodes:
            if episode.covers(device.mn, measured.code, minute):
                value, flag = value * episode.factor, episode.flag
        return value, flag


@dataclass
class Delivery:
    """What the client saw: packets sent (once each, retransmissions apart), answered with 9014, refused with
    9011, never answered after every retry; the milliseconds from each packet's first sending to its answer."""

    sent: int = 0
    acknowledged: int = 0
    refused: int = 0
    unanswered: int = 0
    retransmissions: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)


class _Stream(asyncio.Protocol):
    """One device's connection: answers matched to their packets by MN and QN."""

    def __init__(self) -> None:
        self.splitter = protocol.Splitter()
        self.waiting: dict[tuple[str, str], asyncio.Future] = {}
        self.transport = None
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        for piece in self.splitter.feed(data):
            if isinstance(piece, tuple):
                continue  # not a packet: a device would ignore it and retransmit
            try:
                answer = protocol.parse(protocol.unframe(piece))
            except protocol.PacketError:
                continue
            future = self.waiting.pop((answer.mn, answer.qn), None)
            if future is not None and not future.done():
                future.set_result(answer.cn)

    def connection_lost(self, exc) -> None:
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("connection lost"))
        if not self.closed.done():
            self.closed.set_result(None)


async def _send_one(stream: _Stream, upload: Upload, delivery: Delivery, timeout: float, retries: int) -> None:
    loop = asyncio.get_running_loop()
    first = time.perf_counter()
    delivery.sent += 1
    for attempt in range(retries + 1):
        future = loop.create_future()
        stream.waiting[(upload.mn, upload.qn)] = future
        if attempt:
            delivery.retransmissions += 1
        stream.transport.write(upload.raw)
        try:
            async with asyncio.timeout(timeout):  # no task per wait, as wait_for makes (the client shares the cores)
                cn = await future
        except TimeoutError:
            continue
        delivery.latencies_ms.append((time.perf_counter() - first) * 1000)
        if cn == "9014":
            delivery.acknowledged += 1
        else:
            delivery.refused += 1
        return
    stream.waiting.pop((upload.mn, upload.qn), None)
    delivery.unanswered += 1


async def _run_stream(
    host, port, uploads, delivery, *, interval, offset, window, timeout, retries, connect: asyncio.Semaphore
):
    loop = asyncio.get_running_loop()
    async with connect:  # a listen backlog is finite: connect a few hundred at a time
        _transport, stream = await loop.create_connection(_Stream, host, port)
    await asyncio.sleep(offset)
    began = loop.time()
    slots = asyncio.Semaphore(window)
    pending = set()
    for number, upload in enumerate(uploads):
        if interval:
            delay = began + number * interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        await slots.acquire()
        task = loop.create_task(_send_one(stream, upload, delivery, timeout, retries))
        task.add_done_callback(lambda done: (slots.release(), pending.discard(done)))
        pending.add(task)
    if pending:
        await asyncio.gather(*pending)
    stream.transport.close()
    await stream.closed


async def deliver(
    host: str,
    port: int,
    streams: list[list[Upload]],
    *,
    rate: float | None = None,
    window: int = 1,
    timeout: float = 5.0,
    retries: int = 3,
    seed: int = 0,
) -> Delivery:
    """Send every stream on its own connection to `host`:`port`. `rate`: packets per second over all streams
    together, each stream evenly paced and started at a random moment within its first interval (None: each sends
    its next packet as soon as its window allows)."""
    delivery = Delivery()
    rng = random.Random(seed)
    interval = len(streams) / rate if rate else 0.0
    connect = asyncio.Semaphore(256)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _run_stream(
                host,
                port,
                uploads,
                delivery,
                interval=interval,
                offset=rng.uniform(0, interval),
                window=window,
                timeout=timeout,
                retries=retries,
                connect=connect,
            )
            for uploads in streams
            if uploads
        )
    )
    delivery.seconds = time.perf_counter() - started
    return delivery
