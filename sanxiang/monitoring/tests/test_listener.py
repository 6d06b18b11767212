"""The listener over real TCP: packets answered in order once on disk and stored seconds later, refusals answered and
quarantined, a packet cut off by a closing connection kept — and a listener killed (-9) mid-stream loses no packet
it acknowledged: started again, it stores them before it takes new ones."""

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from sanxiang.monitoring import protocol
from sanxiang.monitoring.listener import Counts, Listener
from sanxiang.monitoring.models import Packet, Quarantined, Reading
from sanxiang.testing.monitoring import exchange, make_device, make_point, upload
from sanxiang.testing.processes import run


@pytest.fixture
def listen(live_data, settings, tmp_path):
    """Start a listener in this process (call it once the devices it should know are registered)."""
    settings.DATA_DIR = tmp_path
    started = []

    def start() -> Listener:
        listener = Listener("127.0.0.1", 0)
        thread = threading.Thread(target=listener.run, daemon=True)
        thread.start()
        assert listener.ready.wait(10)
        started.append((listener, thread))
        return listener

    yield start
    for listener, thread in started:
        listener.stop()
        thread.join(10)
        assert not thread.is_alive()


def test_packets_are_answered_in_order_once_stored_and_refusals_are_told_why(listen, world):
    device = make_device(make_point(world.harbin))
    listening = listen()
    now = timezone.now()
    good = [upload(device.mn, now - dt.timedelta(minutes=n), {"a21026": (float(n), "N")}, serial=n) for n in range(5)]
    wrong = upload(device.mn, now, {"a21026": (1.0, "N")}, password="000000", serial=9)
    cut = upload(device.mn, now, {"a21026": (7.0, "N")}, serial=7)[:40]
    responses = exchange(listening.port, [b"noise", *good[:3], wrong, *good[3:], cut], expect=6)
    replies = [protocol.parse(protocol.unframe(response)) for response in responses]
    sent = [protocol.parse(protocol.unframe(packet)).qn for packet in (*good[:3], wrong, *good[3:])]
    assert [reply.qn for reply in replies] == sent
    assert [reply.cn for reply in replies] == ["9014"] * 3 + ["9011"] + ["9014"] * 2
    assert replies[3].cp == "QnRtn=3"
    deadline = time.monotonic() + 10
    while listening.counts.received < 9 and time.monotonic() < deadline:
        time.sleep(0.05)  # the packet cut short is received when its connection closes
    assert listening.settle()
    assert Packet.objects.filter(device=device).count() == 5 and Reading.objects.count() == 5
    assert sum(listening.counts.answer_ms) == 6  # every answer timed; noise and the cut packet have none
    assert 0 <= listening.counts.answer_percentile(0.5) <= listening.counts.answer_percentile(0.99) < 10_000
    assert sorted(Quarantined.objects.values_list("reason", flat=True)) == ["frame", "length", "password"]
    assert bytes(Quarantined.objects.get(reason="frame").raw) == b"noise"
    assert bytes(Quarantined.objects.get(reason="length").raw) == cut


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SETUP = """
from sanxiang.testing.factories import make_agency
from sanxiang.testing.monitoring import make_device, make_point
agency = make_agency(code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
print(make_device(make_point(agency), mn="230100KILL000001").mn)
"""
COUNT_QNS = (
    "from sanxiang.monitoring.models import Packet; print(' '.join(Packet.objects.values_list('qn', flat=True)))"
)


