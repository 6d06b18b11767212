"""Shared helpers for the benchmarks: a throw-away installation, a server process, a load generator."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    # the demo's hand-told stories only: the figures stay comparable with those measured before the generated year
    env = dict(os.environ, SANXIANG_DEMO_YEAR_SCALE="none")
    env.update(SANXIANG_DATA_DIR=str(data_dir), SANXIANG_HTTPS="false", SANXIANG_LOG_LEVEL="WARNING", **extra)
    return env


def sanxiang(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "sanxiang", *args], env=env, check=True, capture_output=True, text=True
    ).stdout


@contextlib.contextmanager
def installation(*, demo: bool = True, **extra: str):
    """A migrated installation (with the demo data unless told otherwise) in a temporary data directory."""
    data_dir = Path(tempfile.mkdtemp(prefix="sanxiang-bench-"))
    env = environment(data_dir, **extra)
    try:
        sanxiang(env, "migrate", "--no-input")
        sanxiang(env, "collectstatic", "--no-input")
        if demo:
            sanxiang(env, "demo")
        yield env
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def postgres_database(name: str, base: str | None = None):
    """A fresh PostgreSQL database (its URL) on the server `base` names (BENCH_POSTGRES by default), dropped
    afterwards; None when no server answers."""
    base = base or os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    server = urllib.parse.urlsplit(base)
    client = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432), "-U", server.username or "postgres"]
    env = dict(os.environ, PGPASSWORD=server.password) if server.password else None
    subprocess.run(["dropdb", *client, "--if-exists", "--force", name], capture_output=True, env=env)
    if subprocess.run(["createdb", *client, name], capture_output=True, env=env).returncode:
        yield None
        return
    try:
        yield f"{base}/{name}"
    finally:
        subprocess.run(["dropdb", *client, "--force", name], capture_output=True, env=env)


def measured_inside(module: str, extra: dict, *, demo: bool = True) -> dict:
    """The figures `python -m <module>` prints (its last line, JSON), run inside a fresh installation: the
    measuring code then imports Django with the installation's own settings and data directory."""
    with installation(demo=demo, **extra) as env:
        # its errors go to the terminal, where a failed run shows why
        output = subprocess.run(
            [sys.executable, "-m", module], env=env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout
    return json.loads(output.splitlines()[-1])


def on_both_engines(name: str, measure) -> dict:
    """`measure(extra_env)` on SQLite and, when a server answers, on a fresh PostgreSQL database `name`."""
    result = {"sqlite": measure({"SANXIANG_DATABASE_URL": "sqlite:///sanxiang.sqlite3"})}
    with postgres_database(name) as url:
        result["postgresql"] = measure({"SANXIANG_DATABASE_URL": url}) if url else None
    return result


def page_call(client, path, **headers):
    """A call that fetches `path` (or what a callable `path` returns) with a Django test client and insists on 200."""

    def call():
        target = path() if callable(path) else path
        response = client.get(target, **headers)
        assert response.status_code == 200, (target, response.status_code)

    return call


def timed(call, samples: int) -> dict:
    return quantiles(timings(call, samples))


def against(figures: dict, baseline: dict) -> dict:
    """Figures with their p95 as a multiple of the baseline's, measured in the same run."""
    return figures | {"times_baseline": round(figures["p95"] / baseline["p95"], 1)}


def timings(call, samples: int) -> list[float]:
    """Milliseconds of `samples` calls, after one untimed call that warms caches."""
    call()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def quantiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "max": round(max(samples), 2)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(env: dict, *, workers: int = 1, pids: list | None = None):
    """`sanxiang serve` on a free port; its process id is appended to `pids` when given (its workers are its
    children)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sanxiang",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    if pids is not None:
        pids.append(process.pid)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a server's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def cpu_seconds(master: int) -> float:
    """The processor time (user and system) a server's master and its live workers have used so far."""
    ticks = 0
    for pid in [master, *children(master)]:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str, *, seconds: int = 10, connections: int = 8, script: Path | None = None, headers: dict | None = None
) -> dict:
    """Requests per second and latency from wrk (Debian package `wrk`) on one thread; a Lua `script` may choose
    each request's path, `headers` are sent with every request (a session's cookie)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    sent = [argument for name, value in (headers or {}).items() for argument in ("-H", f"{name}: {value}")]
    script_arguments = ["-s", str(script)] if script else []
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *script_arguments, *sent, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{output}")
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, re.M))
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "latency_p50": latency.get("50"),
        "latency_p99": latency.get("99"),
    }


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    result = {
        "benchmark": name,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        **result,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return path
