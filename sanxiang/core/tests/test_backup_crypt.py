"""Backups of a store encrypted with SM4-GCM: the blobs stay sealed in the backup and the master key stays out of it;
a restore with the same key puts the sealed files back as they were, one without it is refused before anything is
written, and a sealed file changed in the backup is refused. A drill with the real `sanxiang` commands, as in
sanxiang/tests/test_backup.py; on the file store, and (make test-s3) on an S3 bucket."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sanxiang.core.backup.manifest import hash_file
from sanxiang.core.blob_crypt import SUFFIX, KeyFile
from sanxiang.testing.processes import run

# Texts that must never be found in a backup of an encrypted store; the last spans two 64 KiB segments.
MARKERS = ["sanxiang-plaintext-marker-one", "sanxiang-plaintext-marker-two", "sanxiang-plaintext-marker-long " * 3000]


def sanxiang(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sanxiang", *args], env=env, capture_output=True, text=True, timeout=300
    )


def worker(env, *args):
    return json.loads(run(env, "-m", "sanxiang.testing.backup_worker", *args))


def encrypted(env, key: Path | None = None) -> dict:
    """The installation's environment with its store encrypted (the key file in its data folder unless `key`). A
    bucket's key is never made on first use (every server must share it): it is made here, as an operator would."""
    if "SANXIANG_BLOB_URL" in env:
        KeyFile.load(key or master_key(env), create=True)
    return env | {"SANXIANG_BLOB_ENCRYPTION": "sm4-gcm"} | ({"SANXIANG_BLOB_KEY_FILE": str(key)} if key else {})


def nothing_stored(env) -> bool:
    """No blob in the installation's store, nor (a folder) any file begun."""
    if "SANXIANG_BLOB_URL" in env:
        return worker(env, "blobs") == {}
    return not (Path(env["SANXIANG_DATA_DIR"]) / "blobs").exists()


def master_key(env) -> Path:
    return Path(env["SANXIANG_DATA_DIR"]) / "keys" / "blob.key"


def backed_up(env, folder: Path) -> dict:
    made = sanxiang(env, "backup", str(folder))
    assert made.returncode == 0, made.stdout + made.stderr
    return json.loads((folder / "manifest.json").read_text())


def blob_rows(manifest) -> list[dict]:
    return [row for row in manifest["files"] if row["path"].startswith("blobs/")]


def test_a_backup_of_an_encrypted_store_holds_no_plaintext_and_not_the_master_key(fresh_database, tmp_path):
    source = encrypted(fresh_database)
    names = worker(source, "put", *MARKERS)
    manifest = backed_up(source, tmp_path / "backup")

    for path in (tmp_path / "backup").rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not [marker for marker in MARKERS if marker[:40].encode() in content], path
    assert manifest["format_version"] == 2
    rows, stored = blob_rows(manifest), worker(source, "blobs")
    assert sorted(row["blob"] for row in rows) == sorted(names)
    for row in rows:
        copied = tmp_path / "backup" / row["path"]
        assert (
            row["sealed"] is True
            and row["path"].endswith(SUFFIX)
            and row["path"].removesuffix(SUFFIX).endswith(row["blob"])
        )
        assert hash_file(copied) == stored[row["blob"]]["stored"]  # as stored, sealed
        assert (row["sha256"], row["size"]) == (hash_file(copied), copied.stat().st_size) and row["sha256"] != row[
            "blob"
        ]
    assert "主密钥不在备份中" in manifest["not_included"]["keys/blob.key"]
    assert not list((tmp_path / "backup").rglob("blob.key"))
    checked = sanxiang(source, "restore", "--check", str(tmp_path / "backup"))
    assert checked.returncode == 0, checked.stderr


