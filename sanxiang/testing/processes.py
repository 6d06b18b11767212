"""Helpers for tests that run the real `sanxiang` command in separate processes against a fresh database."""

import subprocess
import sys


def run(env, *args) -> str:
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout
