"""The files of the open hours: every accepted packet's bytes appended, in the order they were accepted, to the
file of the hour (UTC) it was received in, with a record of its receipt in the hour's receipts (`receipts`), and
both forced to disk before the packets are acknowledged. One writer at a time (a lock file), so offsets are never
shared."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from sanxiang.core.files import make_private_dir


class WriterBusy(RuntimeError):
    """Another listener or import holds the segments."""


def folder() -> Path:
    return Path(settings.DATA_DIR) / "monitoring" / "segments"


def hour_of(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def path_of(hour: dt.datetime) -> Path:
    return folder() / f"{hour:%Y%m%d%H}.hj212"


def receipts_path_of(hour: dt.datetime) -> Path:
    return folder() / f"{hour:%Y%m%d%H}.receipts"


def _sync_folder() -> None:
    handle = os.open(folder(), os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def receipts_cut(hour: dt.datetime, good: int) -> None:
    """Cut `hour`'s receipts back to the end of their last good record (what a crash tore was never answered)."""
    path = receipts_path_of(hour)
    if path.exists() and path.stat().st_size > good:
        with path.open("r+b") as handle:
            handle.truncate(good)
            os.fsync(handle.fileno())


class SegmentFiles:
    """The one writer's handle on the open hour's files: its segment and its receipts (`receipts`)."""

    def __init__(self) -> None:
        make_private_dir(folder())
        self._lock = open(folder() / "writer.lock", "a")  # noqa: SIM115 - held for the writer's lifetime
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise WriterBusy(_("另一个监测数据接收进程正在运行（同一时间只能有一个）。")) from None
        self._hour: dt.datetime | None = None
        self._segment = self._receipts = None

    def position(self, hour: dt.datetime) -> int:
        """Where the next bytes of `hour`'s segment will go (its files opened, and the previous hour's closed)."""
        if hour != self._hour:
            self._close_hour()
            new = not path_of(hour).exists()
            self._segment = open(path_of(hour), "ab")  # noqa: SIM115 - kept open while the hour lasts
            self._receipts = open(receipts_path_of(hour), "ab")  # noqa: SIM115 - likewise
            self._hour = hour
            if new:  # the folder's entries of the new files on disk too, before anything in them is answered
                _sync_folder()
        return self._segment.tell()

    def append(self, hour: dt.datetime, data: bytes, receipts: bytes) -> int:
        """Append packets' bytes to `hour`'s segment and their records to its receipts, force both to disk, and
        return the receipts' length: the position the database reaches once these packets are stored."""
        self.position(hour)
        for handle, chunk in ((self._segment, data), (self._receipts, receipts)):
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        return self._receipts.tell()

    def _close_hour(self) -> None:
        for handle in (self._segment, self._receipts):
            if handle:
                handle.close()
        self._segment = self._receipts = self._hour = None

    def close(self) -> None:
        self._close_hour()
        self._lock.close()
