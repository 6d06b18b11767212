"""The content-addressed file store: files kept by their SHA-256 under <data dir>/blobs, never overwritten or deleted.

Writes go to a temporary file in the store, are hashed while they are copied, fsynced and renamed into place, so a
crash leaves either no file or a complete one (stale temporaries are swept later); the same bytes written twice
are stored once. The store is this one small interface, so an S3-compatible backend can replace the folder.
"""

from __future__ import annotations

import errno
import hashlib
import io
import itertools
import os
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from sanxiang.core import hooks
from sanxiang.core.files import STORED_MODE, fsync_directory, make_private_dir

CHUNK = 1024 * 1024
READ_CHUNK = 4 * CHUNK  # what an ingest reads at a time: fewer hand-overs to the hashing thread than CHUNK
INCOMING = ".incoming-"

sweepers = hooks.hook(
    "core.sweep",
    doc="Other temporaries to sweep with the store's: each handler takes no argument and returns how many it removed "
    "of each kind ({name: count}). Resumable uploads (uploads.services.upload_sweep) provide one.",
    required=False,
)


class BlobError(ValueError):
    """A file the store refuses (empty, too large) or could not take (the disk is full)."""


class DigestMismatch(BlobError):
    """A file whose SHA-256 is not the one its sender recorded (at capture, on the device): it is not stored."""


def blob_root() -> Path:
    return Path(settings.DATA_DIR) / "blobs"


def blob_path(digest: str) -> Path:
    if len(digest) != 64 or not all(char in "0123456789abcdef" for char in digest):
        raise ValueError("a blob is named by its SHA-256 in lowercase hex")
    return blob_root() / digest[:2] / digest[2:4] / digest


def blob_exists(digest: str) -> bool:
    return blob_path(digest).exists()


