"""Files under the data folder: owner-only modes, orphaned temporaries swept, and missing static files named."""

import datetime as dt
import io
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from sanxiang.core import blobs
from sanxiang.core.files import make_private_dir
from sanxiang.core.tasks import sweep_temporary_files
from sanxiang.documents.services import document_issue
from sanxiang.testing.cases import add_evidence, open_case
from sanxiang.testing.documents import filled
from sanxiang.testing.processes import run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def orphan(folder: Path, name: str, *, hours: float) -> Path:
    make_private_dir(folder)
    path = folder / name
    path.write_bytes(b"half a file")
    old = time.time() - hours * 3600
    os.utime(path, (old, old))
    return path


def orphans():
    uploads = Path(settings.FILE_UPLOAD_TEMP_DIR)
    return (
        orphan(uploads, "tmpcrashed.upload.mp4", hours=30),
        orphan(blobs.blob_root(), f"{blobs.INCOMING}crashed", hours=30),
        orphan(uploads, "tmpbusy.upload.mp4", hours=0),
        orphan(blobs.blob_root(), f"{blobs.INCOMING}busy", hours=0),
    )


def test_the_background_worker_sweeps_old_orphans_and_keeps_files_still_being_written(db):
    old_upload, old_incoming, busy_upload, busy_incoming = orphans()
    sweep_temporary_files()  # huey runs tasks at once under the test settings
    assert not old_upload.exists() and not old_incoming.exists()
    assert busy_upload.exists() and busy_incoming.exists()
    busy_upload.unlink(), busy_incoming.unlink()


def test_the_sweep_command_removes_old_orphans(db):
    old_upload, old_incoming, busy_upload, busy_incoming = orphans()
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "uploads 1" in out.getvalue() and "store temporaries 1" in out.getvalue()
    assert not old_upload.exists() and not old_incoming.exists() and busy_upload.exists()
    busy_upload.unlink(), busy_incoming.unlink()


def test_serve_sweeps_orphans_as_it_starts(db, monkeypatch):
    from sanxiang.core.management.commands import serve

    old_upload, old_incoming, busy_upload, busy_incoming = orphans()
    monkeypatch.setattr(serve.Command, "_serve", lambda *args: None)
    call_command("serve", stdout=io.StringIO())
    assert not old_upload.exists() and not old_incoming.exists() and busy_upload.exists()
    busy_upload.unlink(), busy_incoming.unlink()


def test_a_stored_evidence_file_and_a_rendered_document_are_owner_only(world):
    item = add_evidence(world, open_case(world))
    document = document_issue(
        actor=world.people.head,
        agency=world.harbin,
        doc_type_code="penalty_decision",
        subject=world.harbin,
        issued_on=dt.date(2026, 10, 12),
        context=filled("penalty_decision"),
    )
    for digest in (item.sha256, document.docx_sha256):
        path = blobs.blob_path(digest)
        assert mode(path) == 0o400, path
        assert mode(path.parent) == mode(path.parent.parent) == mode(blobs.blob_root()) == 0o700
    assert mode(Path(settings.FILE_UPLOAD_TEMP_DIR)) == 0o700 and mode(settings.DATA_DIR) == 0o700


def test_a_new_installation_keeps_its_database_keys_and_folders_owner_only(new_installation):
    folder = Path(new_installation["SANXIANG_DATA_DIR"])
    assert mode(folder) == mode(folder / "uploads") == 0o700
    assert mode(folder / "secret_key") == 0o600
    if connection.vendor == "sqlite":
        database = folder / "concurrency.sqlite3"
        assert mode(database) == 0o600
        for companion in (folder / "concurrency.sqlite3-wal", folder / "concurrency.sqlite3-shm"):
            assert not companion.exists() or mode(companion) == 0o600


def test_a_database_file_created_group_readable_is_made_owner_only_when_opened(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_DATABASE_URL": "sqlite:///old.db"}
    (tmp_path / "old.db").touch(mode=0o644)
    os.chmod(tmp_path / "old.db", 0o644)
    code = "import django; django.setup(); from django.db import connection; connection.ensure_connection()"
    subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "sanxiang.settings"}, check=True)
    assert mode(tmp_path / "old.db") == 0o600


def test_serve_refuses_to_start_without_static_files_and_says_how_to_build_them(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, "-m", "sanxiang", "serve"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "静态文件" in result.stderr and "sanxiang collectstatic --no-input" in result.stderr
    check = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert "sanxiang.core.W001" in check.stderr + check.stdout
    run({**env}, "-m", "sanxiang", "collectstatic", "--no-input", "--verbosity", "0")
    check = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert "sanxiang.core.W001" not in check.stderr + check.stdout


@pytest.mark.parametrize("debug", ["true"])
def test_debug_serves_without_collected_static_files(tmp_path, debug):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_DEBUG": debug}
    check = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert "sanxiang.core.W001" not in check.stderr + check.stdout
