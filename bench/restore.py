"""The restore drill at size (issue 13): `sanxiang backup`, then `sanxiang restore` into an empty installation with
its checks (`ledger verify`, `evidence scrub`), for the demo year (SQLite and PostgreSQL) and for a case holding one
5 GB camera file.

The baseline, in the same run on the same file, is the least any verified copy costs: `sha256sum` of the file, then
`cp` and `sync`. A backup reads the store once (hashing while it copies) and checks its own copy, so it should stay
within twice the baseline; a restore re-hashes the backup before writing anything, copies, and then the scrub
re-hashes the restored store, so it reads the file three times and writes it once: within three times the baseline.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import environment, installation, postgres_database, sanxiang, write_result
from bench.evidence import ARCHIVE_BYTES, _hash_copy, _inner, _make_file

TARGETS = {"backup_ratio": 0.5, "restore_ratio": 0.33}


def _timed(env: dict, *args: str) -> float:
    started = time.perf_counter()
    sanxiang(env, *args)
    return round(time.perf_counter() - started, 2)


def _drill(source_env: dict, target_env: dict, folder: Path) -> dict:
    """Back up `source_env`'s installation into `folder` and restore it into `target_env`'s empty one."""
    return {
        "backup_seconds": _timed(source_env, "backup", str(folder)),
        "check_seconds": _timed(target_env, "restore", str(folder), "--check"),
        "restore_seconds": _timed(target_env, "restore", str(folder)),
    }


@contextlib.contextmanager
def _databases():
    """Two fresh PostgreSQL databases (source, target), or None when no server answers."""
    with postgres_database("sanxiang_bench_backup") as source, postgres_database("sanxiang_bench_restore") as target:
        yield (source, target) if source and target else None


def _demo(work: Path, database_url: str | None = None, target_url: str | None = None) -> dict:
    extra = {"SANXIANG_DATABASE_URL": database_url} if database_url else {}
    with installation(**extra) as env:
        target = environment(work / "demo-restored", **({"SANXIANG_DATABASE_URL": target_url} if target_url else {}))
        drill = _drill(env, target, work / "demo-backup")
    shutil.rmtree(work / "demo-backup", ignore_errors=True)
    shutil.rmtree(work / "demo-restored", ignore_errors=True)
    return drill


def run() -> dict:
    work = Path(tempfile.mkdtemp(prefix="sanxiang-bench-restore-"))
    try:
        demo = {"sqlite": _demo(work)}
        with _databases() as urls:
            if urls:
                demo["postgresql"] = _demo(work, *urls)
        source_env = environment(work / "source")
        sanxiang(source_env, "migrate", "--no-input")
        video = work / "camera.mp4"
        _make_file(video, ARCHIVE_BYTES)
        baseline = _hash_copy(video, work / "copy.mp4")
        _inner(source_env, "ingest", video)
        video.unlink()
        big = _drill(source_env, environment(work / "restored"), work / "backup")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    big["file_bytes"] = ARCHIVE_BYTES
    big["sha256sum_plus_cp_seconds"] = round(baseline, 2)
    big["backup_ratio"] = round(baseline / big["backup_seconds"], 3)
    big["restore_ratio"] = round(baseline / big["restore_seconds"], 3)
    result = {"demo": demo, "five_gb_case": big, "targets": TARGETS}
    result["passed"] = {name: big[name] >= target for name, target in TARGETS.items()}
    write_result("restore", result)
    return result
