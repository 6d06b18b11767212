"""Back up a running installation and restore it into an empty one, then prove the restored one whole.

The database is copied first and the blob store after it: blobs are written before the rows that name them and are
never changed or deleted, so every blob the database copy references is already in the store when the store is
copied (the newer blobs copied with it are harmless). The other order loses the files registered in between.

Blobs the store keeps encrypted (SM4-GCM) stay sealed in the backup and go back into the store sealed; the master
key is never copied, and a restore refuses, before writing anything, a backup its installation's key cannot open.
"""

from __future__ import annotations

import importlib.metadata
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from sanxiang.core import integrity
from sanxiang.core.backup import database
from sanxiang.core.backup.manifest import (
    BackupError,
    FileRecord,
    Manifest,
    copy_hashed,
    hash_file,
    manifest_check,
    manifest_read,
    manifest_write,
    safe_path,
)
from sanxiang.core.blob_crypt import SUFFIX
from sanxiang.core.blob_files import relative_name
from sanxiang.core.blobs import (
    BlobError,
    DigestMismatch,
    blob_encrypted,
    blob_ingest,
    blob_names,
    blob_open,
    blob_open_sealed,
    blob_open_stored,
    blob_put_sealed,
    blob_sealed_size,
    blob_size,
    blob_store,
)
from sanxiang.core.files import fsync_directory, make_private_dir

LEDGER_KEY = "keys/ledger-signing.key"
SECRET_KEY = "keys/secret_key"
# What the data folder holds that a backup leaves out, and why: the manifest says so, so nobody wonders.
NOT_INCLUDED = {
    "huey.sqlite3": "后台任务队列：定时任务重启后自动排队，PDF 在首次下载时重新生成",
    "uploads/": "上传文件的临时暂存",
    "static/": "由 collectstatic 重新生成",
}
MASTER_KEY_NOTE = (
    "SM4 存储加密主密钥不在备份中：请与备份分开另行妥善保管；没有它，备份中加密存储的证据文件既无法读取，也无法恢复"
)


class Steps:
    """Progress of a long run: progress(label, total, unit) returns an object with update(done) and finish()."""

    def __init__(self, factory: Callable | None):
        self.factory = factory

    def start(self, label: str, total: int, unit: str) -> _Step:
        return _Step(self.factory(label, total, unit) if self.factory else None)


class _Step:
    """One step's progress: `advance` counts the bytes of copies as they go by, `update` sets where it stands."""

    def __init__(self, bar):
        self.bar, self.done = bar, 0

    def advance(self, count: int) -> None:
        self.update(self.done + count)

    def update(self, done: int, total: int | None = None) -> None:
        self.done = done
        if self.bar is not None:
            if total is not None:
                self.bar.total = total
            self.bar.update(done)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.finish()


@dataclass
class BackupResult:
    folder: Path
    manifest: Manifest
    damaged_blobs: list[str] = field(default_factory=list)  # stored files whose bytes no longer match their name


@dataclass
class RestoreResult:
    manifest: Manifest
    migrated: bool
    checks: list[integrity.IntegrityResult]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def backup_create(*, folder: Path, progress: Callable | None = None) -> BackupResult:
    """Write a backup of this installation into `folder` (new or empty): database, blobs, keys, then the manifest."""
    steps = Steps(progress)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"备份目标 {folder} 已存在且不是空文件夹：请指定一个新的文件夹。")
    kind = database.vendor()
    make_private_dir(folder)
    try:
        return _backup_into(folder, kind, steps)
    except BaseException:
        # The folder was new or empty: what is in it now is this run's unfinished copy, of no use to anyone.
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _backup_into(folder: Path, kind: str, steps: Steps) -> BackupResult:
    manifest = Manifest(
        created_at=timezone.now().isoformat(),
        version=_version(),
        database={"vendor": kind, "file": database.DUMP_FILES[kind]},
        migrations=database.applied_migrations(),
    )
    step = steps.start("database", 1, "copies")
    dump = folder / database.DUMP_FILES[kind]
    database.database_dump(target=dump)
    manifest.files.append(_record(folder, dump))
    step.finish()

    result = BackupResult(folder=folder, manifest=manifest)
    stored = {name: blob_sealed_size(name) for name in blob_names()}
    if any(sealed is not None for sealed in stored.values()) and not blob_encrypted():
        raise BackupError(
            "存储库中有加密存储（SM4）的证据文件，而本安装未配置存储加密，无法核对这些文件：请设置 "
            "SANXIANG_BLOB_ENCRYPTION=sm4-gcm 并用 SANXIANG_BLOB_KEY_FILE 或 SANXIANG_BLOB_KMS 提供加密时所用的主密钥后再备份。"
        )
    # A sealed blob is read twice (copied, then checked), a plain one once.
    total = sum(blob_size(name) + (sealed or 0) for name, sealed in stored.items())
    step = steps.start("blobs", total, "bytes")
    for name, sealed in stored.items():
        record, intact = _blob_copy(folder, name, sealed, advance=step.advance)
        manifest.files.append(record)
        if not intact:
            result.damaged_blobs.append(name)
    step.finish()

    for source, relative in _key_files():
        if source.is_file():
            digest, size = copy_hashed(source, safe_path(folder, relative))
            manifest.files.append(FileRecord(path=relative, sha256=digest, size=size))
    if not (Path(settings.DATA_DIR) / "secret_key").is_file():
        manifest.not_included["secret_key"] = "密钥由环境变量 SANXIANG_SECRET_KEY 提供，请另行保管"
    if blob_encrypted():
        manifest.not_included[_master_key_name()] = MASTER_KEY_NOTE
    manifest.not_included.update(NOT_INCLUDED)
    for directory in {safe_path(folder, record.path).parent for record in manifest.files}:
        fsync_directory(directory)
    manifest_write(folder, manifest)
    return result


