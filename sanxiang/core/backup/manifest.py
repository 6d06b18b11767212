"""The manifest of a backup and the copies it lists: every file is hashed while it is copied, never read twice.

A backup folder holds `manifest.json`, written last (a folder without it is an interrupted backup), and the files
it lists by their path relative to the folder, each with its SHA-256 and size. Everything written is owner-only
(files 0600, folders 0700): a backup holds the whole installation, secret key and signing key included. A blob the
store keeps encrypted (SM4-GCM) is copied sealed, as stored: its record says so and names the blob (the SHA-256 of
its plaintext); the master key that opens it is never in the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sanxiang.core.files import fsync_directory, make_private_dir

FORMAT = "sanxiang-backup"
FORMAT_VERSION = 1
# A backup with sealed blobs is written as version 2: a program that cannot restore them refuses it from its manifest,
# before anything is written, instead of on the first sealed file after the database is loaded.
SEALED_FORMAT_VERSION = 2
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message, in Chinese, tells the operator what to do."""


@dataclass
class FileRecord:
    path: str  # relative to the backup folder, with forward slashes
    sha256: str  # of the file as copied (for a sealed blob: of its ciphertext)
    size: int
    sealed: bool = False  # a blob copied encrypted, as the store keeps it
    blob: str = ""  # a sealed blob's name: the SHA-256 of its plaintext

    def as_dict(self) -> dict:
        row = {"path": self.path, "sha256": self.sha256, "size": self.size}
        return row | ({"sealed": True, "blob": self.blob} if self.sealed else {})


@dataclass
class Manifest:
    created_at: str
    version: str
    database: dict  # {"vendor": "sqlite" | "postgresql", "file": <path in the folder>}
    migrations: dict[str, list[str]]
    files: list[FileRecord] = field(default_factory=list)
    not_included: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": SEALED_FORMAT_VERSION if self.sealed_blobs else FORMAT_VERSION,
                "created_at": self.created_at,
                "version": self.version,
                "database": self.database,
                "migrations": self.migrations,
                "files": [record.as_dict() for record in self.files],
                "not_included": self.not_included,
            },
            ensure_ascii=False,
            indent=2,
        )

    @property
    def total_bytes(self) -> int:
        return sum(record.size for record in self.files)

    @property
    def sealed_blobs(self) -> list[FileRecord]:
        return [record for record in self.files if record.sealed]

    def record(self, path: str) -> FileRecord | None:
        return next((record for record in self.files if record.path == path), None)


def manifest_read(folder: Path) -> Manifest:
    """The manifest of the backup in `folder`; refuses a missing folder, an interrupted backup or a damaged manifest."""
    if not folder.is_dir():
        raise BackupError(f"备份文件夹不存在：{folder}")
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} 中没有 {MANIFEST}：不是备份文件夹，或备份未完成。")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        if data.get("format_version") not in (FORMAT_VERSION, SEALED_FORMAT_VERSION):
            raise BackupError(
                f"备份格式版本 {data.get('format_version')} 不受支持"
                f"（本程序读取版本 {FORMAT_VERSION} 和 {SEALED_FORMAT_VERSION}）。"
            )
        files = [
            FileRecord(
                path=row["path"],
                sha256=row["sha256"],
                size=int(row["size"]),
                sealed=row.get("sealed") is True,
                blob=str(row.get("blob", "")),
            )
            for row in data["files"]
        ]
        manifest = Manifest(
            created_at=data["created_at"],
            version=data["version"],
            database=dict(data["database"]),
            migrations={app: list(names) for app, names in data["migrations"].items()},
            files=files,
            not_included=dict(data.get("not_included", {})),
        )
    except BackupError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(f"无法读取备份清单 {path}：文件已损坏或不是本系统的备份清单。") from None
    for record in files:
        _safe_relative(record.path)
    return manifest


def manifest_write(folder: Path, manifest: Manifest) -> None:
    # Written to a temporary name and renamed: a manifest exists only once every file it lists is complete.
    temporary = folder / f".{MANIFEST}.partial"
    write_private(temporary, manifest.as_json().encode())
    os.replace(temporary, folder / MANIFEST)
    fsync_directory(folder)


def _safe_relative(path: str) -> PurePosixPath:
    """A path from a manifest stays inside the backup folder (a crafted manifest must not reach other files)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or not relative.parts or ".." in relative.parts:
        raise BackupError(f"备份清单中的路径无效：{path}")
    return relative


def write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)


def copy_hashed(
    source: Path | BinaryIO, target: Path, *, mode: int = 0o600, advance: Callable[[int], None] | None = None
) -> tuple[str, int]:
    """Copy `source` (a file, or an open stream it closes) to `target` through a temporary file renamed into place,
    hashing on the way; (sha256, size).
    Missing folders are created owner-only, in a backup as in the blob store."""
    make_private_dir(target.parent)
    temporary = target.with_name(f".{target.name}.partial")
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with source.open("rb") if isinstance(source, Path) else source as reader, os.fdopen(descriptor, "wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
                if advance:
                    advance(len(chunk))
            writer.flush()
            os.fsync(writer.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def hash_file(source: Path | BinaryIO, *, advance: Callable[[int], None] | None = None) -> str:
    """The SHA-256 of a file, or of what an open stream reads (closed afterwards)."""
    digest = hashlib.sha256()
    with source.open("rb") if isinstance(source, Path) else source as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            if advance:
                advance(len(chunk))
    return digest.hexdigest()


def safe_path(folder: Path, relative: str) -> Path:
    return folder / _safe_relative(relative)


def manifest_check(folder: Path, manifest: Manifest, *, advance: Callable[[int], None] | None = None) -> list[str]:
    """Re-hash every file the manifest lists; returns one line per missing or changed file (empty: all intact)."""
    problems = []
    for record in manifest.files:
        path = folder / _safe_relative(record.path)
        if not path.is_file():
            problems.append(f"缺少文件：{record.path}")
            continue
        if path.stat().st_size != record.size:
            problems.append(f"文件大小不符：{record.path}（清单 {record.size} 字节，实际 {path.stat().st_size} 字节）")
            if advance:
                advance(record.size)
            continue
        if hash_file(path, advance=advance) != record.sha256:
            problems.append(f"文件哈希不符：{record.path}")
    return problems
