"""The migrations that moved tables between apps — pre-disclosure to disclosures, the legal-review catalogue to
review — run backwards and forwards again on a database holding what the demo puts in those tables, on the suite's
own database engine: every row comes back byte for byte, the ledger still verifies, and a moved item's ledger history
is still found under the name its entries were written with (sanxiang.testing.migration_worker)."""

import json
import os
import subprocess
import sys


def _python(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "sanxiang.settings"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _worker(env: dict, step: str) -> dict:
    return json.loads(_python(env, "-m", "sanxiang.testing.migration_worker", step).splitlines()[-1])


def test_the_moved_tables_keep_every_row_of_the_demo_back_and_forth(fresh_database):
    env = {**fresh_database, "HOME": os.environ.get("HOME", "/tmp")}
    filled = _worker(env, "fill")
    assert filled["disclosures"][0] >= 10 and filled["versions"][0] >= filled["disclosures"][0]
    assert filled["catalogue"][0] >= 15

    back = _worker(env, "back")
    assert back["before"] == filled
    assert set(back["after"].values()) == {None}

    forward = _worker(env, "forward")
    assert forward["after"] == filled
    assert set(forward["before"].values()) == {None}
    assert "OK" in _python(env, "-m", "sanxiang", "ledger", "verify")
    assert forward["history"]["subject"] == "publicity.disclosure"
    assert {"disclosure.collect", "disclosure.review", "disclosure.publish"} <= set(forward["history"]["actions"])
