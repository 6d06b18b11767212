"""The ledger beyond one signer (issue 20): tiles served, the browser verifier from tiles alone, witnesses and
trusted time, each against a baseline measured in the same run.

- Tile serving: requests/s under wrk of a full level-0 tile and a partial one, against /healthz (a bare view: no
  database, no session, no template), one `sanxiang serve` worker, a log of 70,000 entries. (The checkpoint is an
  API answer under the anonymous rate limit, so wrk would measure the limit.)
- The browser verifier (Debian's Chromium, a 390 px phone screen): the time from the verify page's first byte to
  its verdict, computed from tiles alone, against the time the same page takes to load (DOMContentLoaded).
- Witnesses: the time to collect two cosignatures for a checkpoint from two `sanxiang witness serve` processes on
  loopback (each checks a consistency proof), against the log's own signing of that checkpoint.
- Trusted time: the time to get and verify an RFC 3161 token from OpenSSL's TSA on loopback, same baseline.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import free_port, installation, quantiles, sanxiang, server, write_result, wrk

ENTRIES = 70_000
ROUNDS = 40  # checkpoints witnessed and stamped
VERIFIES = 15  # page loads in the browser

FILL = f"""
from django.db import transaction
from sanxiang.ledger.services import Record, checkpoint_create, ledger_append_many
for start in range(0, {ENTRIES}, 5000):
    with transaction.atomic():
        ledger_append_many([Record(action="bench.event", subject_type="bench", subject_id=str(n))
                            for n in range(start, start + 5000)])
print(checkpoint_create().size)
"""

FIND = """
from sanxiang.publicity.models import Publication
print(Publication.objects.filter(status="published").order_by("-pk").first().pk)
"""


def run() -> dict:
    with installation() as env:
        size = int(sanxiang(env, "shell", "--no-imports", "-c", FILL).split()[-1])
        decision = int(sanxiang(env, "shell", "--no-imports", "-c", FIND).split()[-1])
        result = {"log_entries": size, "tiles": _tiles(env, size), "browser_verifier": _browser(env, decision)}
    with installation(demo=False) as env:
        result |= _attestation(env)
    write_result("attest", result)
    return result


def _tiles(env: dict, size: int) -> dict:
    partial = size % 256
    paths = {
        "bare view /healthz": "/healthz",
        "full tile /ledger/tile/0/100": "/ledger/tile/0/100",
        f"partial tile /ledger/tile/0/…p/{partial}": f"/ledger/tile/0/{size // 256:03d}.p/{partial}",
    }
    figures = {}
    with server(env) as base:
        for label, path in paths.items():
            wrk(base + path, seconds=2)
            figures[label] = wrk(base + path, seconds=10)
    bare = figures["bare view /healthz"]["requests_per_second"]
    for found in figures.values():
        found["ratio_to_bare_view"] = round(found["requests_per_second"] / bare, 2)
    return figures


def _browser(env: dict, decision: int) -> dict:
    from playwright.sync_api import sync_playwright

    from sanxiang.testing.chromium import CHROMIUM, CHROMIUM_FLAGS

    verdicts, loads = [], []
    with server(env) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        tiles = []
        page.on("request", lambda request: tiles.append(request.url) if "/ledger/tile/" in request.url else None)
        for attempt in range(VERIFIES + 1):
            tiles.clear()
            page.goto(f"{base}/decisions/{decision}/v1/verify", wait_until="commit")
            started = time.perf_counter()
            page.wait_for_selector("#verify-result[data-result]", timeout=60_000)
            took = (time.perf_counter() - started) * 1000
            assert page.locator("#verify-result").get_attribute("data-result") == "ok"
            loaded = page.evaluate(
                "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                " - performance.getEntriesByType('navigation')[0].responseStart"
            )
            if attempt:  # the first warms the server's caches
                verdicts.append(took)
                loads.append(loaded)
        browser.close()
    verdict, load = statistics.median(verdicts), statistics.median(loads)
    return {
        "verdict_ms_median": round(verdict, 1),
        "verdict_ms": quantiles(verdicts),
        "page_load_ms_median": round(load, 1),
        "tiles_fetched": len(tiles),
        "ratio_to_page_load": round(verdict / load, 2),
    }


def _attestation(env: dict) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="sanxiang-bench-witness-"))
    log_key = sanxiang(env, "shell", "--no-imports", "-c", SIGN_FIRST).split()[-1]
    servers, witnesses = [], []
    try:
        for name in ("w1", "w2"):
            key = sanxiang(
                env, "witness", "init", "--state", str(folder / name), "--name", f"{name}.bench", "--log-key", log_key
            ).split()[-1]
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "sanxiang",
                        "witness",
                        "serve",
                        "--state",
                        str(folder / name),
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            witnesses.append(f"http://127.0.0.1:{port} {key}")
            _wait(f"http://127.0.0.1:{port}/")
        inside = dict(env, SANXIANG_LEDGER_WITNESSES=",".join(witnesses), SANXIANG_LEDGER_WITNESS_QUORUM="2")
        output = subprocess.run(
            [sys.executable, "-m", "bench.attest", str(folder)], env=inside, check=True, capture_output=True, text=True
        ).stdout
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=10)
    return json.loads(output.splitlines()[-1])


SIGN_FIRST = """
from django.db import transaction
from sanxiang.ledger.services import Record, checkpoint_create, ledger_append_many, ledger_signer
with transaction.atomic():
    ledger_append_many([Record(action="bench.event", subject_type="bench", subject_id="0")])
checkpoint_create()
print(ledger_signer().verifier)
"""


def _wait(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def _inside(folder: Path) -> dict:
    """Run inside the installation, its witnesses configured: per round, 50 entries, then the log's signing, the
    witnesses' cosigning and the TSA's token, each timed."""
    import django

    django.setup()
    from django.db import transaction

    from sanxiang.ledger.services import Record, checkpoint_create, ledger_append_many
    from sanxiang.ledger.timestamping import checkpoint_timestamp
    from sanxiang.ledger.witnessing import checkpoint_witness
    from sanxiang.testing.tsa import served_authority

    signing, cosigning, stamping = [], [], []
    with served_authority(folder / "tsa") as (url, roots, _server):
        from django.conf import settings

        settings.LEDGER_TSA_URL, settings.LEDGER_TSA_ROOTS = url, roots
        for round_number in range(ROUNDS + 1):
            with transaction.atomic():
                ledger_append_many(
                    [Record(action="bench.event", subject_type="bench", subject_id=str(n)) for n in range(50)]
                )
            started = time.perf_counter()
            checkpoint = checkpoint_create()
            signed = time.perf_counter()
            outcomes = checkpoint_witness(size=checkpoint.size)
            cosigned = time.perf_counter()
            stamp = checkpoint_timestamp(size=checkpoint.size)
            stamped = time.perf_counter()
            assert set(outcomes.values()) == {"cosigned"} and stamp == "stamped", (outcomes, stamp)
            if round_number:  # the first opens connections and warms up
                signing.append((signed - started) * 1000)
                cosigning.append((cosigned - signed) * 1000)
                stamping.append((stamped - cosigned) * 1000)
    sign = statistics.median(signing)
    return {
        "checkpoint_signing_ms": quantiles(signing),
        "two_witnesses_cosigning_ms": quantiles(cosigning),
        "two_witnesses_ratio_to_signing": round(statistics.median(cosigning) / sign, 1),
        "rfc3161_token_ms": quantiles(stamping),
        "rfc3161_ratio_to_signing": round(statistics.median(stamping) / sign, 1),
        "rounds": ROUNDS,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    print(json.dumps(_inside(Path(sys.argv[1]))))
