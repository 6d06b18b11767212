"""Settings for the test suite: the production settings with a throw-away data directory and a cheap Argon2."""

import os
import tempfile
import uuid
from urllib.parse import urlsplit

os.environ["SANXIANG_DATA_DIR"] = tempfile.mkdtemp(prefix="sanxiang-test-")  # never the real installation
os.environ["SANXIANG_HTTPS"] = "false"

from sanxiang.settings import *  # noqa: E402,F403

# Still Argon2 (so stored hashes look as in production), with parameters cheap enough for thousands of users.
PASSWORD_HASHERS = ["sanxiang.testing.hashers.FastArgon2PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Persistent connections would keep the live-server thread attached to the test database at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

DOCUMENTS_PDF_IN_BACKGROUND = False  # tests render PDFs explicitly (LibreOffice takes seconds)
HUEY = {**HUEY, "immediate": True}  # noqa: F405
# A timer thread signing checkpoints in the middle of another test's transaction would make the suite flaky;
# the tests of ledger.cadence call its timer directly.
LEDGER_CHECKPOINT_TIMER = False
# Tests travel in time with a logged-in client; the idle timeout and the password age would end those sessions.
# The tests of both (web/tests/test_accounts.py) turn them on.
SESSION_IDLE_MINUTES = 0
PASSWORD_MAX_AGE_DAYS = 0

# make test-s3: the blobs in an S3 bucket (SANXIANG_TEST_BLOB_URL=s3://bucket?endpoint=…), below a prefix of this test
# process's own, as the folder above is.
if os.environ.get("SANXIANG_TEST_BLOB_URL"):
    _blobs = urlsplit(os.environ["SANXIANG_TEST_BLOB_URL"])
    BLOB_URL = _blobs._replace(path=f"{_blobs.path.rstrip('/')}/{uuid.uuid4().hex}").geturl()