def _blob_copy(folder: Path, name: str, sealed: int | None, *, advance) -> tuple[FileRecord, bool]:
    """Copy one blob into the backup: a plain one through the store, hashed on the way; a sealed one (`sealed`: its
    stored length) as stored, never decrypted. (record, whether the blob is intact.)"""
    relative = _blob_relative(name, sealed=sealed is not None)
    target = safe_path(folder, relative)
    if sealed is None:
        digest, size = copy_hashed(blob_open(name), target, advance=advance)
        return FileRecord(path=relative, sha256=digest, size=size), digest == name
    digest, size = copy_hashed(blob_open_stored(name), target, advance=advance)
    record = FileRecord(path=relative, sha256=digest, size=size, sealed=True, blob=name)
    # The copy's hash covers the ciphertext only: the copy is read back through the decrypting reader, which checks
    # every segment's GCM tag, and its plaintext hashed against the name: from the file just written, still in the
    # page cache, so it costs the decryption (about 100 MB/s a core with OpenSSL's SM4), not a second read of the
    # store's disk nor a second download of its object.
    try:
        return record, hash_file(blob_open_sealed(target), advance=advance) == name
    except BlobError:  # a changed, cut or reordered segment, or a header whose data key no longer opens
        return record, False


def _blob_relative(name: str, *, sealed: bool) -> str:
    """Where a blob lies in a backup: as in the file store, a sealed one with its suffix."""
    return f"blobs/{relative_name(name)}" + (SUFFIX if sealed else "")


def _master_key_name() -> str:
    """What holds the SM4 master key, as the manifest names what it leaves out."""
    if settings.BLOB_KMS:
        return "SANXIANG_BLOB_KMS"
    key = Path(settings.BLOB_KEY_FILE)
    return key.relative_to(settings.DATA_DIR).as_posix() if key.is_relative_to(settings.DATA_DIR) else str(key)


def backup_check(*, folder: Path, progress: Callable | None = None) -> tuple[Manifest, list[str]]:
    """Re-hash every file of the backup in `folder` against its manifest; (manifest, problems)."""
    manifest = manifest_read(folder)
    step = Steps(progress).start("check", manifest.total_bytes, "bytes")
    problems = manifest_check(folder, manifest, advance=step.advance)
    step.finish()
    return manifest, problems


def backup_restore(*, folder: Path, progress: Callable | None = None) -> RestoreResult:
    """Restore the backup in `folder` into this installation, which must be empty, and run every integrity check.

    Nothing is written before the whole backup has been re-hashed against its manifest."""
    steps = Steps(progress)
    manifest = manifest_read(folder)
    kind = database.vendor()
    if manifest.database.get("vendor") != kind or manifest.database.get("file") != database.DUMP_FILES[kind]:
        raise BackupError(
            f"备份的数据库类型为 {manifest.database.get('vendor')}，而本安装配置的是 {kind}：只能恢复到同类数据库。"
        )
    shipped = database.known_migrations()
    unknown = sorted(
        f"{app}.{name}" for app, names in manifest.migrations.items() for name in names if (app, name) not in shipped
    )
    if unknown:
        raise BackupError(
            f"备份来自更新的版本 {manifest.version}（本程序不认识迁移 {', '.join(unknown[:3])}）：请先升级程序再恢复。"
        )
    _require_master_key(folder, manifest)  # first: building the store to look into it would make a key file
    _require_empty(folder, manifest)
    _manifest, problems = backup_check(folder=folder, progress=progress)
    if problems:
        raise BackupError("备份已损坏，未恢复任何内容：\n" + "\n".join(problems))

    step = steps.start("database", 1, "copies")
    database.database_load(source=safe_path(folder, manifest.database["file"]))
    step.finish()
    _restore_files(folder, manifest, steps)
    pending = shipped - {(app, name) for app, names in manifest.migrations.items() for name in names}
    if pending:  # a backup from an older version: bring its schema up to this one before checking it
        call_command("migrate", interactive=False, verbosity=0)
    checks = []
    for provider in _providers():
        step = steps.start(provider.name, 0, "")
        checks.append(provider.check(progress=lambda done, total, step=step: step.update(done, total)))
        step.finish()
    return RestoreResult(manifest=manifest, migrated=bool(pending), checks=checks)


