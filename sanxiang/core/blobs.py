"""The content-addressed store: files kept by their SHA-256, never overwritten or deleted.

Two stores stand behind this one small interface, chosen by SANXIANG_BLOB_URL: a folder (core.blob_files, the
embedded default: <data dir>/blobs) or an S3-compatible bucket (core.blob_s3). Either way a file is hashed while it
is copied in, takes its name only once complete, and the same bytes written twice are stored once.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from sanxiang.core import hooks
from sanxiang.core.blob_crypt import KeyFile, KeyKeeper, open_encrypted_file
from sanxiang.core.blob_errors import BlobError, DigestMismatch
from sanxiang.core.blob_files import CHUNK, INCOMING, READ_CHUNK, FileStore, sweep_files
from sanxiang.core.blob_url import parse_blob_url

__all__ = ["CHUNK", "INCOMING", "READ_CHUNK", "BlobError", "DigestMismatch"]

sweepers = hooks.hook(
    "core.sweep",
    doc="Other temporaries to sweep with the store's: each handler takes no argument and returns how many it removed "
    "of each kind ({name: count}). Resumable uploads (uploads.services.upload_sweep) provide one.",
    required=False,
)

_stores: dict[tuple, object] = {}


def blob_store():
    """The configured store, built once per configuration (the tests give each test a data directory of its own)."""
    url = settings.BLOB_URL or f"file://{Path(settings.DATA_DIR) / 'blobs'}"
    key = (url, settings.BLOB_RETENTION_DAYS, settings.BLOB_ENCRYPTION, str(settings.BLOB_KEY_FILE))
    store = _stores.get(key)
    if store is None:
        config = parse_blob_url(url)
        if config["kind"] == "file":
            store = FileStore(config["root"], keeper=_keeper(create=True))
        else:
            from sanxiang.core.blob_s3 import S3Store  # boto3 is imported only by installations that use it

            store = S3Store(
                bucket=config["bucket"],
                prefix=config["prefix"],
                endpoint=config["endpoint"],
                region=config["region"],
                retention_days=settings.BLOB_RETENTION_DAYS,
                keeper=_keeper(create=False),  # every server shares the one key: none makes its own
            )
        _stores[key] = store
    return store


def _keeper(*, create: bool):
    """What wraps the data keys of encrypted blobs (core.blob_crypt), or None when blobs are stored as they are; the
    key file is made on first use only when `create`."""
    if settings.BLOB_ENCRYPTION == "none":
        return None
    if settings.BLOB_KMS:
        try:
            keeper = import_string(settings.BLOB_KMS)()
        except ImportError as error:
            raise ImproperlyConfigured(f"SANXIANG_BLOB_KMS={settings.BLOB_KMS!r} 无法加载：{error}。") from None
        if not isinstance(keeper, KeyKeeper):
            raise ImproperlyConfigured(f"SANXIANG_BLOB_KMS={settings.BLOB_KMS!r} 没有返回可包装数据密钥的对象。")
        return keeper
    if not create and not settings.BLOB_KEY_FILE.is_file():
        raise ImproperlyConfigured(
            f"存储加密主密钥文件 {settings.BLOB_KEY_FILE} 不存在：S3 存储由各台服务器共用一把主密钥，请复制同一文件到此处。"
        )
    return KeyFile.load(settings.BLOB_KEY_FILE, create=create)


def _file_store() -> FileStore:
    store = blob_store()
    if not isinstance(store, FileStore):
        raise RuntimeError(f"the blobs are in {store!r}, not in a folder")
    return store


def blob_root() -> Path:
    """The file store's folder (only with the file store)."""
    return _file_store().root


def blob_path(digest: str) -> Path:
    """A blob's file in the file store (only with the file store; blob_local_file works with both)."""
    return _file_store().path(digest)


