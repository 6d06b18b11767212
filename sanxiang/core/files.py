"""Owner-only files and folders: nothing under the data folder (database, stored files, uploads, keys) may be read
by another account on the server. The serving process starts with a umask that keeps group and others out of
everything it creates; the places that create files set their mode as well, so a process started another way
(an embedding WSGI server, a test) creates them the same."""

from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o077
FILE_MODE = 0o600
STORED_MODE = 0o400  # a stored file never changes: read-only, to its owner only
FOLDER_MODE = 0o700


def restrict_process() -> None:
    """Everything this process creates from now on is owner-only."""
    os.umask(UMASK)


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parent owner-only (mkdir's mode applies to the last level only)."""
    if path.is_dir():
        return
    make_private_dir(path.parent)
    path.mkdir(mode=FOLDER_MODE, exist_ok=True)
    os.chmod(path, FOLDER_MODE)


def make_private_file(path: Path) -> None:
    """Take group and other access away from an existing file (the SQLite database, which SQLite creates)."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        return
    if mode & 0o077:
        os.chmod(path, mode & 0o700)


def fsync_directory(path: Path) -> None:
    """Make the names just created or renamed in `path` durable (a file's own fsync does not cover its entry)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