def _restore_files(folder: Path, manifest: Manifest, steps: Steps) -> None:
    blobs = [record for record in manifest.files if record.path.startswith("blobs/")]
    step = steps.start("blobs", sum(record.size for record in blobs), "bytes")
    for record in blobs:
        try:
            if record.path != _blob_relative(record.blob if record.sealed else record.sha256, sealed=record.sealed):
                raise ValueError(record.path)
        except ValueError:
            raise BackupError(f"备份清单中的文件路径不是存储库的格式：{record.path}") from None
        # Hashed again while copied (a sealed blob: its plaintext, read back through the keeper): a backup changed
        # since it was checked is refused (nothing stored), not half-trusted.
        source = safe_path(folder, record.path)
        try:
            if record.sealed:
                blob_put_sealed(source, expected=record.blob, progress=step.advance)
            else:
                with source.open("rb") as reader:
                    blob_ingest(reader, expected=record.sha256, progress=step.advance)
        except DigestMismatch:
            raise BackupError(f"恢复过程中文件被改动：{record.path}。请检查备份介质后在空安装上重新恢复。") from None
        except BlobError as error:
            raise BackupError(f"未能恢复 {record.path}：{error}请检查备份介质后在空安装上重新恢复。") from None
    step.finish()
    for target, relative in _key_files():
        record = manifest.record(relative)
        if record is not None:
            copy_hashed(safe_path(folder, relative), target)


def _key_files() -> list[tuple[Path, str]]:
    return [(Path(settings.LEDGER_KEY_FILE), LEDGER_KEY), (Path(settings.DATA_DIR) / "secret_key", SECRET_KEY)]


def _require_empty(folder: Path, manifest: Manifest) -> None:
    """Refuse to overwrite anything: records in the database, files in the store, another ledger key."""
    if database.has_tables() and (database.has_users() or any(_holds_data(provider) for provider in _providers())):
        raise BackupError(
            "目标数据库中已有数据，拒绝覆盖：恢复只能在新建的空安装上进行（新建空数据库，或只执行过 migrate 的数据库）。"
        )
    if next(blob_names(), None) is not None:
        raise BackupError(f"存储库中已有证据文件（{blob_store()!r}），拒绝覆盖：请使用新的空数据目录或存储桶前缀。")
    key, record = Path(settings.LEDGER_KEY_FILE), manifest.record(LEDGER_KEY)
    if key.is_file() and record is not None and key.read_bytes() != safe_path(folder, LEDGER_KEY).read_bytes():
        raise BackupError(f"本安装已有另一把账本签名密钥（{key}），拒绝覆盖：请移走它或使用新的数据目录。")


def _require_master_key(folder: Path, manifest: Manifest) -> None:
    """Refuse a backup of sealed blobs this installation cannot open, before anything is written: one of them is
    opened with the configured key keeper (its data key is wrapped by the master key that sealed it)."""
    sealed = (safe_path(folder, record.path) for record in manifest.sealed_blobs)
    path = next((path for path in sealed if path.is_file()), None)
    if path is None:
        return  # no sealed blob, or none there: the check of the backup that follows names the missing files
    if settings.BLOB_ENCRYPTION != "none" and not settings.BLOB_KMS and not Path(settings.BLOB_KEY_FILE).is_file():
        # asked before the store is built, which would make a new key: one that opens nothing of this backup
        raise BackupError(
            f"备份中的证据文件是加密存储（SM4）的，而本安装没有主密钥文件 {settings.BLOB_KEY_FILE}：请把备份所来自安装的"
            "主密钥文件放到此处（权限 0600），或用 SANXIANG_BLOB_KMS 指定密钥管理系统，然后再恢复。未恢复任何内容。"
        )
    if not blob_encrypted():
        raise BackupError(
            "备份中的证据文件是加密存储（SM4）的，而本安装未配置存储加密：请设置 SANXIANG_BLOB_ENCRYPTION=sm4-gcm，"
            "并用 SANXIANG_BLOB_KEY_FILE（主密钥文件）或 SANXIANG_BLOB_KMS（密钥管理系统）提供备份所来自安装的主密钥，"
            "然后再恢复。未恢复任何内容。"
        )
    try:
        with blob_open_sealed(path) as plaintext:
            plaintext.read(1)
    except BlobError as error:
        raise BackupError(
            f"本安装的存储加密主密钥打不开备份中的加密文件 {path.relative_to(folder).as_posix()}：{error}"
            "请在 SANXIANG_BLOB_KEY_FILE 或 SANXIANG_BLOB_KMS 中配置备份所来自安装的主密钥后再恢复。未恢复任何内容。"
        ) from None


def _holds_data(provider) -> bool:
    try:
        return provider.holds_data()
    except DatabaseError:  # a table this version has and the target never got: nothing in it
        return False


def _providers() -> tuple:
    if not integrity.providers.handlers:
        raise ImproperlyConfigured("no integrity checks are registered (core.integrity): are the apps installed?")
    return integrity.providers.handlers


def _record(folder: Path, path: Path) -> FileRecord:
    return FileRecord(path=path.relative_to(folder).as_posix(), sha256=hash_file(path), size=path.stat().st_size)


def _version() -> str:
    try:
        return importlib.metadata.version("sanxiang")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
