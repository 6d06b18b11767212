"""/metrics: absent unless configured, only with its bearer token, and what it says is the installation's state —
and, with several server processes, the sum of what each counted."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from sanxiang.cases.models import Case
from sanxiang.core.metrics import metrics_folder_sweep
from sanxiang.evidence.models import ScrubReport
from sanxiang.ledger.selectors import latest_checkpoint, log_size
from sanxiang.ledger.services import checkpoint_create, ledger_append
from sanxiang.testing.cases import make_party, open_case

TOKEN = "m" * 40


def _value(text: str, series: str) -> float:
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert found, f"{series} not in the metrics"
    return float(found[1])


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def _scrape(**headers) -> tuple[int, str]:
    response = Client().get("/metrics", headers=headers)
    return response.status_code, response.content.decode()


def test_without_a_token_configured_there_is_no_metrics_page(db):
    assert Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


@pytest.mark.parametrize("offered", [None, "Bearer wrong", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN])
def test_anything_but_the_bearer_token_is_refused(db, metrics_on, offered):
    response = Client().get("/metrics", headers={"Authorization": offered} if offered else {})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "sanxiang_" not in response.content.decode()


def test_views_are_timed_by_their_name_and_a_scanner_cannot_grow_the_series(db, metrics_on):
    client = Client()
    _code, before = _scrape(Authorization=f"Bearer {TOKEN}")
    series = 'sanxiang_http_request_duration_seconds_count{method="GET",view="healthz"}'
    counted = _value(before, series) if series in before else 0
    for _ in range(3):
        client.get("/healthz")
    client.generic("BREW", "/healthz")
    for n in range(5):
        client.get(f"/no-such-page-{n}/")
    _code, after = _scrape(Authorization=f"Bearer {TOKEN}")
    assert _value(after, series) == counted + 3
    assert 'method="other",view="healthz"' in after and 'view="(none)"' in after
    assert "no-such-page" not in after  # unmatched URLs share one series


def test_the_ledger_scrub_and_queue_figures_are_the_installations(live_data, metrics_on):
    with transaction.atomic():
        for n in range(3):
            ledger_append(actor="cli", agency="", action="test.metrics", subject=("test", str(n)))
    checkpoint_create()
    with transaction.atomic():
        ledger_append(actor="cli", agency="", action="test.metrics", subject=("test", "late"))
    ScrubReport.objects.create(
        started_at=timezone.now() - dt.timedelta(hours=2),
        finished_at=timezone.now() - dt.timedelta(hours=1),
        checked=5,
        missing=[{"object": "evidence:1"}, {"object": "evidence:2"}],
        corrupted=[{"object": "document:3"}],
    )
    code, text = _scrape(Authorization=f"Bearer {TOKEN}")
    assert code == 200
    assert _value(text, "sanxiang_ledger_unsigned_entries") == log_size() - latest_checkpoint().size == 1
    assert 0 <= _value(text, "sanxiang_ledger_checkpoint_age_seconds") < 60
    assert _value(text, 'sanxiang_scrub_failures{kind="missing"}') == 2
    assert _value(text, 'sanxiang_scrub_failures{kind="corrupted"}') == 1
    assert 3500 < _value(text, "sanxiang_scrub_age_seconds") < 3700
    assert _value(text, "sanxiang_background_queue_depth") == 0  # the suite's huey runs each task at once


def test_overdue_open_cases_are_counted_by_agency(world, metrics_on):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    cases = [open_case(world), open_case(world), open_case(world, agency=world.daoli, party=make_party(world.daoli))]
    late = [case.pk for case in cases]
    Case.objects.exclude(pk__in=late).update(next_due_on=None)
    Case.objects.filter(pk__in=late).update(next_due_on=yesterday)
    codes = list(Case.objects.filter(pk__in=late).values_list("agency__code", flat=True))
    _code, text = _scrape(Authorization=f"Bearer {TOKEN}")
    for code in set(codes):
        assert _value(text, f'sanxiang_cases_overdue{{agency="{code}"}}') == codes.count(code)
    Case.objects.filter(pk__in=late).update(next_due_on=timezone.localdate())  # due today is not overdue
    _code, text = _scrape(Authorization=f"Bearer {TOKEN}")
    assert "sanxiang_cases_overdue{" not in text


def _explode():
    raise RuntimeError("disk gone")


_exploding = HUEY.task(name="metrics_test_explode")(_explode)


def test_a_failed_background_task_is_counted_by_name(db, metrics_on):
    series = 'sanxiang_background_task_failures_total{task="metrics_test_explode"}'
    _code, before = _scrape(Authorization=f"Bearer {TOKEN}")
    counted = _value(before, series) if series in before else 0
    _exploding()  # the suite's huey runs a task at once and keeps its error in the result: the signal fires here
    _code, after = _scrape(Authorization=f"Bearer {TOKEN}")
    assert _value(after, series) == counted + 1


def test_a_server_start_keeps_what_running_processes_counted(settings, tmp_path, monkeypatch):
    settings.METRICS_TOKEN = TOKEN
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    alive = tmp_path / f"counter_{os.getpid()}.db"
    gone = tmp_path / "histogram_999999999.db"  # beyond any pid the kernel hands out
    alive.write_bytes(b"x")
    gone.write_bytes(b"x")
    assert metrics_folder_sweep() == 1
    assert alive.exists() and not gone.exists()


def test_a_short_token_is_refused_at_start(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_METRICS_TOKEN": "short"}
    done = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "SANXIANG_METRICS_TOKEN" in done.stderr and "short" not in done.stderr


def _get(url: str, **headers) -> str:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def test_two_server_workers_are_summed(fresh_database):
    env = fresh_database | {"SANXIANG_METRICS_TOKEN": TOKEN, "SANXIANG_HTTPS": "false"}
    subprocess.run([sys.executable, "-m", "sanxiang", "collectstatic", "--no-input"], env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "sanxiang", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(40):
            _get(f"{base}/healthz")  # a new connection each: either worker may take it
        # another process counting into the same folder, as the background worker does
        other = "from sanxiang.core.metrics import REQUEST_SECONDS as s; [s.labels('healthz', 'GET').observe(0) for _ in range(7)]"
        subprocess.run([sys.executable, "-m", "sanxiang", "shell", "-c", other], env=env, check=True)
        text = _get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
        # the first answered probe, the 40, and the other process's 7, whichever worker answered which
        assert _value(text, 'sanxiang_http_request_duration_seconds_count{method="GET",view="healthz"}') == 48
    finally:
        server.terminate()
        server.wait(timeout=30)