def blob_ingest(
    source: BinaryIO, *, max_bytes: int | None = None, expected: str | None = None, progress=None
) -> tuple[str, int]:
    """Copy `source` into the store while hashing it; returns (sha256, size). Memory use does not grow with size.
    With `expected`, a file whose hash differs is refused before it takes a name in the store."""
    root = blob_root()
    make_private_dir(root)
    descriptor, temporary = tempfile.mkstemp(dir=root, prefix=INCOMING)
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(descriptor, "wb", buffering=0) as target, _Hasher(digest) as hasher:
            for chunk in _chunks(source):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise BlobError(_("文件超过大小上限 %(limit)s 字节。") % {"limit": f"{max_bytes:,}"})
                hasher.update(chunk)
                _write_all(target, chunk)
                if progress:
                    progress(len(chunk))
            if size == 0:
                raise BlobError(_("文件为空（0 字节），未登记。"))
            hasher.finish()
            os.fsync(target.fileno())
        name = digest.hexdigest()
        if expected is not None and name != expected:
            raise DigestMismatch(
                _("文件的 SHA-256（%(found)s）与采集时记录的（%(expected)s）不一致，文件未登记。")
                % {"found": name, "expected": expected}
            )
        final = blob_path(name)
        if final.exists():
            os.unlink(temporary)
            return name, size
        make_private_dir(final.parent)
        os.chmod(temporary, STORED_MODE)
        os.replace(temporary, final)
        fsync_directory(final.parent)
        return name, size
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            raise BlobError(_("存储空间已满，文件未登记，请联系管理员。")) from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Hasher:
    """Hash the chunks in order on a thread of its own while the caller reads the next and writes this one: SHA-256
    releases the interpreter lock, so the hash and the copy run on two cores at once and an ingest takes about as
    long as the longer of the two instead of their sum. One chunk is hashed while the next is read and written, so
    at most two are held."""

    INLINE = 64 * 1024  # a chunk this small is hashed at once: handing it over costs more than it saves

    def __init__(self, digest) -> None:
        self.digest = digest
        self._worker: ThreadPoolExecutor | None = None
        self._pending: Future | None = None

    def __enter__(self) -> _Hasher:
        return self

    def update(self, chunk: bytes) -> None:
        # the previous chunk first: its buffer is read into next, and a small chunk hashed here must follow it
        self.finish()
        if len(chunk) < self.INLINE:
            self.digest.update(chunk)
            return
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blob-hash")
        self._pending = self._worker.submit(self.digest.update, chunk)

    def finish(self) -> None:
        """Wait until every chunk given so far is hashed."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def __exit__(self, *exc) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=True)


def _chunks(source: BinaryIO):
    """The source's bytes a chunk at a time. Read into two buffers in turn when the source can (else read()): no memory is
    allocated (and faulted in) per chunk, and a buffer is read into again only after the chunk before the one in the
    other buffer was hashed (the hasher waits for it) and written."""
    buffers = (memoryview(bytearray(READ_CHUNK)), memoryview(bytearray(READ_CHUNK)))
    for turn in itertools.count():
        buffer = buffers[turn % 2]
        try:
            length = source.readinto(buffer)
        except (AttributeError, NotImplementedError, io.UnsupportedOperation):
            if turn:
                raise  # it read before: this is a failure of the source, not a missing method
            break  # a stream with read() alone (io.RawIOBase's readinto exists and is not implemented)
        if length is None:  # a non-blocking source with nothing yet: what was read is not the whole file
            raise BlobError(_("文件读取未完成（数据源暂无数据），未登记。"))
        if not length:
            return
        yield buffer[:length]
    while chunk := source.read(CHUNK):
        yield chunk


def _write_all(target, chunk: bytes) -> None:
    """Write the whole chunk through an unbuffered file (whose write may take part of it)."""
    view = memoryview(chunk)
    while view:
        view = view[target.write(view) :]


def blob_put(data: bytes) -> str:
    """Store `data` and return its SHA-256 (hex)."""
    return blob_ingest(io.BytesIO(data))[0]


def blob_read(digest: str) -> bytes:
    return blob_path(digest).read_bytes()


def blob_open(digest: str) -> BinaryIO:
    return blob_path(digest).open("rb")


def blob_hash(digest: str) -> str | None:
    """Recompute a stored file's SHA-256 (None when the file is missing)."""
    try:
        handle = blob_open(digest)
    except FileNotFoundError:
        return None
    with handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def stored_blobs() -> list[Path]:
    """Every complete file in the store (not the temporaries of copies under way), in name order."""
    root = blob_root()
    if not root.is_dir():
        return []
    return sorted(path for path in root.glob("??/??/*") if path.is_file() and not path.name.startswith(INCOMING))


def _sweep(paths, older_than_seconds: int) -> int:
    removed, cutoff = 0, time.time() - older_than_seconds
    for path in paths:
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # another sweep, or the request that owned it, removed it first
    return removed


def sweep_incoming(older_than_seconds: int = 3600) -> int:
    """Remove temporaries a killed process left behind; returns how many. A copy under way writes its temporary
    continuously, so only one not written for `older_than_seconds` is taken."""
    return _sweep(blob_root().glob(f"{INCOMING}*"), older_than_seconds)


def sweep_uploads(older_than_seconds: int = 3600) -> int:
    """Remove the spooled request bodies (FILE_UPLOAD_TEMP_DIR) a crashed or killed request left behind; returns
    how many. Django deletes an upload's file when its request ends, so any file older than a request is an orphan."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    return _sweep(folder.iterdir() if folder.is_dir() else (), older_than_seconds)


def sweep_temporaries() -> dict[str, int]:
    """Sweep both folders of temporaries with the bound of TEMPORARY_FILES_MAX_AGE, and what the apps registered
    (core.sweep); returns how many of each."""
    age = int(settings.TEMPORARY_FILES_MAX_AGE.total_seconds())
    removed = {"uploads": sweep_uploads(age), "incoming": sweep_incoming(age)}
    for counts in sweepers():
        removed.update(counts)
    return removed
