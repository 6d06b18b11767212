"""The file store: blobs kept by their SHA-256 under a folder (<data dir>/blobs by default), never overwritten or deleted.

Writes go to a temporary file in the store, are hashed while they are copied, fsynced and renamed into place, so a
crash leaves either no file or a complete one (stale temporaries are swept later); the same bytes written twice
are stored once. The hashing pipeline here (Hasher, read_chunks) is the S3 store's too (core.blob_s3).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from sanxiang.core.blob_crypt import SUFFIX, Encryptor, no_key, open_encrypted_file, plaintext_size
from sanxiang.core.blob_errors import BlobError, DigestMismatch
from sanxiang.core.files import STORED_MODE, fsync_directory, make_private_dir

CHUNK = 1024 * 1024
READ_CHUNK = 4 * CHUNK  # what an ingest reads at a time: fewer hand-overs to the hashing thread than CHUNK
INCOMING = ".incoming-"


def too_large(max_bytes: int) -> BlobError:
    return BlobError(_("文件超过大小上限 %(limit)s 字节。") % {"limit": f"{max_bytes:,}"})


def empty() -> BlobError:
    return BlobError(_("文件为空（0 字节），未登记。"))


def mismatch(found: str, expected: str) -> DigestMismatch:
    return DigestMismatch(
        _("文件的 SHA-256（%(found)s）与采集时记录的（%(expected)s）不一致，文件未登记。")
        % {"found": found, "expected": expected}
    )


def check_name(digest: str) -> str:
    if len(digest) != 64 or not all(char in "0123456789abcdef" for char in digest):
        raise ValueError("a blob is named by its SHA-256 in lowercase hex")
    return digest


def relative_name(digest: str) -> str:
    """Where a blob lies below the store's root (a folder or a key prefix): two levels of fan-out, then the name."""
    check_name(digest)
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


