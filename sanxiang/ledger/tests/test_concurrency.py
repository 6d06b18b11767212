"""Two processes appending at once never create gaps, duplicates or forks (on the suite's own database engine)."""

import json
import subprocess
import sys
import time

from django.db import connection

from sanxiang.testing.processes import run

APPENDS = 150


def test_two_processes_appending_at_once_leave_one_gapless_log(fresh_database, tmp_path):
    env = fresh_database
    start = tmp_path / "start"
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "sanxiang.testing.append_worker", str(APPENDS), tag, str(start)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    ready = [tmp_path / f"start.{tag}.ready" for tag in ("a", "b")]
    deadline = time.monotonic() + 120  # a loaded machine takes seconds to set Django up twice
    while not all(path.exists() for path in ready):
        assert time.monotonic() < deadline and all(worker.poll() is None for worker in workers), (
            "a writer never started"
        )
        time.sleep(0.05)
    start.touch()
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    run(env, "-m", "sanxiang", "ledger", "checkpoint")
    report = json.loads(run(env, "-m", "sanxiang", "ledger", "verify", "--json"))
    assert report["ok"], report["problems"]
    assert report["size"] == 2 * APPENDS
    order = run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", SUBJECTS_IN_ORDER).split()
    assert sorted(order) == sorted([f"a-{n}" for n in range(APPENDS)] + [f"b-{n}" for n in range(APPENDS)])
    if connection.vendor == "postgresql":
        # Row locks hand the head to waiting writers in turn, so the entries interleave. SQLite's busy handler
        # backs off, often letting one writer finish first; it serialises all the same.
        switches = sum(1 for earlier, later in zip(order, order[1:], strict=False) if earlier[0] != later[0])
        assert switches > 2, "the two writers did not overlap"


SUBJECTS_IN_ORDER = (
    "from sanxiang.ledger.models import Entry; "
    "print(' '.join(Entry.objects.order_by('index').values_list('subject_id', flat=True)))"
)
