"""Two app servers behind one address serve one installation (PostgreSQL, Redis for the cache and the queue, and the
S3 store when the suite has one): a login made through one holds on the other, a rate limit counts the requests of
both, writes through both at once leave one ledger that verifies, and with one server killed the other answers
every request."""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.db import connection
from django_otp.oath import TOTP

from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import SEED
from sanxiang.testing.processes import run
from sanxiang.testing.relay import Relay

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several servers share PostgreSQL (make test-postgres runs this)"
)
REDIS = "redis://127.0.0.1:6379/7"  # a database of its own, emptied first
ANONYMOUS_RATE = 6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def servers(fresh_database):
    redis.Redis.from_url(REDIS).flushdb()
    env = fresh_database | {
        "SANXIANG_HTTPS": "false",
        "SANXIANG_REDIS_URL": REDIS,
        "SANXIANG_API_RATE_ANONYMOUS": f"{ANONYMOUS_RATE}/minute",
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    if os.environ.get("SANXIANG_TEST_S3_ENDPOINT"):
        endpoint = os.environ["SANXIANG_TEST_S3_ENDPOINT"]
        env |= {
            "SANXIANG_BLOB_URL": f"s3://sanxiang-test/two-servers-{uuid.uuid4().hex[:8]}?endpoint={endpoint}",
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "test:tester"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        }
    subprocess.run([sys.executable, "-m", "sanxiang", "collectstatic", "--no-input"], env=env, check=True)
    token = json.loads(run(env, "-m", "sanxiang.testing.servers_worker").splitlines()[-1])["token"]
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "sanxiang", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the server and its gunicorn worker are killed together
        )
        for port in ports
    ]
    try:
        for port in ports:
            _wait(f"http://127.0.0.1:{port}/healthz")
        relay = Relay(*ports)
        yield {"base": f"http://127.0.0.1:{relay.port}", "env": env, "token": token, "processes": processes}
        relay.cut()
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def _browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _post(opener, url: str, fields: dict) -> str:
    data = urllib.parse.urlencode(fields).encode()
    return opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}), timeout=30).read().decode()


def _code() -> str:
    return f"{TOTP(base64.b32decode(SEED)).token():06d}"


def _login_holds_on_the_other_server(servers) -> None:
    base = servers["base"]
    opener, _jar = _browser()
    login = f"{base}/workbench/login/"
    token = _form_token(
        opener.open(login, timeout=30).read().decode()
    )  # each request: a new connection, the next server
    page = _post(opener, login, {"csrfmiddlewaretoken": token, "username": "officer", "password": PASSWORD})
    page = _post(opener, f"{base}/workbench/login/code/", {"csrfmiddlewaretoken": _form_token(page), "code": _code()})
    assert "李明" in page
    for _ in range(4):  # two on each server
        response = opener.open(f"{base}/workbench/", timeout=30)
        assert response.url == f"{base}/workbench/" and "李明" in response.read().decode()


def _rate_limit_counts_both_servers(servers) -> None:
    url = f"{servers['base']}/api/v1/public/decisions"
    answers = []
    for _ in range(ANONYMOUS_RATE + 1):  # alternating between the servers: each alone would allow ANONYMOUS_RATE
        try:
            answers.append(urllib.request.urlopen(url, timeout=30).status)
        except urllib.error.HTTPError as error:
            answers.append(error.code)
    assert answers == [200] * ANONYMOUS_RATE + [429]


def _writes_through_both_leave_one_ledger(servers) -> None:
    def register(serial: int) -> int:
        body = json.dumps(
            {"kind": "natural_person", "name": f"当事人{serial}", "address": f"哈尔滨市道里区{serial}号"}
        ).encode()
        request = urllib.request.Request(
            f"{servers['base']}/api/v1/parties/",
            data=body,
            headers={"Authorization": f"Bearer {servers['token']}", "Content-Type": "application/json"},
        )
        return urllib.request.urlopen(request, timeout=60).status

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(register, range(24))) == [201] * 24
    run(servers["env"], "-m", "sanxiang", "ledger", "checkpoint")
    verdict = subprocess.run(
        [sys.executable, "-m", "sanxiang", "ledger", "verify", "--json"],
        env=servers["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr


def _one_server_killed_the_other_answers(servers) -> None:
    first = servers["processes"][0]
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    statuses = [urllib.request.urlopen(f"{servers['base']}/healthz", timeout=30).status for _ in range(10)]
    assert statuses == [200] * 10


def test_two_servers_serve_one_installation(servers):
    """One installation started once (a few tens of seconds), then each property in turn, the kill last."""
    _login_holds_on_the_other_server(servers)
    _rate_limit_counts_both_servers(servers)
    _writes_through_both_leave_one_ledger(servers)
    _one_server_killed_the_other_answers(servers)