class FileStore:
    """Blobs as files under `root` (文件存储).

    The files are owner-only and read-only; the folders fan out by the name's first two bytes. With a `keeper`
    (core.blob_crypt) new files are stored encrypted with SM4-GCM, as `<name>.sm4`; files stored before are read as
    they are."""

    kind = "file"

    def __init__(self, root: Path, keeper=None) -> None:
        self.root, self.keeper = root, keeper

    def __repr__(self) -> str:
        return f"file://{self.root}" + (" (SM4-GCM)" if self.keeper else "")

    def path(self, digest: str) -> Path:
        """The file holding the blob: the encrypted one if there is one (else the plain one, or where it would be)."""
        plain = self.root / relative_name(digest)
        sealed = plain.with_name(plain.name + SUFFIX)
        return sealed if sealed.exists() else plain

    def _sealed(self, path: Path) -> bool:
        return path.name.endswith(SUFFIX)

    def ingest(self, source: BinaryIO, *, max_bytes=None, expected=None, progress=None) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        with self._incoming() as (descriptor, temporary):
            with os.fdopen(descriptor, "wb", buffering=0) as target, Hasher(digest) as hasher:
                write = functools.partial(write_all, target)
                sink = Encryptor(self.keeper, write) if self.keeper else None
                for chunk in limited_chunks(source, max_bytes):
                    size += len(chunk)
                    hasher.update(chunk)
                    sink.update(chunk) if sink else write(chunk)
                    if progress:
                        progress(len(chunk))
                if size == 0:
                    raise empty()
                if sink:
                    sink.finish()
                hasher.finish()
                os.fsync(target.fileno())
            name = digest.hexdigest()
            if expected is not None and name != expected:
                raise mismatch(name, expected)
            self._keep(temporary, name, sealed=bool(self.keeper))
        return name, size

    def put_sealed(self, source: Path, *, expected: str, progress=None) -> None:
        """Take an encrypted blob's file as it is (a backup's copy) under `expected`, the SHA-256 of its plaintext:
        never decrypted to disk nor sealed again. The copy is read back through this store's keeper before it takes
        its name, so a file another master key sealed, a changed segment (BlobError) or another plaintext
        (DigestMismatch) is refused and nothing is stored."""
        check_name(expected)
        if self.keeper is None:
            raise no_key()
        with self._incoming() as (descriptor, temporary):
            with os.fdopen(descriptor, "wb", buffering=0) as target, source.open("rb") as reader:
                for chunk in read_chunks(reader):
                    write_all(target, chunk)
                    if progress:
                        progress(len(chunk))
                os.fsync(target.fileno())
            # The store's own copy is what is checked: a source changed after it was read cannot slip in.
            with open_encrypted_file(Path(temporary), self.keeper) as plaintext:
                found = hashlib.file_digest(plaintext, "sha256").hexdigest()
            if found != expected:
                raise mismatch(found, expected)
            self._keep(temporary, expected, sealed=True)

    @contextmanager
    def _incoming(self) -> Iterator[tuple[int, str]]:
        """A temporary file in the store for a copy under way, removed when the copy fails or is not kept."""
        make_private_dir(self.root)
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=INCOMING)
        try:
            yield descriptor, temporary
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            if error.errno == errno.ENOSPC:
                raise BlobError(_("存储空间已满，文件未登记，请联系管理员。")) from None
            raise
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _keep(self, temporary: str, name: str, *, sealed: bool) -> None:
        """Give a complete copy its name, read-only and durably; a blob stored already (plain or encrypted) is kept
        once, and the copy dropped."""
        final = self.path(name)
        if not final.exists() and sealed:
            final = final.with_name(final.name + SUFFIX)
        if final.exists():
            os.unlink(temporary)
            return
        make_private_dir(final.parent)
        os.chmod(temporary, STORED_MODE)
        os.replace(temporary, final)
        fsync_directory(final.parent)

    def open(self, digest: str) -> BinaryIO:
        path = self.path(digest)
        return open_encrypted_file(path, self.keeper) if self._sealed(path) else path.open("rb")

    def open_stored(self, digest: str) -> BinaryIO:
        """The blob's file as it is (an encrypted one's ciphertext), to be copied sealed (a backup)."""
        return self.path(digest).open("rb")

    def sealed_size(self, digest: str) -> int | None:
        """The length of the file of a blob stored encrypted; None when it is stored plain."""
        path = self.path(digest)
        return path.stat().st_size if self._sealed(path) else None

    def exists(self, digest: str) -> bool:
        return self.path(digest).exists()

    def size(self, digest: str) -> int:
        path = self.path(digest)
        if not self._sealed(path):
            return path.stat().st_size
        with path.open("rb") as raw:
            return plaintext_size(raw, os.fstat(raw.fileno()).st_size)

    @contextmanager
    def local_file(self, digest: str) -> Iterator[Path]:
        path = self.path(digest)
        if not self._sealed(path):
            yield path
            return
        with self.open(digest) as source, temporary_copy(source) as copy:
            yield copy

    def names(self) -> Iterator[str]:
        """Every complete file in the store (not the temporaries of copies under way), in name order."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and not path.name.startswith(INCOMING):
                yield path.name.removesuffix(SUFFIX)

    def sweep_incoming(self, older_than_seconds: int) -> int:
        return sweep_files(self.root.glob(f"{INCOMING}*"), older_than_seconds)


def sweep_files(paths, older_than_seconds: int) -> int:
    removed, cutoff = 0, time.time() - older_than_seconds
    for path in paths:
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # another sweep, or the request that owned it, removed it first
    return removed


class Hasher:
    """Hash the chunks in order on a thread of its own while the caller reads the next and writes this one: SHA-256
    releases the interpreter lock, so the hash and the copy run on two cores at once and an ingest takes about as
    long as the longer of the two instead of their sum. One chunk is hashed while the next is read and written, so
    at most two are held."""

    INLINE = 64 * 1024  # a chunk this small is hashed at once: handing it over costs more than it saves

    def __init__(self, digest) -> None:
        self.digest = digest
        self._worker: ThreadPoolExecutor | None = None
        self._pending: Future | None = None

    def __enter__(self) -> Hasher:
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


def read_chunks(source: BinaryIO):
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


def limited_chunks(source: BinaryIO, max_bytes: int | None):
    """read_chunks, refusing a source larger than `max_bytes` as soon as it is."""
    size = 0
    for chunk in read_chunks(source):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise too_large(max_bytes)
        yield chunk


@contextmanager
def temporary_copy(source: BinaryIO) -> Iterator[Path]:
    """A private temporary file holding what `source` reads, removed afterwards (for a library that wants a path)."""
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        shutil.copyfileobj(source, copy, CHUNK)
        copy.flush()
        yield Path(copy.name)


def write_all(target, chunk: bytes) -> None:
    """Write the whole chunk through an unbuffered file (whose write may take part of it)."""
    view = memoryview(chunk)
    while view:
        view = view[target.write(view) :]
