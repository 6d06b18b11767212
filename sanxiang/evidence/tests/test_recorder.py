"""Body-worn recorder files (执法记录仪): their names and containers read, and what they propose for a case — the
officer, within the case's own agency only, and the act whose recorded time holds the clip's start."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from sanxiang.evidence.metadata import read_capture
from sanxiang.evidence.recorder import RecorderName, parse_recorder_name
from sanxiang.evidence.selectors import recorder_proposal
from sanxiang.evidence.services import evidence_ingest
from sanxiang.testing.cases import at, open_case, walk
from sanxiang.testing.measures import record, seizure
from sanxiang.testing.recorder import AFTER, BEIJING, clip_name, inspected_case, mp4

# -- the name ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "DSJ-0381_230100230001_20260901093015_0001_IMP.MP4",
            RecorderName("DSJ-0381", "230100230001", dt.datetime(2026, 9, 1, 9, 30, 15, tzinfo=BEIJING), 1, True),
        ),
        (
            "dsj0381_a12345_20260901093015.mov",
            RecorderName("dsj0381", "A12345", dt.datetime(2026, 9, 1, 9, 30, 15, tzinfo=BEIJING)),
        ),
        (
            "X1_123456_20260831235959_imp_0002.mp4",
            RecorderName("X1", "123456", dt.datetime(2026, 8, 31, 23, 59, 59, tzinfo=BEIJING), 2, True),
        ),
        (
            "DSJ-0381_230100230001_20260901093015_0003_A.MOV",
            RecorderName("DSJ-0381", "230100230001", dt.datetime(2026, 9, 1, 9, 30, 15, tzinfo=BEIJING), 3),
        ),
    ],
)
def test_a_recorder_name_gives_device_officer_start_sequence_and_mark(name, expected):
    with at(AFTER):
        assert parse_recorder_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "DSJ-0381_230100230001_20261332093015_0001.MP4",  # month 13, day 32
        "DSJ-0381_230100230001_20260230093015_0001.MP4",  # 30 February
        "DSJ-0381_230100230001_20260901253015_0001.MP4",  # 25 o'clock
        "DSJ-0381_230100230001_20260903093015_0001.MP4",  # the day after tomorrow: the device clock is wrong
        "DSJ-0381_230100230001_2026090109301_0001.MP4",  # 13 digits
        "DSJ-0381_230100230001_20260901093015_0001.JPG",  # a photo
        "DSJ-0381_230100230001_20260901093015_0001_0002.MP4",  # two sequence numbers
        "DSJ-0381_230100230001_20260901093015_A-1.MP4",  # a part that is neither number nor flag
        "_230100230001_20260901093015.MP4",  # no device
        "DSJ-0381_20260901093015_0001.MP4",  # no officer
        "DSJ_ſ1234_20260901093015.MP4",  # a letter only case-folding makes ASCII
        "DSJ_20260901_1005.mp4",
        "现场录像.mp4",
        "DSJ-0381_230100230001_20260901093015.MP4.exe",
    ],
)
def test_other_names_are_not_taken_for_a_recorders(name):
    with at(AFTER):
        assert parse_recorder_name(name) is None


def test_the_container_gives_its_place_from_udta_and_its_start_from_mvhd(tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(mp4(dt.datetime(2026, 9, 1, 1, 30, tzinfo=dt.UTC), seconds=90, place=b"+45.7500-126.5000+110/"))
    capture = read_capture(path, path.name)
    assert (capture.latitude, capture.longitude) == (Decimal("45.75"), Decimal("-126.5"))
    assert capture.started == dt.datetime(2026, 9, 1, 9, 30, tzinfo=BEIJING)
    assert capture.ended - capture.started == dt.timedelta(seconds=90)
    path.write_bytes(mp4(place=b"+95.0000+126.5000/"))  # no latitude past the pole
    assert read_capture(path, path.name).latitude is None


def test_the_name_gives_the_start_only_where_the_container_has_none_and_the_device_only_where_none_is_entered(world):
    case = open_case(world)
    number = world.certificates.officer.number

    def ingest(data: bytes, name: str, **overrides):
        values = {"act": "inspection", "kind": "video", "description": "现场检查录像"} | overrides
        with at(AFTER):
            return evidence_ingest(
                actor=world.people.officer,
                source=io.BytesIO(data),
                original_name=name,
                recorded_by=world.people.officer,
                case=case,
                **values,
            )

    named = ingest(mp4(seconds=120), clip_name(number))
    assert named.captured_start == dt.datetime(2026, 9, 1, 9, 30, 15, tzinfo=BEIJING)
    assert named.captured_end - named.captured_start == dt.timedelta(seconds=120) and not named.captured_by_hand
    assert (named.device, named.officer_number) == ("DSJ-0381", number)
    contained = ingest(
        mp4(dt.datetime(2026, 9, 1, 1, 0, tzinfo=dt.UTC)), clip_name(number, tail="_0002"), device="DSJ-9"
    )
    assert contained.captured_start == dt.datetime(2026, 9, 1, 9, 0, tzinfo=BEIJING) and contained.device == "DSJ-9"
    plain = ingest(mp4(), "现场录像.mp4")
    assert (plain.captured_start, plain.device, plain.officer_number) == (None, "", "")


# -- the proposal --------------------------------------------------------------------------------------------------


def test_the_officer_is_found_by_certificate_in_the_cases_own_agency_only(world):
    case = inspected_case(world)
    with at(AFTER):
        mine = recorder_proposal(case=case, name=clip_name(world.certificates.officer.number))
        assert mine.officer == world.people.officer and mine.officer_warning(case) == ""
        for stranger in (world.certificates.outsider, world.certificates.county):  # 齐齐哈尔; 道里, below 哈尔滨
            proposal = recorder_proposal(case=case, name=clip_name(stranger.number))
            assert proposal.officer is None
            assert proposal.officer_warning(case) == (
                f"执法证号 {stranger.number} 在哈尔滨市生态环境局没有对应的执法人员"
            )


@pytest.mark.parametrize(
    ("when", "act"),
    [
        ("20260901090000", "inspection"),
        ("20260901084600", "inspection"),  # switched on a few minutes before the record's first minute
        ("20260901104400", "inspection"),
        ("20260901104600", None),
        ("20260901140000", None),
        ("20260831093000", None),
    ],
)
def test_the_act_is_the_one_whose_recorded_time_holds_the_start(world, when, act):
    case = inspected_case(world)
    with at(AFTER):
        proposal = recorder_proposal(case=case, name=clip_name(world.certificates.officer.number, when))
    assert proposal.act == act
    if act:
        assert "执法环节：现场检查（现场检查笔录 2026-09-01 09:00—10:30）" in proposal.describe()
    else:
        assert "未建议执法环节" in proposal.describe()


def test_the_containers_start_outweighs_the_names(world, tmp_path):
    case = inspected_case(world)
    path = tmp_path / "clip.mp4"
    path.write_bytes(mp4(dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)))  # 14:00 Beijing
    capture = read_capture(path, path.name)
    with at(AFTER):
        proposal = recorder_proposal(case=case, name=clip_name(world.certificates.officer.number), capture=capture)
    assert proposal.act is None and "开始时间 2026-09-01 14:00:00" in proposal.describe()


def test_a_seizure_is_proposed_on_its_day_in_its_own_case_and_the_case_it_came_from(world):
    origin = walk(world, open_case(world), "filed")
    record(world, origin)
    seized = seizure(world, origin)
    with at(dt.date(2026, 9, 9)):
        for case in (seized.case, origin):
            proposal = recorder_proposal(case=case, name=clip_name(world.certificates.officer.number, "20260908150000"))
            assert proposal.act == "seizure" and "查封扣押实施日 2026-09-08" in proposal.describe()
        assert recorder_proposal(case=origin, name=clip_name("X1", "20260907150000")).act is None