def test_a_restore_with_the_same_master_key_gives_every_blob_back_as_it_was_sealed(
    fresh_database, empty_installation, tmp_path
):
    source = encrypted(fresh_database)
    run(source, "-m", "sanxiang.testing.backup_worker", "build")
    worker(source, "put", *MARKERS)
    backed_up(source, tmp_path / "backup")
    key = shutil.copy(master_key(source), tmp_path / "master.key")  # kept apart from the backup, as told
    target = encrypted(empty_installation, key)

    restored = sanxiang(target, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "ledger: OK" in restored.stdout and "evidence: OK" in restored.stdout
    # the same bytes stored as in the source, the sealed ones not sealed again
    assert worker(target, "blobs") == worker(source, "blobs")
    assert all(blob["intact"] and blob["sealed"] for blob in worker(target, "blobs").values())
    assert worker(target, "count") == worker(source, "count")


def test_a_restore_without_the_master_key_is_refused_before_anything_is_written(
    fresh_database, empty_installation, tmp_path
):
    source = encrypted(fresh_database)
    worker(source, "put", *MARKERS)
    backed_up(source, tmp_path / "backup")
    KeyFile.load(tmp_path / "other.key", create=True)

    for target, reason in [
        (encrypted(empty_installation, tmp_path / "other.key"), "本安装的存储加密主密钥打不开备份中的加密文件"),
        (empty_installation, "本安装未配置存储加密"),
    ]:
        refused = sanxiang(target, "restore", str(tmp_path / "backup"))
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert reason in refused.stderr and "未恢复任何内容" in refused.stderr
        assert "SANXIANG_BLOB_KEY_FILE" in refused.stderr and "SANXIANG_BLOB_KMS" in refused.stderr
        assert nothing_stored(target)
        assert worker(target, "tables") == 0


def test_a_restore_where_the_key_file_is_missing_makes_no_key_and_says_which_file(
    fresh_database, empty_installation, tmp_path
):
    """A new key would open nothing of the backup: none is made, and the operator is told where the backup's goes."""
    source = encrypted(fresh_database)
    worker(source, "put", *MARKERS)
    backed_up(source, tmp_path / "backup")
    absent = tmp_path / "elsewhere" / "blob.key"  # not the source's, which lies in tmp_path/keys
    target = empty_installation | {"SANXIANG_BLOB_ENCRYPTION": "sm4-gcm", "SANXIANG_BLOB_KEY_FILE": str(absent)}
    refused = sanxiang(target, "restore", str(tmp_path / "backup"))
    assert "Traceback" not in refused.stderr and str(absent) in refused.stderr, (refused.returncode, refused.stdout)
    if "SANXIANG_BLOB_URL" in target:  # a bucket's servers share one key: start-up itself asks for it
        assert refused.returncode == 2 and "SANXIANG_BLOB_KEY_FILE" in refused.stderr
    else:
        assert refused.returncode == 1 and "没有主密钥文件" in refused.stderr and "未恢复任何内容" in refused.stderr
    # looked into without the encryption settings, which a bucket's installation refuses to start with here
    assert not absent.exists() and nothing_stored(empty_installation) and worker(empty_installation, "tables") == 0


def test_a_sealed_file_changed_in_the_backup_is_refused(fresh_database, empty_installation, tmp_path):
    source = encrypted(fresh_database)
    worker(source, "put", *MARKERS)
    manifest = backed_up(source, tmp_path / "backup")
    target = encrypted(empty_installation, shutil.copy(master_key(source), tmp_path / "master.key"))
    row = max(blob_rows(manifest), key=lambda row: row["size"])
    sealed = tmp_path / "backup" / row["path"]
    content = bytearray(sealed.read_bytes())
    content[-20] ^= 0x01  # one bit of the last segment
    sealed.write_bytes(bytes(content))

    # Changed after the manifest was written: the backup's own hashes refuse it, before anything is written.
    refused = sanxiang(target, "restore", str(tmp_path / "backup"))
    assert refused.returncode == 1 and f"文件哈希不符：{row['path']}" in refused.stderr
    assert nothing_stored(target)

    # Changed with its hash in the manifest: the segment's tag refuses it when it is read back into the store.
    row["sha256"] = hash_file(sealed)
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))
    refused = sanxiang(target, "restore", str(tmp_path / "backup"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"未能恢复 {row['path']}" in refused.stderr and "未通过完整性校验" in refused.stderr
    assert row["blob"] not in worker(target, "blobs")


def test_a_store_with_files_from_before_encryption_round_trips(fresh_database, empty_installation, tmp_path):
    (before,) = worker(fresh_database, "put", "stored before the store was encrypted")
    source = encrypted(fresh_database)
    sealed = worker(source, "put", *MARKERS)
    manifest = backed_up(source, tmp_path / "backup")
    rows = {row.get("blob") or row["sha256"]: row for row in blob_rows(manifest)}
    assert rows[before] == {"path": f"blobs/{before[:2]}/{before[2:4]}/{before}", "sha256": before, "size": 37}
    assert all(rows[name]["sealed"] for name in sealed)

    target = encrypted(empty_installation, shutil.copy(master_key(source), tmp_path / "master.key"))
    restored = sanxiang(target, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    blobs = worker(target, "blobs")
    assert sorted(blobs) == sorted([before, *sealed]) and all(blob["intact"] for blob in blobs.values())
