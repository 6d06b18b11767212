"""Backup and restore: a drill on the suite's engine (SQLite, or PostgreSQL in the suite's PostgreSQL run) from an
installation built through the services to an empty one, then the refusals — a damaged backup, a target that holds
data, a folder that is not a backup."""

import errno
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sanxiang.core.backup import database
from sanxiang.core.backup.manifest import FileRecord, Manifest, hash_file, manifest_write
from sanxiang.testing.processes import run


def sanxiang(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sanxiang", *args], env=env, capture_output=True, text=True, timeout=300
    )


def holdings(env) -> dict:
    return json.loads(run(env, "-m", "sanxiang.testing.backup_worker", "count"))


def test_a_backup_restored_into_an_empty_installation_verifies_and_holds_the_same_records(
    fresh_database, empty_installation, tmp_path
):
    source, target = fresh_database, empty_installation
    run(source, "-m", "sanxiang.testing.backup_worker", "build")
    backup = tmp_path / "backup"
    made = sanxiang(source, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    listed = {row["path"] for row in manifest["files"]}
    assert {"keys/ledger-signing.key", "keys/secret_key", manifest["database"]["file"]} <= listed
    assert sum(path.startswith("blobs/") for path in listed) == holdings(source)["blobs"]
    for path in [backup, *backup.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path

    # A backup changed after it was made (same size, one byte different) is refused before anything is written.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    blob = next(row["path"] for row in manifest["files"] if row["path"].startswith("blobs/"))
    content = bytearray((damaged / blob).read_bytes())
    content[0] ^= 0xFF
    (damaged / blob).write_bytes(bytes(content))
    refused = sanxiang(target, "restore", str(damaged))
    assert refused.returncode == 1
    assert f"文件哈希不符：{blob}" in refused.stderr and "Traceback" not in refused.stderr
    assert not (Path(target["SANXIANG_DATA_DIR"]) / "blobs").exists()

    restored = sanxiang(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "ledger: OK" in restored.stdout and "evidence: OK" in restored.stdout
    assert holdings(target) == holdings(source)
    assert "OK:" in run(target, "-m", "sanxiang", "ledger", "verify")
    source_dir, target_dir = Path(source["SANXIANG_DATA_DIR"]), Path(target["SANXIANG_DATA_DIR"])
    assert (target_dir / "secret_key").read_bytes() == (source_dir / "secret_key").read_bytes()
    assert (target_dir / "ledger" / "signing.key").read_bytes() == (source_dir / "ledger" / "signing.key").read_bytes()

    again = sanxiang(target, "restore", str(backup))
    assert again.returncode == 1
    assert "目标数据库中已有数据，拒绝覆盖" in again.stderr


def test_a_restore_of_a_folder_that_is_not_there_says_so_without_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path / "data")}
    result = sanxiang(env, "restore", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert f"备份文件夹不存在：{tmp_path / 'nowhere'}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "something-else"}', b"\xff\xfe"])
def test_an_unreadable_manifest_is_refused_with_a_clear_message(tmp_path, db, content):
    (tmp_path / "manifest.json").write_bytes(content)
    with pytest.raises(CommandError, match="无法读取备份清单"):
        call_command("restore", str(tmp_path))


def test_a_folder_without_a_manifest_is_not_taken_for_a_backup(tmp_path, db):
    (tmp_path / "database.sqlite3").write_bytes(b"x")
    with pytest.raises(CommandError, match="不是备份文件夹，或备份未完成"):
        call_command("restore", str(tmp_path))


def test_a_manifest_pointing_outside_its_folder_is_refused(tmp_path, db):
    _backup_folder(tmp_path, extra=FileRecord(path="../secret", sha256="0" * 64, size=1))
    with pytest.raises(CommandError, match="备份清单中的路径无效：../secret"):
        call_command("restore", str(tmp_path), check=True)


def test_the_check_of_a_backup_names_the_file_that_changed(tmp_path, db):
    _backup_folder(tmp_path)
    call_command("restore", str(tmp_path), check=True)
    (tmp_path / "keys" / "secret_key").write_bytes(b"another secret, of the same size!")
    with pytest.raises(CommandError, match="文件哈希不符：keys/secret_key"):
        call_command("restore", str(tmp_path), check=True)


def test_a_restore_into_an_installation_with_users_is_refused(tmp_path, world):
    _backup_folder(tmp_path)
    with pytest.raises(CommandError, match="目标数据库中已有数据，拒绝覆盖"):
        call_command("restore", str(tmp_path))


def test_an_interrupted_backup_leaves_no_folder_behind(tmp_path, db, monkeypatch):
    def disk_full(*, target):
        target.write_bytes(b"half a copy")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(database, "database_dump", disk_full)
    with pytest.raises(CommandError, match="备份失败：No space left on device"):
        call_command("backup", str(tmp_path / "backup"))
    assert not (tmp_path / "backup").exists()


def _backup_folder(folder: Path, extra: FileRecord | None = None) -> None:
    """A backup folder of this suite's engine and schema, whose database copy is never reached."""
    (folder / "keys").mkdir()
    secret = folder / "keys" / "secret_key"
    secret.write_bytes(b"a secret of thirty-two characters")
    dump = folder / database.DUMP_FILES[connection.vendor]
    dump.write_bytes(b"not reached")
    files = [
        FileRecord(path=path.relative_to(folder).as_posix(), sha256=hash_file(path), size=path.stat().st_size)
        for path in (dump, secret)
    ]
    manifest_write(
        folder,
        Manifest(
            created_at="2026-10-12T10:00:00+08:00",
            version="0.1.0",
            database={"vendor": connection.vendor, "file": dump.name},
            migrations=database.applied_migrations(),
            files=files + ([extra] if extra else []),
        ),
    )
