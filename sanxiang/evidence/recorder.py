"""What a body-worn recorder (执法记录仪) writes into the names of its files: the device, the officer and the start.

GA/T 947 (单警执法视音频记录系统) has a recorder name its files by the device's product serial number (产品序号), the
wearer's police or enforcement number (警号/执法证号) and the time recording began; its text was not retrieved,
so the layout read here is the common one seen on recorders and their docks, an assumption (docs/domain.md §9,
tagged [U]):

    <device>_<officer>_<YYYYMMDDhhmmss>[_<sequence>][_<flag>...].MP4 (or .MOV, in any case)

e.g. ``DSJ-0381_230100230001_20260901093015_0001_IMP.MP4``: device DSJ-0381, certificate 230100230001, started
2026-09-01 09:30:15 Beijing time, the first file of the recording, marked important (IMP, 重要文件) on the device.
Flags other than IMP are kept out of the way, not understood. A name whose time is no real moment (month 13, 30
February) or lies in the future is not taken as a recorder's: the device clock was wrong, or the name is something
else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

NAME = re.compile(
    r"(?P<device>[A-Z0-9][A-Z0-9-]{0,39})_(?P<officer>[A-Z0-9]{2,30})_(?P<time>\d{14})"
    r"(?P<tail>(?:_[A-Z0-9]{1,10})*)\.(?:MP4|MOV)",
    re.IGNORECASE | re.ASCII,
)
IMPORTANT = "IMP"


@dataclass(frozen=True)
class RecorderName:
    device: str
    officer_number: str
    started: dt.datetime
    sequence: int | None = None
    important: bool = False


def parse_recorder_name(name: str) -> RecorderName | None:
    """The fields of a recorder's file name (see the module's docstring), or None for any other name."""
    match = NAME.fullmatch(name)
    if match is None:
        return None
    try:
        # the recorder's clock shows local time, as a photo's EXIF does: Beijing time for Chinese agencies
        started = timezone.make_aware(dt.datetime.strptime(match["time"], "%Y%m%d%H%M%S"))
    except ValueError:
        return None
    if started > timezone.now():
        return None
    tokens = [token for token in match["tail"].split("_") if token]
    numbers = [token for token in tokens if token.isdigit()]
    if len(numbers) > 1 or any(not (token.isdigit() or token.isalpha()) for token in tokens):
        return None  # two sequence numbers, or a token that is neither a number nor a flag: not this layout
    return RecorderName(
        device=match["device"],
        officer_number=match["officer"].upper(),
        started=started,
        sequence=int(numbers[0]) if numbers else None,
        important=IMPORTANT in {token.upper() for token in tokens},
    )
