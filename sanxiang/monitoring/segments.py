"""The files of the open hours: every accepted packet's bytes appended, in the order they were accepted, to the
file of the hour (UTC) it was received in, and forced to disk before the packets are acknowledged. One writer at a
time (a lock file), so offsets are never shared."""

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


class SegmentFiles:
    """The one writer's handle on the open hours' files."""

    def __init__(self) -> None:
        make_private_dir(folder())
        self._lock = open(folder() / "writer.lock", "a")  # noqa: SIM115 - held for the writer's lifetime
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise WriterBusy(_("另一个监测数据接收进程正在运行（同一时间只能有一个）。")) from None
        self._hour: dt.datetime | None = None
        self._handle = None

    def append(self, hour: dt.datetime, chunks: list[bytes]) -> list[int]:
        """Append `chunks` to the file of `hour`, force them to disk, and return the offset of each."""
        if hour != self._hour:
            if self._handle:
                self._handle.close()
            self._handle = open(path_of(hour), "ab")  # noqa: SIM115 - kept open while the hour lasts
            self._hour = hour
        offset = self._handle.tell()
        offsets = []
        for chunk in chunks:
            offsets.append(offset)
            offset += len(chunk)
        self._handle.write(b"".join(chunks))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return offsets

    def close(self) -> None:
        if self._handle:
            self._handle.close()
            self._handle = None
        self._lock.close()
