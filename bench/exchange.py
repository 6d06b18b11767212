"""The exchange feed: entries per second pulled over HTTP and verified by the reference client (every checkpoint
signature, inclusion proof, schema and binding to its signed leaf) and stored in a second installation's mirror,
against bare leaf hashing (SHA-256 of the same leaves) in the same run.

Target (issue 17): ≥ 10,000 entries/s. Two installations, each its own data folder and SQLite database: the
source, seeded with BENCH_EXCHANGE_SIZE public catalogue entries under one signed checkpoint and served by
`sanxiang serve`; the mirror, where `sanxiang exchange pull`'s client runs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import cpu_seconds, environment, sanxiang, server, write_result

SIZE = int(os.environ.get("BENCH_EXCHANGE_SIZE", 100_000))
BATCH = 2000
TARGET = 10_000


def _inner(what: str, *args: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    return {"seed": _seed, "pull": _pull}[what](*args)


def _seed(size: str) -> dict:
    """Public entries of 200 powers (as their amendments would be), one signed checkpoint, a partner token."""
    from django.db import transaction

    from sanxiang.api.models import TokenScope
    from sanxiang.api.services import api_token_create
    from sanxiang.ledger.services import checkpoint_create, ledger_append_many, record_for
    from sanxiang.testing.catalogues import make_power
    from sanxiang.testing.factories import make_agency, make_staff

    agency = make_agency(code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
    powers = [make_power(agency) for _ in range(200)]
    records = [
        record_for(
            actor=None, agency=agency, action="power.update", subject=power, data={"code": power.code}, public=True
        )
        for power in powers
    ]
    total = int(size)
    for start in range(0, total, 5000):
        with transaction.atomic():
            ledger_append_many([records[n % len(records)] for n in range(start, min(total, start + 5000))])
    checkpoint = checkpoint_create()
    partner = make_staff(agency=agency, username="partner")
    raw = api_token_create(actor=None, user=partner, name="bench", scope=TokenScope.PARTNER)[1]
    return {"token": raw, "checkpoint_size": checkpoint.size}


def _pull(url: str, token: str) -> dict:
    from sanxiang.exchange.client import pull
    from sanxiang.exchange.models import MirrorRecord
    from sanxiang.exchange.selectors import BATCH_MAX

    before = os.times()
    report = pull(url=url, token=token, limit=min(BATCH, BATCH_MAX))
    after = os.times()
    leaves = [bytes(leaf) for leaf in MirrorRecord.objects.values_list("leaf", flat=True)]
    started = time.perf_counter()
    for leaf in leaves:
        hashlib.sha256(b"\x00" + leaf).digest()
    hashing = time.perf_counter() - started
    encoded = [base64.b64encode(leaf).decode() for leaf in leaves]
    started = time.perf_counter()
    for text in encoded:
        hashlib.sha256(b"\x00" + base64.b64decode(text)).digest()
    decode_and_hash = time.perf_counter() - started
    return {
        "records": report.records,
        "batches": report.batches,
        "seconds": round(report.seconds, 3),
        "entries_per_s": round(report.records / report.seconds),
        # The stages overlap (batch k+1 fetched while k is verified and k-1 stored): fetch_and_parse is the time the
        # client waited for a batch, verify the verifying thread's time, store the storing; they need not add up.
        "split_seconds": {
            "fetch_and_parse": round(report.fetch_seconds, 3),
            "verify": round(report.verify_seconds, 3),
            "store": round(report.store_seconds, 3),
        },
        "verify_only_entries_per_s": round(report.records / report.verify_seconds),
        "cpu_seconds": round(after.user + after.system - before.user - before.system, 3),
        "baseline_leaf_hashing_per_s": round(len(leaves) / hashing),
        "baseline_decode_and_hash_per_s": round(len(leaves) / decode_and_hash),
    }


def _run_inner(env: dict, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.exchange", *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.splitlines()[-1])


def run() -> dict:
    load_before = os.getloadavg()[0]
    source_dir = Path(tempfile.mkdtemp(prefix="sanxiang-bench-exchange-source-"))
    mirror_dir = Path(tempfile.mkdtemp(prefix="sanxiang-bench-exchange-mirror-"))
    source_env, mirror_env = environment(source_dir), environment(mirror_dir)
    try:
        for env in (source_env, mirror_env):
            sanxiang(env, "migrate", "--no-input")
        sanxiang(source_env, "collectstatic", "--no-input")
        started = time.perf_counter()
        seeded = _run_inner(source_env, "seed", str(SIZE))
        seed_seconds = time.perf_counter() - started
        pids: list[int] = []
        with server(source_env, pids=pids) as url:
            server_before = cpu_seconds(pids[0])
            pulled = _run_inner(mirror_env, "pull", url, seeded["token"])
            server_cpu = cpu_seconds(pids[0]) - server_before
    finally:
        shutil.rmtree(source_dir, ignore_errors=True)
        shutil.rmtree(mirror_dir, ignore_errors=True)
    result = {
        "size": SIZE,
        "batch": BATCH,
        # Server, client and the machine's other work share its cores: the figure is only as good as the quiet.
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "source_checkpoint_size": seeded["checkpoint_size"],
        "seed_seconds": round(seed_seconds, 1),
        "client": pulled,
        # Processor time of the pull, client (all its threads) and server, which the machine's load does not change
        # much: the entries each second of it serves, pulled, verified and stored.
        "cpu_seconds": {"client": pulled["cpu_seconds"], "server": round(server_cpu, 3)},
        "entries_per_cpu_s": round(pulled["records"] / (pulled["cpu_seconds"] + server_cpu)),
        "fraction_of_bare_leaf_hashing": round(pulled["entries_per_s"] / pulled["baseline_leaf_hashing_per_s"], 4),
        "targets": {"entries_per_s": TARGET},
        "passed": pulled["entries_per_s"] >= TARGET,
    }
    write_result("exchange", result)
    return result


if __name__ == "__main__":
    print(json.dumps(_inner(sys.argv[1], *sys.argv[2:])))
