"""Every way a body-worn recorder's clip comes in — `sanxiang evidence import`, the upload page and the proposal it
asks for, the resumable upload — takes the officer and the act its name proposes, lets an explicit choice win, and
never attributes a clip whose number names nobody in the case's agency without saying so."""

import datetime as dt
import hashlib
import io
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from sanxiang.agencies.models import Role
from sanxiang.core.blobs import blob_exists
from sanxiang.evidence.models import EvidenceItem
from sanxiang.evidence.services import evidence_ingest
from sanxiang.testing.browser import fits, login
from sanxiang.testing.cases import at, open_case, today_at, walk
from sanxiang.testing.factories import make_certificate, make_staff
from sanxiang.testing.recorder import BEIJING, clip_name, inspected_case, mp4
from sanxiang.testing.signatures import inspection_record
from sanxiang.uploads.services import upload_append, upload_create

IMPORTED = dt.date(2026, 9, 4)  # the day after the case was filed


def clip(seconds: int) -> bytes:
    """A clip without a creation time (its name gives it), its bytes its own by its length."""
    return mp4(seconds=seconds)


def import_folder(folder, case, *options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with at(IMPORTED):
        call_command("evidence", "import", str(folder), "--case", case.number, *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def filed(world):
    """The inspected case (09:00–10:30 on 1 September), filed with 李明 and 张丽华 as its investigators."""
    return walk(world, inspected_case(world), "filed")


def test_the_import_attributes_each_clip_to_the_officer_its_name_gives_and_proposes_its_act(world, filed, tmp_path):
    officer, partner = world.certificates.officer.number, world.certificates.partner.number
    (tmp_path / clip_name(officer, "20260901093015")).write_bytes(clip(601))
    (tmp_path / clip_name(partner, "20260901150000", "_0001_IMP")).write_bytes(clip(602))
    out, err = import_folder(tmp_path, filed)
    assert "导入 / imported 2" in out and err == ""
    assert (
        f"{clip_name(officer)}：识别为执法记录仪文件：设备 DSJ-0381，执法证号 {officer}，开始时间 2026-09-01 09:30:15"
        "；记录人：李明；执法环节：现场检查（现场检查笔录 2026-09-01 09:00—10:30）"
    ) in out
    assert "（记录仪上标记为重要文件）；记录人：张丽华；案卷中没有哪个执法环节的记录时间包含开始时间" in out
    assert "登记为调查取证 / registered as evidence" in out
    items = EvidenceItem.objects.filter(case=filed, kind="video").order_by("number")
    assert [(item.recorded_by, item.act, item.officer_number, item.device) for item in items] == [
        (world.people.officer, "inspection", officer, "DSJ-0381"),
        (world.people.partner, "evidence", partner, "DSJ-0381"),
    ]
    assert items[0].captured_start == dt.datetime(2026, 9, 1, 9, 30, 15, tzinfo=BEIJING)


def test_the_import_options_win_over_the_proposal(world, filed, tmp_path):
    (tmp_path / clip_name(world.certificates.officer.number)).write_bytes(clip(603))
    out, _err = import_folder(
        tmp_path, filed, "--act", "evidence", "--officer", world.certificates.partner.number, "--device", "DSJ-7"
    )
    assert "按 --act 登记为调查取证" in out and "按 --officer 登记记录人为张丽华" in out
    item = EvidenceItem.objects.get(case=filed, kind="video")
    assert (item.recorded_by, item.act, item.device) == (world.people.partner, "evidence", "DSJ-7")


def test_a_clip_whose_number_names_nobody_here_needs_an_officer_and_is_imported_with_a_warning(world, filed, tmp_path):
    stranger = world.certificates.outsider.number  # an officer of 齐齐哈尔
    (tmp_path / clip_name(stranger)).write_bytes(data := clip(604))
    with pytest.raises(
        CommandError, match=f"no recording officer for these files, give --officer: {clip_name(stranger)}"
    ):
        import_folder(tmp_path, filed)
    assert not EvidenceItem.objects.filter(kind="video").exists()
    assert not blob_exists(hashlib.sha256(data).hexdigest())
    out, err = import_folder(tmp_path, filed, "--officer", world.certificates.partner.number)
    assert "导入 / imported 1" in out
    assert (
        f"警告 / warning: {clip_name(stranger)}：执法证号 {stranger} 在哈尔滨市生态环境局没有对应的执法人员，"
        "按 --officer 登记记录人为张丽华"
    ) in err
    item = EvidenceItem.objects.get(kind="video")
    assert (item.recorded_by, item.officer_number) == (world.people.partner, stranger)


def test_other_files_still_need_an_officer(world, filed, tmp_path):
    (tmp_path / "现场录像.mp4").write_bytes(clip(605))
    with pytest.raises(CommandError, match="现场录像.mp4"):
        import_folder(tmp_path, filed)


# -- the upload page -----------------------------------------------------------------------------------------------


def proposal(client, case, name):
    return client.get(reverse("api:case-evidence-recorder", args=[case.pk]), {"name": name})


def test_the_upload_page_asks_the_server_what_a_picked_files_name_proposes(client, world):
    case = inspected_case(world)
    client.force_login(world.people.partner)
    page = client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    endpoint = reverse("api:case-evidence-recorder", args=[case.pk])
    assert f'data-endpoint="{endpoint}"' in page and "evidence/recorder" in page
    officer = world.certificates.officer
    with at(dt.date(2026, 9, 2)):
        body = proposal(client, case, clip_name(officer.number)).json()
        assert body == {
            "recognised": True,
            "device": "DSJ-0381",
            "officer_number": officer.number,
            "started": "2026-09-01T09:30:15+08:00",
            "important": False,
            "officer": {"id": world.people.officer.pk, "name": "李明", "certificate": officer.number},
            "act": "inspection",
            "summary": f"识别为执法记录仪文件：设备 DSJ-0381，执法证号 {officer.number}，开始时间 2026-09-01 09:30:15"
            "；记录人：李明；执法环节：现场检查（现场检查笔录 2026-09-01 09:00—10:30）",
            "warning": None,
        }
        stranger = proposal(client, case, clip_name(world.certificates.outsider.number)).json()
        assert stranger["officer"] is None and "没有对应的执法人员" in stranger["warning"]
        other = proposal(client, case, "现场录像.mp4").json()
        assert other["recognised"] is False and {value for key, value in other.items() if key != "recognised"} == {None}
        assert proposal(client, case, "").status_code == 400
    client.force_login(world.people.outsider)
    assert proposal(client, case, clip_name(officer.number)).status_code == 404


def upload(client, case, name: str, data: bytes, **fields):
    values = {"act": "inspection", "kind": "video", "description": "现场检查录像"} | fields
    with at(dt.date(2026, 9, 2)):
        return client.post(reverse("evidence:case", args=[case.pk]), {"file": SimpleUploadedFile(name, data), **values})


def test_an_upload_from_the_page_is_attributed_as_its_name_says_again_on_the_server(client, world):
    case = open_case(world)
    client.force_login(world.people.partner)
    response = upload(client, case, clip_name(world.certificates.officer.number), clip(606), act="evidence")
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.recorded_by, item.act, item.device) == (world.people.officer, "evidence", "DSJ-0381")
    assert item.officer_number == world.certificates.officer.number
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(message.startswith("识别为执法记录仪文件：设备 DSJ-0381") for message in said)


def test_an_upload_whose_number_names_nobody_here_is_the_uploaders_and_says_so(client, world):
    case = open_case(world)
    client.force_login(world.people.partner)
    stranger = world.certificates.outsider.number
    response = upload(client, case, clip_name(stranger), clip(607))
    assert EvidenceItem.objects.get().recorded_by == world.people.partner
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert f"执法证号 {stranger} 在哈尔滨市生态环境局没有对应的执法人员，记录人登记为您本人。" in said


def test_a_resumable_upload_is_attributed_as_its_name_says(world):
    case = open_case(world)
    data = clip(608)
    with at(dt.date(2026, 9, 2)):
        sent = upload_create(
            actor=world.people.partner,
            case=case,
            length=len(data),
            capture_sha256=hashlib.sha256(data).hexdigest(),
            original_name=clip_name(world.certificates.officer.number),
            details={"act": "inspection", "kind": "video", "description": "现场检查录像"},
        )
        upload_append(actor=world.people.partner, upload=sent, offset=0, source=io.BytesIO(data), size=len(data))
    item = EvidenceItem.objects.get()
    assert (item.recorded_by, item.officer_number) == (world.people.officer, world.certificates.officer.number)


def test_a_clip_uploaded_to_an_inspection_is_attributed_by_its_name_in_the_inspections_agency(client, world):
    inspection = inspected_case(world).inspection
    client.force_login(world.people.partner)
    with at(dt.date(2026, 9, 2)):
        response = client.post(
            reverse("evidence:inspection", args=[inspection.pk]),
            {
                "file": SimpleUploadedFile(clip_name(world.certificates.officer.number), clip(609)),
                "act": "inspection",
                "kind": "video",
                "description": "现场检查录像",
            },
        )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.inspection, item.case, item.recorded_by) == (inspection, None, world.people.officer)
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("现场检查" in message for message in said if message.startswith("识别为执法记录仪文件"))


