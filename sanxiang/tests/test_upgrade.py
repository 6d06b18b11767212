"""The upgrade drill: the previous release's demo, built by that release's own code, migrated to this one; then the
ledger verifies and every stored file still has its hash (`sanxiang ledger verify`, `sanxiang evidence scrub`).

The previous release is a commit of this repository's history (PREVIOUS_RELEASE, moved forward at each release);
its tree is taken with `git archive`, so the drill needs a clone with its history, as CI has."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

# 6 December 2026: the first release whose demo can leave out the generated year (SANXIANG_DEMO_YEAR_SCALE=none)
PREVIOUS_RELEASE = "feb8aee"
ROOT = Path(__file__).resolve().parents[2]


def _sanxiang(env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sanxiang", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=900
    )


def test_the_previous_release_demo_migrates_and_verifies(tmp_path):
    if not (ROOT / ".git").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("the upgrade drill needs the repository's history (a git clone)")
        pytest.skip("not a git checkout: the previous release's code is not here")
    previous, data = tmp_path / "previous", tmp_path / "data"
    previous.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(previous)], input=archive.stdout, check=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "SANXIANG_DATA_DIR": str(data),
        "SANXIANG_HTTPS": "false",
        "SANXIANG_LOG_LEVEL": "WARNING",
        "SANXIANG_DEMO_YEAR_SCALE": "none",
    }
    # the previous release's own code (its folder first on the path), its own migrations and demo
    found = _sanxiang(env, previous, "shell", "--no-imports", "-c", "import sanxiang; print(sanxiang.__file__)")
    assert found.stdout.strip().splitlines()[-1].startswith(str(previous)), found.stdout + found.stderr
    for step in (("migrate", "--no-input"), ("demo",)):
        result = _sanxiang(env, previous, *step)
        assert result.returncode == 0, result.stderr[-3000:]
    # this release's code on the same folder and database
    migrated = _sanxiang(env, ROOT, "migrate", "--no-input")
    assert migrated.returncode == 0 and "Applying" in migrated.stdout, migrated.stderr[-3000:]
    verified = _sanxiang(env, ROOT, "ledger", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("OK"), verified.stdout + verified.stderr[-2000:]
    scrubbed = _sanxiang(env, ROOT, "evidence", "scrub")
    assert scrubbed.returncode == 0 and "checked" in scrubbed.stdout, scrubbed.stdout + scrubbed.stderr[-2000:]
    # indexes a release adds are filled from the rows already there: every case, party and file is found
    with closing(sqlite3.connect(data / "sanxiang.sqlite3")) as database:
        for table, index in (
            ("cases_case", "cases_case_search"),
            ("cases_party", "cases_party_search"),
            ("evidence_evidenceitem", "evidence_item_search"),
        ):
            rows, indexed = (database.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in (table, index))
            assert rows == indexed > 0, (table, rows, indexed)
