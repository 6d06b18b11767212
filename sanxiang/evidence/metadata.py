"""Capture metadata read from the file itself: photo EXIF (time, GPS) and MP4/MOV creation time, duration and place."""

from __future__ import annotations

import datetime as dt
import re
import struct
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from PIL import ExifTags, Image, UnidentifiedImageError

MAC_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".3gp"}
AUDIO_SUFFIXES = {".mp3", ".m4a", ".wav", ".aac", ".amr"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".tif", ".tiff"}
MEDIA_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".m4v": "video/mp4",
    ".3gp": "video/3gpp",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".aac": "audio/aac",
    ".amr": "audio/amr",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# ISO 6709 as phones and recorders write it into moov/udta/©xyz: "+45.7500+126.5000/" (altitude, if any, ignored)
ISO_6709 = re.compile(r"([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)")


@dataclass
class Capture:
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    duration: Decimal | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def starting_at(self, started: dt.datetime) -> Capture:
        """The same capture begun at `started` (its end follows from its duration, when that is known)."""
        ended = started + dt.timedelta(seconds=float(self.duration)) if self.duration is not None else None
        return replace(self, started=started, ended=ended)


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def read_capture(path: Path, name: str) -> Capture:
    """Whatever the file says about when and where it was recorded (empty when it says nothing or is unreadable)."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in PHOTO_SUFFIXES:
            return _photo(path)
        if suffix in VIDEO_SUFFIXES or suffix == ".m4a":
            return _quicktime(path)
    except (OSError, ValueError, OverflowError, struct.error, UnidentifiedImageError):
        pass
    return Capture()


def _photo(path: Path) -> Capture:
    with Image.open(path) as image:
        exif = image.getexif()
    capture = Capture()
    taken = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if taken:
        # EXIF times carry no zone; cameras of Chinese agencies are set to Beijing time.
        capture.started = timezone.make_aware(dt.datetime.strptime(str(taken).strip(), "%Y:%m:%d %H:%M:%S"))
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps.get(2) and gps.get(4):
        capture.latitude = _degrees(gps[2], gps.get(1, "N"))
        capture.longitude = _degrees(gps[4], gps.get(3, "E"))
    return capture


def _degrees(value, reference) -> Decimal:
    degrees, minutes, seconds = (Decimal(str(float(part))) for part in value)
    total = degrees + minutes / 60 + seconds / 3600
    return (-total if reference in ("S", "W") else total).quantize(Decimal("0.000001"))


def _quicktime(path: Path) -> Capture:
    """Walk the ISO base media boxes down to moov/mvhd (creation time, time scale, duration) and moov/udta/©xyz
    (where it was recorded)."""
    with path.open("rb") as handle:
        end = path.stat().st_size
        box = _find_box(handle, 0, end, b"moov")
        if box is None:
            return Capture()
        capture = _place(handle, box)
        mvhd = _find_box(handle, box[0], box[1], b"mvhd")
        if mvhd is None:
            return capture
        handle.seek(mvhd[0])
        version = handle.read(4)[0]
        if version == 1:
            created, _modified, scale, duration = struct.unpack(">QQIQ", handle.read(28))
        else:
            created, _modified, scale, duration = struct.unpack(">IIII", handle.read(16))
    if scale:
        capture.duration = (Decimal(duration) / Decimal(scale)).quantize(Decimal("0.01"))
    return capture.starting_at(MAC_EPOCH + dt.timedelta(seconds=created)) if created else capture


def _place(handle, moov: tuple[int, int]) -> Capture:
    """The latitude and longitude of moov/udta/©xyz (a 16-bit length and language, then ISO 6709 text)."""
    udta = _find_box(handle, moov[0], moov[1], b"udta")
    xyz = udta and _find_box(handle, udta[0], udta[1], b"\xa9xyz")
    if not xyz:
        return Capture()
    handle.seek(xyz[0] + 4)
    found = ISO_6709.match(handle.read(max(0, min(xyz[1] - xyz[0] - 4, 64))).decode("ascii", "replace"))
    if found is None:
        return Capture()
    latitude, longitude = (Decimal(part).quantize(Decimal("0.000001")) for part in found.groups())
    if abs(latitude) > 90 or abs(longitude) > 180:
        return Capture()
    return Capture(latitude=latitude, longitude=longitude)


def _find_box(handle, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    """The (content start, content end) of the first box of `kind` between start and end."""
    position = start
    while position + 8 <= end:
        handle.seek(position)
        size, name = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", handle.read(8))[0], 16
        elif size == 0:
            size = end - position
        if size < header:
            return None
        if name == kind:
            return position + header, position + size
        position += size
    return None
