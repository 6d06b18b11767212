"""Online monitoring (issue 18), on SQLite and, when the server BENCH_POSTGRES names answers, on PostgreSQL (a fresh
database `sanxiang_bench_monitoring`, dropped after):

1. Ingest through the HJ 212 listener: `sanxiang monitoring listen` in its own process, the simulated fleet
   (`sanxiang.monitoring.simulate`, BENCH_MONITORING_DEVICES devices, 4 factors each, one connection per device)
   in another, on loopback, twice — paced at the target rate for BENCH_MONITORING_SECONDS, where the figure is the
   time to acknowledge; then as fast as the answers allow (each device waits for its 9014 before its next packet),
   where the figure is the rate stored. The listener answers once a packet is on disk and stores it in the database
   within seconds: packets stored are counted in the database afterwards and divided by the client's wall time plus
   the time the listener took, once the client was done, to store the rest and stop. The listener's processor time
   is read from /proc; the load average is reported beside.
2. The chart of the enterprise page over BENCH_MONITORING_MONTHS months of minute data of 100 points (12 on
   PostgreSQL: ≈ 5.3 × 10^7 values, generated in the server by INSERT … SELECT generate_series into the month
   partitions; 1 on SQLite, inserted from Python): a day of minute values of one point, and 30 days by hour, p50 /
   p95 of random points and days, against a primary-key look-up of one value in the same run; the storage per
   million values (partitions and their indexes on PostgreSQL, the file's growth on SQLite).
3. Exceedance detection over a day of a province's data: BENCH_MONITORING_PROVINCE_POINTS points (10^4, the issue's
   province; a tenth on SQLite) with their 4 factors for one day — its 24 hour totals made first, one at a time, as
   the worker makes them once each hour is over —, found, stored, ledgered and made tasks.
Targets: ≥ 5,000 packets/s stored, acknowledgement p99 < 50 ms, chart p95 < 200 ms (PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time

import uvloop

from bench.common import free_port, installation, on_both_engines, write_result

DEVICES = int(os.environ.get("BENCH_MONITORING_DEVICES", 2000))
SECONDS = int(os.environ.get("BENCH_MONITORING_SECONDS", 30))
# The year (12) on PostgreSQL takes half an hour to generate here; the chart reads one or two month
# partitions whatever their number, so the default run generates three (BENCH_MONITORING_MONTHS=12 for the year).
MONTHS = {"postgresql": int(os.environ.get("BENCH_MONITORING_MONTHS", 3)), "sqlite": 1}
# a province's day: the 10^4 points on PostgreSQL, a tenth of them (a city's) on SQLite, the embedded engine;
# the points beyond the fleet's are seeded alike and only hold the day's data
PROVINCE = int(os.environ.get("BENCH_MONITORING_PROVINCE_POINTS", 10_000))
PROVINCE_POINTS = {"postgresql": PROVINCE, "sqlite": PROVINCE // 10}
YEAR_POINTS = 100
YEAR = 2025
PROVINCE_DAY = dt.date(2026, 1, 15)
FACTORS = (("a34013", 12.0), ("a21026", 35.0), ("a21002", 80.0), ("a19001", 9.0))
RATE = 5000
SAMPLES = 50
TARGETS = {"stored_per_s": RATE, "ack_p99_ms": 50, "chart_p95_ms": 200}


def _identity(n: int) -> tuple[str, str]:
    """The MN and the password of the n-th device."""
    return f"88230100{n:08d}", f"pw{n:06d}"


def _fleet():
    from sanxiang.monitoring.simulate import Fleet, Measured, SimulatedDevice

    measured = tuple(Measured(code, base, "mg/m³") for code, base in FACTORS)
    return Fleet([SimulatedDevice(*_identity(n), measured) for n in range(DEVICES)], seed=18)


def run() -> dict:
    result = {"devices": DEVICES, "factors": len(FACTORS), "paced_seconds": SECONDS, "months": MONTHS}
    result |= on_both_engines("sanxiang_bench_monitoring", _measure)
    result["targets"] = TARGETS
    passed = {}
    for engine in ("sqlite", "postgresql"):
        figures = result[engine]
        if figures:
            passed[f"{engine}_stored_per_s"] = figures["ingest_saturated"]["stored_per_s"] >= RATE
            passed[f"{engine}_ack_p99"] = figures["ingest_paced"]["ack_ms"]["p99"] < TARGETS["ack_p99_ms"]
    if result["postgresql"]:
        passed["postgresql_chart"] = all(
            result["postgresql"]["chart"][name]["p95"] < TARGETS["chart_p95_ms"]
            for name in ("day_minutes", "month_hourly")
        )
    result["passed"] = passed
    write_result("monitoring", result)
    return result


def _measure(extra: dict) -> dict:
    engine = "postgresql" if extra["SANXIANG_DATABASE_URL"].startswith("postgres") else "sqlite"
    with installation(demo=False, **extra) as env:
        _inner(env, "seed")
        now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        paced_minutes = max(1, SECONDS * RATE // DEVICES)
        # two runs over different minutes (older first), so that neither is a retransmission of the other
        paced = _ingest(env, now - dt.timedelta(minutes=paced_minutes + 60), paced_minutes, RATE)
        saturated = _ingest(env, now - dt.timedelta(minutes=60), 60 if DEVICES <= 2000 else 30, None)
        print(
            engine, json.dumps({"paced": paced, "saturated": saturated}), file=sys.stderr
        )  # a long run shows progress
        return {"ingest_paced": paced, "ingest_saturated": saturated} | _inner(env, "year", engine)


def _ingest(env: dict, start: dt.datetime, minutes: int, rate: int | None) -> dict:
    port = free_port()
    before = _inner(env, "count")
    listener = subprocess.Popen(
        [sys.executable, "-m", "sanxiang", "monitoring", "listen", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port)
        load = os.getloadavg()[0]
        args = [start.isoformat(), str(minutes), str(rate or 0), str(port)]
        delivery = _inner(env, "client", *args)
        load_after = os.getloadavg()[0]
    finally:
        done, reaped = time.monotonic(), _children_cpu()
        listener.send_signal(signal.SIGINT)
        said = listener.communicate(timeout=300)[0].strip().splitlines()
        summary = said[-1]
        draining = time.monotonic() - done  # storing what was answered and not yet stored, then stopping
        cpu = _children_cpu() - reaped  # the listener's whole life: the only child reaped in between
    after = _inner(env, "count")
    stored = after["packets"] - before["packets"]
    return {
        "offered_per_s": rate or "as fast as answered",
        "sent": delivery["sent"],
        "stored": stored,
        "readings": after["readings"] - before["readings"],
        "seconds": delivery["seconds"],
        "draining_s": round(draining, 2),
        "stored_per_s": round(stored / (delivery["seconds"] + draining)),
        "ack_ms": delivery["ack_ms"],
        "refused": delivery["refused"],
        "unanswered": delivery["unanswered"],
        "retransmissions": delivery["retransmissions"],
        "listener_cpu_s": round(cpu, 1),
        "stored_per_listener_cpu_s": round(stored / cpu) if cpu else None,
        "listener_says": summary,
        # the same answers timed by the listener, from the read of a packet to the write of its answer: the
        # client's own figure adds the client's share of the two cores it runs on with the listener
        "listener_answer_ms": _answer_times(said),
        # the machine's two cores are shared with other work: the figures are only as good as the quiet
        "load_average_1min": {"before": round(load, 2), "after": round(load_after, 2)},
    }


def _answer_times(said: list[str]) -> dict:
    for line in said:
        found = re.search(r"answer time from receipt: p50 (\d+) ms, p99 (\d+) ms", line)
        if found:
            return {"p50": int(found[1]), "p99": int(found[2])}
    return {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wait_for(port: int) -> None:
    for _ in range(300):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError("the listener did not start")


def _inner(env: dict, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.monitoring", *args], env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(output.splitlines()[-1])


# ---- inside the installation's own Python processes ----


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()


def _seed() -> dict:
    """The province's agencies, an enterprise per device, its outlet and its reviewed device; an hourly limit of
    each factor at the points of the year."""
    from decimal import Decimal

    from django.utils import timezone

    from sanxiang.cases.models import Party
    from sanxiang.demo.agencies import load_agencies
    from sanxiang.monitoring.intake import password_digest
    from sanxiang.monitoring.models import Device, Limit, Point

    agencies = [a for a in load_agencies(today=timezone.localdate()).values() if a.level == "city"]
    count = max(DEVICES, PROVINCE)
    parties = Party.objects.bulk_create(
        Party(
            agency=agencies[n % len(agencies)],
            kind="enterprise",
            name=f"黑龙江省监测企业{n:05d}有限公司",
            address="黑龙江省",
            key_polluter=True,
        )
        for n in range(count)
    )
    points = Point.objects.bulk_create(
        Point(
            agency_id=party.agency_id,
            party=party,
            outlet_code="DA001",
            name="锅炉废气排放口",
            medium="air",
            address="黑龙江省",
            latitude=Decimal("45.8"),
            longitude=Decimal("126.5"),
            location_published_on=dt.date(2025, 1, 1),
        )
        for party in parties
    )
    Device.objects.bulk_create(
        Device(
            point=point,
            mn=_identity(n)[0],
            password_sha256=password_digest(_identity(n)[1]),
            installed_on=dt.date(2024, 12, 1),
            review_passed_on=dt.date(2024, 12, 20),
            review_reference="黑环监审〔2024〕1号",
        )
        for n, point in enumerate(points)
    )
    Limit.objects.bulk_create(
        Limit(
            point=point,
            pollutant=code,
            averaging="hour",
            value=Decimal(base * 2),
            unit="mg/m³",
            source="GB 13271-2014 表2",
            valid_from=dt.date(2024, 1, 1),
        )
        for point in points
        for code, base in FACTORS
    )
    return {"devices": len(points)}


def _count() -> dict:
    from sanxiang.monitoring.models import Packet, Reading

    return {"packets": Packet.objects.count(), "readings": Reading.objects.count()}


def _client(start: str, minutes: str, rate: str, port: str) -> dict:
    """Runs without Django: only the simulator and the protocol."""
    from sanxiang.monitoring.simulate import deliver

    begin = dt.datetime.fromisoformat(start)
    streams = _fleet().streams(begin, begin + dt.timedelta(minutes=int(minutes)))
    # the fleet on uvloop too: the client shares the machine's two cores with the listener it measures
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        delivery = runner.run(deliver("127.0.0.1", int(port), streams, rate=float(rate) or None, timeout=5.0))
    cuts = statistics.quantiles(delivery.latencies_ms, n=100, method="inclusive")
    return {
        "sent": delivery.sent,
        "acknowledged": delivery.acknowledged,
        "refused": delivery.refused,
        "unanswered": delivery.unanswered,
        "retransmissions": delivery.retransmissions,
        "seconds": round(delivery.seconds, 2),
        "ack_ms": {
            "p50": round(cuts[49], 1),
            "p95": round(cuts[94], 1),
            "p99": round(cuts[98], 1),
            "max": round(max(delivery.latencies_ms), 1),
        },
    }


if __name__ == "__main__":
    what, *rest = sys.argv[1:]
    if what == "client":
        print(json.dumps(_client(*rest)))
    else:
        _setup()
        from bench import monitoring_data

        handlers = {"seed": _seed, "count": _count, "year": monitoring_data.measure}
        print(json.dumps(handlers[what](*rest), ensure_ascii=False))
