"""The content-addressed file store: files kept by their SHA-256 under <data dir>/blobs, never overwritten.

A write goes to a temporary file in the same folder, is fsynced and renamed into place, so a crash leaves either
no file or a complete one; the same bytes written twice are stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def blob_root() -> Path:
    return Path(settings.DATA_DIR) / "blobs"


def blob_path(digest: str) -> Path:
    if len(digest) != 64 or not all(char in "0123456789abcdef" for char in digest):
        raise ValueError("a blob is named by its SHA-256 in lowercase hex")
    return blob_root() / digest[:2] / digest[2:4] / digest


def blob_put(data: bytes) -> str:
    """Store `data` and return its SHA-256 (hex)."""
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444)
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def blob_read(digest: str) -> bytes:
    return blob_path(digest).read_bytes()