def _listen(env, port):
    process = subprocess.Popen(
        [sys.executable, "-m", "sanxiang", "monitoring", "listen", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return process, socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.stderr.read().decode())


def test_a_listener_killed_mid_stream_loses_no_acknowledged_packet(fresh_database):
    env = fresh_database
    mn = run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", SETUP).strip()
    now = timezone.now()
    packets = [upload(mn, now, {"a21026": (float(n), "N")}, serial=n) for n in range(3000)]
    qns = [protocol.parse(protocol.unframe(packet)).qn for packet in packets]
    port = _free_port()
    listener, connection = _listen(env, port)
    acknowledged: list[str] = []
    with connection:
        sender = threading.Thread(target=connection.sendall, args=(b"".join(packets),), daemon=True)
        sender.start()
        splitter = protocol.Splitter()
        try:
            while len(acknowledged) < 300:
                data = connection.recv(65536)
                if not data:
                    break
                acknowledged += [
                    protocol.parse(protocol.unframe(p)).qn for p in splitter.feed(data) if isinstance(p, bytes)
                ]
            os.kill(listener.pid, signal.SIGKILL)
            while data := connection.recv(65536):  # answers already on the wire still count as acknowledged
                acknowledged += [
                    protocol.parse(protocol.unframe(p)).qn for p in splitter.feed(data) if isinstance(p, bytes)
                ]
        except OSError:
            pass
    listener.wait(30)
    assert listener.returncode == -signal.SIGKILL
    assert 300 <= len(acknowledged) < len(packets), "the kill should come mid-stream"
    before = set(run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", COUNT_QNS).split())
    assert not set(acknowledged) <= before, "the kill should come while answered packets wait to be stored"
    # started again, the listener stores what it answered and had not stored before it opens its port
    listener, connection = _listen(env, port)
    stored = set(run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", COUNT_QNS).split())
    assert set(acknowledged) <= stored  # every acknowledged packet survived the kill
    # the device sends again what was not acknowledged (and some that was): everything is stored once
    with connection:
        responses = exchange(port, packets, expect=len(packets), timeout=60)
    listener.send_signal(signal.SIGTERM)
    listener.wait(30)
    assert [protocol.parse(protocol.unframe(response)).qn for response in responses] == qns
    assert sorted(run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", COUNT_QNS).split()) == sorted(qns)


def test_a_connection_sending_only_junk_is_closed_and_an_idle_one_dropped(listen, world, monkeypatch):
    from sanxiang.monitoring import listener as module

    monkeypatch.setattr(module, "JUNK_LIMIT", 1000)
    monkeypatch.setattr(module, "IDLE_SECONDS", 0.5)
    monkeypatch.setattr(module, "SWEEP_SECONDS", 0.2)
    listening = listen()
    with socket.create_connection(("127.0.0.1", listening.port), timeout=10) as flood:
        flood.sendall(b"x" * 4000)
        assert flood.recv(100) == b""  # closed by the listener
    with socket.create_connection(("127.0.0.1", listening.port), timeout=10) as silent:
        started = time.monotonic()
        assert silent.recv(100) == b""
        assert time.monotonic() - started < 5


def test_a_listener_given_its_callers_connection_stores_in_the_callers_transaction(world, settings, tmp_path):
    """What the demo does: the writer borrows the connection of a caller that waits inside its own transaction."""
    settings.DATA_DIR = tmp_path
    device = make_device(make_point(world.harbin))
    database = connections["default"]
    database.inc_thread_sharing()
    listener = Listener("127.0.0.1", 0, database=database)
    thread = threading.Thread(target=listener.run, daemon=True)
    thread.start()
    try:
        assert listener.ready.wait(10)
        packet = upload(device.mn, timezone.now(), {"a21026": (1.0, "N")})
        assert len(exchange(listener.port, [packet], expect=1)) == 1
        assert listener.settle()
    finally:
        listener.stop()
        thread.join(10)
        database.dec_thread_sharing()
    assert listener.failure is None and Packet.objects.get().device == device


def test_a_store_that_fails_on_the_database_is_tried_again_and_nothing_is_lost(listen, world, monkeypatch):
    from django.db import OperationalError

    from sanxiang.monitoring import services

    device = make_device(make_point(world.harbin))
    real, failures = services.packets_apply, []

    def flaky(**kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(services, "packets_apply", flaky)
    listening = listen()
    now = timezone.now()
    packets = [upload(device.mn, now - dt.timedelta(minutes=n), {"a21026": (1.0, "N")}, serial=n) for n in range(3)]
    assert len(exchange(listening.port, packets, expect=3)) == 3  # answered while the database was away
    assert listening.settle() and failures == [1]
    assert Packet.objects.filter(device=device).count() == 3 and listening.failure is None


def test_the_answer_time_percentiles_read_the_histogram():
    counts = Counts()
    assert counts.answer_percentile(0.99) is None
    for milliseconds, number in ((2, 90), (30, 9), (400, 1)):
        counts.answer_ms[milliseconds] = number
    assert [counts.answer_percentile(share) for share in (0.5, 0.9, 0.99, 1.0)] == [2, 2, 30, 400]
