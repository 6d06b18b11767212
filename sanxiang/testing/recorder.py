"""Body-worn recorder clips for the tests: the boxes a clip's container carries, a name in the recorder's layout
(evidence.recorder), and a case opened from an inspection whose recorded time a clip can fall in."""

import datetime as dt
import struct

from sanxiang.cases import services
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import at, make_party, open_case

BEIJING = dt.timezone(dt.timedelta(hours=8))
INSPECTED = dt.date(2026, 9, 1)
AFTER = dt.date(2026, 9, 2)  # time stands here while clips of INSPECTED are added: their names lie in the past


def mp4(start: dt.datetime | None = None, seconds: int = 60, place: bytes = b"") -> bytes:
    """The boxes of a clip: moov/mvhd with its creation time (none when `start` is None) and length, and
    moov/udta/©xyz with `place` (ISO 6709) when given."""
    created = int((start - dt.datetime(1904, 1, 1, tzinfo=dt.UTC)).total_seconds()) if start else 0
    mvhd = b"\x00\x00\x00\x00" + struct.pack(">IIII", created, created, 1000, seconds * 1000) + bytes(80)
    boxes = struct.pack(">I4s", 8 + len(mvhd), b"mvhd") + mvhd
    if place:
        xyz = struct.pack(">HH", len(place), 0x15C7) + place
        boxes += struct.pack(">I4s", 16 + len(xyz), b"udta") + struct.pack(">I4s", 8 + len(xyz), b"\xa9xyz") + xyz
    return (
        struct.pack(">I4s", 16, b"ftyp")
        + b"isom\x00\x00\x02\x00"
        + struct.pack(">I4s", 8 + len(boxes), b"moov")
        + boxes
    )


def clip_name(number: str, when: str = "20260901093015", tail: str = "_0001") -> str:
    return f"DSJ-0381_{number}_{when}{tail}.MP4"


def inspected_case(world):
    """A clue opened from an inspection of 1 September 2026 by 李明 and 张丽华, from 09:00 to 10:30."""
    with at(INSPECTED, 11):
        inspection = services.inspection_start(
            actor=world.people.officer,
            agency=world.harbin,
            party=make_party(world.harbin),
            place="厂区",
            started_at=dt.datetime(2026, 9, 1, 9, 0, tzinfo=BEIJING),
            officers=[world.people.officer, world.people.partner],
            **EMERGENCY,
        )
        inspection = services.inspection_complete(
            actor=world.people.officer,
            inspection=inspection,
            ended_at=dt.datetime(2026, 9, 1, 10, 30, tzinfo=BEIJING),
            findings="脱硫设施未运行",
            violation_found=True,
            signature="signed",
        )
    return open_case(world, party=inspection.party, inspection=inspection)
