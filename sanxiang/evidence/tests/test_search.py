"""证据检索 (evidence/search.py): a file is found by its name, its latest notes, its place and recording device,
across the cases and inspections of the agencies the user sees; corrected notes replace what is found."""

import io
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.evidence import selectors
from sanxiang.evidence.search import ITEMS
from sanxiang.evidence.services import evidence_annotate, evidence_ingest
from sanxiang.testing.cases import make_party, open_case


def _ingest(world, case, *, officer=None, name="现场录像.mp4", **values):
    officer = officer or world.people.officer
    return evidence_ingest(
        actor=officer,
        source=io.BytesIO(f"{name} {values}".encode()),
        original_name=name,
        recorded_by=officer,
        case=case,
        act="inspection",
        **{"kind": "video", "description": "现场检查全过程录像"} | values,
    )


def _found(user, text: str) -> list[int]:
    return [item.pk for item, _note in selectors.evidence_search(user, text=text, size=50).rows]


def test_a_file_is_found_by_its_notes_name_place_and_device_and_corrected_notes_replace_the_old(world):
    case = open_case(world)
    video = _ingest(
        world,
        case,
        name="DSJ-0451_20260901.mp4",
        description="脱硫设施停运，烟囱冒黄烟",
        dialogue="当事人称设备检修",
        place="松北区化工路 8 号",
        device="DSJ0451",
    )
    photo = _ingest(world, case, name="排污口照片.jpg", description="雨水排口有黄色废水流出")
    officer = world.people.officer
    assert _found(officer, "脱硫设施") == [video.pk]
    assert _found(officer, "设备检修") == [video.pk]
    assert _found(officer, "化工路") == [video.pk]
    assert _found(officer, "dsj0451") == [video.pk]
    assert _found(officer, "排污口") == [photo.pk]
    assert _found(officer, "黄") == [photo.pk, video.pk]  # newest first
    evidence_annotate(actor=officer, item=photo, description="厂区东侧雨水排口", reason="更正位置描述")
    assert _found(officer, "黄色废水") == []
    assert _found(officer, "东侧雨水") == [photo.pk]
    assert _found(officer, "排污口照片") == [photo.pk]  # the name stays


def test_a_file_is_found_by_the_words_its_kind_and_a_covert_recording_are_shown_in(client, world):
    case = open_case(world)
    video = _ingest(world, case, name="DSJ-0007.mp4", description="厂区东门车辆进出")
    photo = _ingest(world, case, name="IMG_0001.jpg", kind="photo", description="雨水排口")
    covert = _ingest(
        world, case, name="REC-0001.m4a", kind="audio", description="询问车间主任", covert=True, covert_basis="依法"
    )
    officer = world.people.officer
    assert _found(officer, "录像") == [video.pk]
    assert _found(officer, "现场照片") == [photo.pk]
    assert _found(officer, "隐蔽录制") == [covert.pk]
    client.force_login(officer)
    page = client.get(reverse("evidence:search"), {"q": "录像"}).content.decode()
    assert "DSJ-0007.mp4" in page and "视听资料（录像）" in page and "IMG_0001.jpg" not in page
    # the rows written before the index held these words are made again by the migration that added them
    ITEMS.clear()
    assert _found(officer, "录像") == []
    import_module("sanxiang.evidence.migrations.0006_search_kinds").rebuild(apps, None)
    assert _found(officer, "录像") == [video.pk] and _found(officer, "隐蔽") == [covert.pk]


def test_evidence_search_finds_only_the_agencies_the_user_sees(world):
    harbin = _ingest(world, open_case(world), description="渗坑内积存黑色废水")
    qiqihar_case = open_case(world, agency=world.qiqihar, party=make_party(world.qiqihar), actor=world.people.outsider)
    qiqihar = _ingest(world, qiqihar_case, officer=world.people.outsider, description="渗坑边缘有油污")
    assert _found(world.people.head, "渗坑") == [harbin.pk]
    assert _found(world.people.outsider, "渗坑") == [qiqihar.pk]
    assert _found(world.people.province_admin, "渗坑") == [qiqihar.pk, harbin.pk]
    assert _found(world.people.county_officer, "渗坑") == []


def test_the_index_is_what_a_rebuild_from_the_tables_gives(world):
    item = _ingest(world, open_case(world), description="锅炉房无组织排放")
    evidence_annotate(actor=world.people.officer, item=item, description="锅炉房除尘器破损", reason="补充")
    before = _found(world.people.head, "除尘器"), _found(world.people.head, "无组织")
    call_command("reindex", stdout=io.StringIO())  # every index
    assert (_found(world.people.head, "除尘器"), _found(world.people.head, "无组织")) == before == ([item.pk], [])


def test_the_search_page_and_the_api(client, world):
    case = open_case(world)
    item = _ingest(world, case, name="询问笔录录音.m4a", description="询问法定代表人关于停运原因")
    client.force_login(world.people.reviewer)  # reviewers read evidence too
    page = client.get(reverse("evidence:search"), {"q": "停运原因"}).content.decode()
    assert "询问笔录录音.m4a" in page and reverse("evidence:case", args=[case.pk]) in page
    assert "没有找到匹配的证据" in client.get(reverse("evidence:search"), {"q": "不存在的词"}).content.decode()
    assert "该字段是必填项" in client.get(reverse("evidence:search"), {"q": ""}).content.decode()
    api = APIClient()
    api.force_authenticate(world.people.reviewer)
    newer = _ingest(world, case, name="询问笔录录音2.m4a", description="再次询问停运原因")
    first = api.get("/api/v1/evidence", {"q": "停运原因", "page_size": 1}).json()
    assert [(row["id"], row["case"], row["agency"], row["description"]) for row in first["results"]] == [
        (newer.pk, case.pk, "230100", "再次询问停运原因")
    ]
    second = api.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [item.pk] and second["next"] is None
    missing = api.get("/api/v1/evidence")
    assert missing.status_code == 400 and "q" in missing.json()["error"]["fields"]
    too_big = api.get("/api/v1/evidence", {"q": "停运", "page_size": 500, "before": "x"})
    assert too_big.status_code == 400 and {"page_size", "before"} <= set(too_big.json()["error"]["fields"])
    api.force_authenticate(world.people.outsider)
    assert api.get("/api/v1/evidence", {"q": "停运原因"}).json()["results"] == []


def test_a_very_long_run_of_letters_is_indexed_by_its_start_and_bad_pages_are_refused_or_ignored(client, world):
    dump = "a1" * 1500  # a pasted hash dump: one 3,000-character word, past PostgreSQL's 2,047 bytes for one
    item = _ingest(world, open_case(world), description=f"现场导出的数据 {dump}")
    assert _found(world.people.officer, dump[:100]) == [item.pk]
    client.force_login(world.people.officer)
    for before in ("²", "9" * 30):
        assert client.get(reverse("evidence:search"), {"q": "导出", "before": before}).status_code == 200
    api = APIClient()
    api.force_authenticate(world.people.officer)
    refused = api.get("/api/v1/evidence", {"q": "导出", "before": 2**64})
    assert refused.status_code == 400 and "before" in refused.json()["error"]["fields"]
