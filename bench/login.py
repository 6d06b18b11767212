"""Staff login at the rate one server process can take it: password (Argon2) and then the TOTP code (issue 13).

Each login is the whole browser exchange through one gunicorn process with one thread: the login page (CSRF
cookie), the password, the 6-digit code, the home page it lands on. Every account logs in once (django-otp refuses a
code already used in its 30-second step), so the run creates as many enrolled accounts as it needs. The baseline,
measured in the same run on the same machine, is the bare Argon2 check with the installation's own hasher and
parameters in one process: the ratio says how much of a login's cost is the password hash the security level asks
for, and how much is everything else (sessions, the second factor, lock-out and audit records).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import queue
import re
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

from bench.common import installation, server, write_result

ACCOUNTS = int(os.environ.get("BENCH_LOGIN_ACCOUNTS", 300))
CLIENTS = 2
ROUNDS = 3
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "bench-login-2026-Argon2"
TARGET_RATIO = 0.5


def totp(seed: str, at: float) -> str:
    """RFC 6238 with SHA-1, 30-second steps and 6 digits (the parameters of every Sanxiang authenticator)."""
    key = base64.b32decode(seed)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _login(base: str, username: str) -> None:
    """One staff login in the three posts and pages a browser makes; raises if it does not end signed in."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(path: str, fields: dict) -> tuple[str, str]:
        request = urllib.request.Request(
            base + path, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": base + path}
        )
        with opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    with opener.open(base + "/workbench/login/", timeout=30) as response:
        page = response.read().decode()
    url, page = post(
        "/workbench/login/", {"csrfmiddlewaretoken": _csrf(page), "username": username, "password": PASSWORD}
    )
    if not url.endswith("/workbench/login/code/"):
        raise RuntimeError(f"{username}: the password step ended at {url}")
    url, page = post("/workbench/login/code/", {"csrfmiddlewaretoken": _csrf(page), "code": totp(SEED, time.time())})
    if url.rstrip("/") != base + "/workbench" or "退出" not in page:
        raise RuntimeError(f"{username}: the code step ended at {url}")


def _logins(base: str, names: list[str], failures: list[str]) -> float:
    """Logins per second of `names`, each once, by CLIENTS concurrent clients; failures are collected."""
    todo: queue.Queue[str] = queue.Queue()
    for name in names:
        todo.put(name)

    def client() -> None:
        while True:
            try:
                name = todo.get_nowait()
            except queue.Empty:
                return
            try:
                _login(base, name)
            except Exception as error:  # noqa: BLE001 - a failed login is counted, not fatal to the run
                failures.append(str(error))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(names) / (time.perf_counter() - started)


def run() -> dict:
    env_extra = {"SANXIANG_LOGIN_RATE": "1000000/minute", "SANXIANG_LOGIN_FAILURE_LIMIT": "100"}
    failures: list[str] = []
    rates, baselines = [], []
    with installation(demo=False, **env_extra) as env:
        names = json.loads(_inner(env, "accounts", str(ACCOUNTS)))
        with server(env, workers=1) as base:
            _login(base, names.pop())  # warm the process (imports, templates) before timing
            # Alternate the baseline and the logins, best of each, so that neither alone meets a busy moment.
            share = len(names) // ROUNDS
            for round_ in range(ROUNDS):
                baselines.append(json.loads(_inner(env, "argon2")))
                rates.append(_logins(base, names[round_ * share : (round_ + 1) * share], failures))
    baseline = max(baselines, key=lambda measured: measured["per_second"])
    rate = max(rates)
    result = {
        "process": "one gunicorn worker, one thread",
        "clients": CLIENTS,
        "logins": share * ROUNDS - len(failures),
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
        "logins_per_second": round(rate, 2),
        "logins_per_second_rounds": [round(value, 2) for value in rates],
        "argon2_checks_per_second": baseline["per_second"],
        "argon2_checks_per_second_rounds": [measured["per_second"] for measured in baselines],
        "argon2_parameters": baseline["parameters"],
        "ratio": round(rate / baseline["per_second"], 3),
        "targets": {"ratio": TARGET_RATIO, "failures": 0},
    }
    result["passed"] = {"ratio": result["ratio"] >= TARGET_RATIO, "no_failures": not failures}
    write_result("login", result)
    return result


def _inner(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "bench.login", *args], env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()[-1]


def _accounts(count: int) -> list[str]:
    """`count` officers of one bureau, each enrolled with an authenticator (a device each, the same seed)."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanxiang.agencies.models import User
    from sanxiang.testing.factories import make_agency, make_staff

    province = make_agency(code="230000", name="黑龙江省生态环境厅", abbreviation="黑环")
    harbin = make_agency(parent=province, code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
    names = [f"bench{number:04d}" for number in range(count)]
    for name in names:
        user = make_staff(agency=harbin, roles=["officer"], username=name)
        TOTPDevice.objects.create(user=user, name="基准", key=base64.b32decode(SEED).hex(), confirmed=True)
    # One Argon2 hash for all (hashing each would only slow the set-up); no forced change after a reset.
    User.objects.filter(username__in=names).update(password=make_password(PASSWORD), must_change_password=False)
    return names


def _argon2_rate(seconds: float = 4.0) -> dict:
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    encoded = make_password(PASSWORD)
    checks, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        if not check_password(PASSWORD, encoded):
            raise RuntimeError("the hasher refused its own hash")
        checks += 1
    hasher = get_hasher()
    return {
        "per_second": round(checks / (time.perf_counter() - started), 2),
        "parameters": f"{hasher.algorithm} t={hasher.time_cost} m={hasher.memory_cost} KiB p={hasher.parallelism}",
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    action = sys.argv[1]
    print(json.dumps(_accounts(int(sys.argv[2])) if action == "accounts" else _argon2_rate()))
