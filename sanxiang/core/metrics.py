"""What every process counts for the operator's /metrics (web.metrics serves them with the installation's state):
the time each view takes to answer, and the background tasks that failed.

With /metrics on (SANXIANG_METRICS_TOKEN), settings points prometheus_client's multiprocess mode at
<data dir>/metrics (unless PROMETHEUS_MULTIPROC_DIR names another folder) before anything imports it: gunicorn's
workers and the background worker each write their counts to files there, and whichever worker answers /metrics
sums them all. `sanxiang serve` removes, as it starts, the files of processes no longer running, and tells the
folder when a worker exits. Without it, each process keeps its counts in memory (tests, runserver)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from prometheus_client import Counter, Histogram, multiprocess

# from a cached page to a PDF rendered in the request: where the 95th percentile of each view falls
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "sanxiang_http_request_duration_seconds",
    "Time to answer a request, by the view that answered it (the URL's name) and the method",
    ["view", "method"],
    buckets=_BUCKETS,
)
TASK_FAILURES = Counter(
    "sanxiang_background_task_failures",
    "Background task runs that ended in an error, by task (a task retried counts each failed run)",
    ["task"],
)


class RequestTimingMiddleware:
    """Times each request by its view. A URL that matched no view counts as "(none)", and a method outside HTTP's
    usual ones as "other": a scanner cannot make the series grow without end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        REQUEST_SECONDS.labels(
            view=(match.view_name or "(unnamed)") if match else "(none)",
            method=request.method if request.method in _METHODS else "other",
        ).observe(time.perf_counter() - started)
        return response


def task_failed(signal, task, exc=None) -> None:
    """huey's SIGNAL_ERROR receiver (registered by core's app config in every process, the worker's included)."""
    TASK_FAILURES.labels(task=task.name).inc()


def metrics_folder() -> Path | None:
    """Where the processes' counts are summed (settings sets it from the data directory unless the environment
    named one), None when /metrics is off."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(folder) if settings.METRICS_TOKEN and folder else None


def metrics_folder_sweep() -> int:
    """Remove the files of processes no longer running (`<kind>_<pid>.db`), as the server starts: their counts
    belong to no one now. A background worker run as a service of its own keeps counting through a restart of the
    server. Returns how many were removed."""
    folder = metrics_folder()
    if folder is None:
        return 0
    removed = 0
    for path in folder.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True


def worker_exited(server, worker) -> None:
    """gunicorn's child_exit hook: what the dead worker counted stays in the sums, its live gauges go."""
    if metrics_folder() is not None:
        multiprocess.mark_process_dead(worker.pid)
