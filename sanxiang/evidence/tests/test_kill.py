"""A process killed (-9) in the middle of an ingest leaves nothing registered; the next run works."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from sanxiang.testing.processes import run

COUNT = "from sanxiang.evidence.models import EvidenceItem; print(EvidenceItem.objects.count())"
SWEEP = "from sanxiang.core.blobs import sweep_incoming; print(sweep_incoming(older_than_seconds=0))"


def test_kill_during_ingest_then_restart(fresh_database, tmp_path):
    env = fresh_database
    worker = subprocess.Popen(
        [sys.executable, "-m", "sanxiang.testing.ingest_worker", "64"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout.readline().strip() == "copying"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", COUNT).strip() == "0"
    swept = int(run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", SWEEP))
    if "SANXIANG_BLOB_URL" not in env:  # the file store: the killed copy left its temporary file in the folder
        assert swept >= 1, "the killed copy should have left its temporary file"
    # (the S3 store spools a stream read once to an unnamed local file, which the kill removed; an unfinished
    # multipart upload it may have begun is what the sweep aborts)
    result = subprocess.run(
        [sys.executable, "-m", "sanxiang.testing.ingest_worker", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "registered 1" in result.stdout, result.stderr
    assert run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", COUNT).strip() == "1"
    assert not list((Path(env["SANXIANG_DATA_DIR"]) / "blobs").glob(".incoming-*"))
