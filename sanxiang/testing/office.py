"""Tests that need LibreOffice: skipped on a developer's machine without it, failed in CI (CI=true), where a missing
tool is a broken machine rather than a reason to test less."""

import os
import shutil

import pytest

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true",
    reason="LibreOffice (libreoffice-writer-nogui) is not installed",
)