@pytest.fixture
def afternoon():
    """Today at 15:00, the clock running (the live server and the browser need it to): the inspection of two hours
    ago lies within the day, and a clip started 20 minutes into it is in the past. Just after midnight the
    inspection would be clamped to the minutes since midnight (core.calendar.earlier_today) and such a clip would
    start later than now, a name the recorder's parser rightly takes for no recorder's (evidence.recorder)."""
    with today_at(15):
        yield


@pytest.mark.browser
def test_picking_a_recorders_clip_on_a_phone_fills_in_the_act_and_device_and_says_what_was_found(
    live_data, browser, live_server, world, afternoon
):
    inspection, _record = inspection_record(world)  # 13:00 to 14:00 today, by 李明 and 张丽华
    inspection.refresh_from_db()
    case = open_case(world, party=inspection.party, inspection=inspection)
    started = timezone.localtime(inspection.started_at) + dt.timedelta(minutes=20)
    name = clip_name(world.certificates.officer.number, f"{started:%Y%m%d%H%M%S}")
    page = login(browser, live_server, "partner", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('evidence:case', args=[case.pk])}")
    page.select_option("#id_act", "other")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "video/mp4", "buffer": clip(609)}])
    note = page.wait_for_selector("[data-recorder-proposal]:not([hidden])")
    assert note.inner_text().startswith("识别为执法记录仪文件：设备 DSJ-0381，执法证号")
    assert "记录人：李明" in note.inner_text() and "执法环节：现场检查" in note.inner_text()
    assert page.input_value("#id_act") == "inspection" and page.input_value("#id_device") == "DSJ-0381"
    assert fits(page)
    page.set_input_files("#id_file", files=[{"name": "现场录像.mp4", "mimeType": "video/mp4", "buffer": b"x"}])
    page.wait_for_selector("[data-recorder-proposal][hidden]", state="attached")


