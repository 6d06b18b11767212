"""Two processes appending at once never create gaps, duplicates or forks (on the suite's own database engine)."""

import json
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from django.db import connection

APPENDS = 150


@pytest.fixture
def fresh_database(tmp_path, db):
    """A migrated database of the same engine as the suite's, outside the test transaction."""
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_LOG_LEVEL": "WARNING"}
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"sanxiang_concurrency_{uuid.uuid4().hex[:8]}"
        server = dict(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                      password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True)
        with psycopg.connect(**server) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        env["SANXIANG_DATABASE_URL"] = (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
        )
    else:
        env["SANXIANG_DATABASE_URL"] = "sqlite:///concurrency.sqlite3"
    run(env, "-m", "sanxiang", "migrate", "--no-input")
    yield env
    if connection.vendor == "postgresql":
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run(env, *args) -> str:
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def test_two_processes_appending_at_once_leave_one_gapless_log(fresh_database, tmp_path):
    env = fresh_database
    start = tmp_path / "start"
    workers = [
        subprocess.Popen([sys.executable, "-m", "sanxiang.testing.append_worker", str(APPENDS), tag, str(start)],
                         env=env, stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    time.sleep(1.5)  # both set up and waiting
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
