"""Back up a running installation and restore it into an empty one, then prove the restored one whole.

The database is copied first and the blob store after it: blobs are written before the rows that name them and are
never changed or deleted, so every blob the database copy references is already in the store when the store is
copied (the newer blobs copied with it are harmless). The other order loses the files registered in between.
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
from sanxiang.core.blob_files import relative_name
from sanxiang.core.blobs import DigestMismatch, blob_ingest, blob_names, blob_open, blob_size, blob_store
from sanxiang.core.files import fsync_directory, make_private_dir

LEDGER_KEY = "keys/ledger-signing.key"
SECRET_KEY = "keys/secret_key"
# What the data folder holds that a backup leaves out, and why: the manifest says so, so nobody wonders.
NOT_INCLUDED = {
    "huey.sqlite3": "后台任务队列：定时任务重启后自动排队，PDF 在首次下载时重新生成",
    "uploads/": "上传文件的临时暂存",
    "static/": "由 collectstatic 重新生成",
}


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
    names = list(blob_names())
    step = steps.start("blobs", sum(blob_size(name) for name in names), "bytes")
    for name in names:
        relative = f"blobs/{relative_name(name)}"
        digest, size = copy_hashed(blob_open(name), safe_path(folder, relative), advance=step.advance)
        manifest.files.append(FileRecord(path=relative, sha256=digest, size=size))
        if digest != name:
            result.damaged_blobs.append(name)
    step.finish()

    for source, relative in _key_files():
        if source.is_file():
            digest, size = copy_hashed(source, safe_path(folder, relative))
            manifest.files.append(FileRecord(path=relative, sha256=digest, size=size))
    if not (Path(settings.DATA_DIR) / "secret_key").is_file():
        manifest.not_included["secret_key"] = "密钥由环境变量 SANXIANG_SECRET_KEY 提供，请另行保管"
    manifest.not_included.update(NOT_INCLUDED)
    for directory in {safe_path(folder, record.path).parent for record in manifest.files}:
        fsync_directory(directory)
    manifest_write(folder, manifest)
    return result


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
            if record.path != f"blobs/{relative_name(record.sha256)}":
                raise ValueError(record.path)
        except ValueError:
            raise BackupError(f"备份清单中的文件路径不是存储库的格式：{record.path}") from None
        # Hashed again while copied: a backup changed since it was checked is refused (nothing stored), not half-trusted.
        try:
            with safe_path(folder, record.path).open("rb") as source:
                blob_ingest(source, expected=record.sha256, progress=step.advance)
        except DigestMismatch:
            raise BackupError(f"恢复过程中文件被改动：{record.path}。请检查备份介质后在空安装上重新恢复。") from None
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