def test_a_clip_naming_a_colleague_not_on_the_case_is_the_uploaders_and_says_so(client, world, filed):
    colleague = make_staff(agency=world.harbin, roles=[Role.OFFICER], full_name="王建国")
    number = make_certificate(holder=colleague).number
    client.force_login(world.people.partner)
    response = upload(client, filed, clip_name(number), clip(610))
    assert EvidenceItem.objects.get().recorded_by == world.people.partner
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert f"执法证号 {number} 的持证人王建国未参与本案或本次检查，记录人登记为您本人。" in said


def test_the_ingest_refuses_a_recorder_who_takes_no_part_and_stores_nothing(world, filed):
    colleague = make_staff(agency=world.harbin, roles=[Role.OFFICER])
    with at(IMPORTED), pytest.raises(PermissionDenied, match="记录人须为参与本案或本次检查的执法人员"):
        evidence_ingest(
            actor=world.people.officer,
            source=io.BytesIO(b"photo"),
            original_name="现场照片.jpg",
            act="evidence",
            kind="photo",
            recorded_by=colleague,
            case=filed,
            description="现场照片",
        )
    assert not EvidenceItem.objects.exists()


def test_only_an_officer_adds_evidence_even_through_the_service(world, filed):
    """The head takes part in every case of the agency, but evidence is recorded by officers."""
    with at(IMPORTED), pytest.raises(PermissionDenied, match="只有参与本案或本次检查的执法人员可以登记证据"):
        evidence_ingest(
            actor=world.people.head,
            source=io.BytesIO(b"photo"),
            original_name="现场照片.jpg",
            act="evidence",
            kind="photo",
            recorded_by=world.people.head,
            case=filed,
            description="现场照片",
        )
    assert not EvidenceItem.objects.exists()