def blob_ingest(
    source: BinaryIO, *, max_bytes: int | None = None, expected: str | None = None, progress=None
) -> tuple[str, int]:
    """Copy `source` into the store while hashing it; returns (sha256, size). Memory use does not grow with size.
    With `expected`, a file whose hash differs is refused (DigestMismatch) before it takes a name in the store;
    `progress` is called with each chunk's length."""
    return blob_store().ingest(source, max_bytes=max_bytes, expected=expected, progress=progress)


def blob_put(data: bytes) -> str:
    """Store `data` and return its SHA-256 (hex)."""
    return blob_ingest(io.BytesIO(data))[0]


def blob_open(digest: str) -> BinaryIO:
    """The stored file for reading (seekable); FileNotFoundError when it is not in the store."""
    return blob_store().open(digest)


def blob_encrypted() -> bool:
    """Whether this installation writes blobs encrypted (SANXIANG_BLOB_ENCRYPTION) and can read encrypted ones."""
    return blob_store().keeper is not None


def blob_sealed_size(digest: str) -> int | None:
    """The stored length of a blob kept encrypted (SM4-GCM), which a backup copies as it is; None when the blob is
    stored plain. FileNotFoundError when it is not in the store."""
    return blob_store().sealed_size(digest)


def blob_open_stored(digest: str) -> BinaryIO:
    """A blob's bytes as stored (an encrypted one's ciphertext, never decrypted), for a copy that keeps it sealed."""
    return blob_store().open_stored(digest)


def blob_open_sealed(path: Path) -> BinaryIO:
    """An encrypted blob's file outside the store (a backup's copy) read as its plaintext with this installation's
    key keeper; BlobError when blobs are not encrypted here or the master key is not the one that sealed it."""
    return open_encrypted_file(path, blob_store().keeper)


def blob_put_sealed(source: Path, *, expected: str, progress=None) -> None:
    """Store an encrypted blob's file as it is, under `expected` (its plaintext's SHA-256), once its plaintext read
    with this installation's keeper hashes to it; BlobError (DigestMismatch) otherwise, and nothing is stored."""
    blob_store().put_sealed(source, expected=expected, progress=progress)


def blob_read(digest: str) -> bytes:
    with blob_open(digest) as handle:
        return handle.read()


def blob_exists(digest: str) -> bool:
    return blob_store().exists(digest)


def blob_size(digest: str) -> int:
    return blob_store().size(digest)


def blob_local_file(digest: str) -> AbstractContextManager[Path]:
    """A path to the file's bytes for a library that wants a file name (image metadata): the stored file itself, or a
    private temporary copy of the object removed afterwards."""
    return blob_store().local_file(digest)


def blob_hash(digest: str) -> str | None:
    """Recompute a stored file's SHA-256 (None when the file is missing)."""
    try:
        handle = blob_open(digest)
    except FileNotFoundError:
        return None
    with handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def blob_names() -> Iterator[str]:
    """The name (SHA-256) of every complete file in the store, in name order."""
    return blob_store().names()


def sweep_incoming(older_than_seconds: int = 3600) -> int:
    """Remove what killed copies left behind (temporary files, unfinished multipart uploads); returns how many. A copy
    under way writes continuously, so only one not written for `older_than_seconds` is taken."""
    return blob_store().sweep_incoming(older_than_seconds)


def sweep_uploads(older_than_seconds: int = 3600) -> int:
    """Remove the spooled request bodies (FILE_UPLOAD_TEMP_DIR) a crashed or killed request left behind; returns
    how many. Django deletes an upload's file when its request ends, so any file older than a request is an orphan."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    return sweep_files(folder.iterdir() if folder.is_dir() else (), older_than_seconds)


def sweep_temporaries() -> dict[str, int]:
    """Sweep both folders of temporaries with the bound of TEMPORARY_FILES_MAX_AGE, and what the apps registered
    (core.sweep); returns how many of each."""
    age = int(settings.TEMPORARY_FILES_MAX_AGE.total_seconds())
    removed = {"uploads": sweep_uploads(age), "incoming": sweep_incoming(age)}
    for counts in sweepers():
        removed.update(counts)
    return removed
