"""The art-41 gate: a case whose evidence is only monitoring data is not decided — by the service, the page or the
API — until its checklist is complete (device reviewed and location published as the data say, the records
reviewed and found conforming, the party told, the statement invited), and nothing is written by the refusal; a case
with other evidence is not held by it. Each step of the checklist is refused to those who may not take it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.cases import services as cases
from sanxiang.cases.models import Case, Outcome, Stage
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import log_size
from sanxiang.monitoring import checklist
from sanxiang.monitoring.models import Device, EvidenceCheck, Point
from sanxiang.testing.cases import DECIDED, add_evidence, at, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.clues import clue_case

pytestmark = pytest.mark.django_db
TOLD = dt.date(2026, 9, 2)


@pytest.fixture
def deciding(world, files):
    case, device = clue_case(world, files)
    return walk(world, case, "reconsidered", evidence=False), device


def _complete(world, case, *, conform=True):
    check = EvidenceCheck.objects.get(case=case)
    with at(TOLD):
        check = checklist.check_review_records(
            actor=world.people.officer,
            check=check,
            reviewed_on=TOLD,
            conform=conform,
            opinion="数据真实、清晰、完整、准确，设备运行正常",
        )
        check = checklist.check_tell_party(
            actor=world.people.officer, check=check, told_on=TOLD, how="短信并在门户提供查询"
        )
        return checklist.check_invite_statement(actor=world.people.partner, check=check, invited_on=TOLD)


def _decide(world, case):
    with at(DECIDED):
        return cases.case_decide(actor=world.people.head, case=Case.objects.get(pk=case.pk), outcome=Outcome.PENALTY)


def test_a_case_on_monitoring_data_alone_is_not_decided_before_the_checklist_is_complete(world, deciding):
    case, _device = deciding
    size = log_size()
    error = refused("monitoring_evidence_unchecked", lambda: _decide(world, case))
    message = str(error.message)
    for missing in ("记录尚未经审核", "尚未告知当事人违法事实", "陈述、申辩", "第四十一条"):
        assert missing in message
    case.refresh_from_db()
    assert case.decided_on is None and case.stage == Stage.DECIDING and log_size() == size

    check = _complete(world, case)
    assert check.status == "complete" and checklist.missing(check) == []
    assert [entry.action for entry in Entry.objects.filter(action__startswith="evidence_check.").order_by("index")] == [
        "evidence_check.open",
        "evidence_check.manifest",
        "evidence_check.review_records",
        "evidence_check.tell_party",
        "evidence_check.invite_statement",
    ]
    assert _decide(world, case).decided_on == DECIDED


def test_records_found_not_conforming_keep_the_gate_shut(world, deciding):
    case, _device = deciding
    check = _complete(world, case, conform=False)
    assert check.status == "open"
    assert "不符合要求" in str(refused("monitoring_evidence_unchecked", lambda: _decide(world, case)).message)


def test_a_device_review_or_a_publication_later_than_the_data_does_not_cover_it(world, deciding):
    case, device = deciding
    Device.objects.filter(pk=device.pk).update(review_passed_on=dt.date(2026, 9, 1))
    Point.objects.filter(pk=device.point_id).update(location_published_on=None)
    check = _complete(world, case)
    message = str(refused("monitoring_evidence_unchecked", lambda: _decide(world, case)).message)
    assert "未经法制和技术审核" in message and "未向社会公布" in message and check.status == "open"


def test_a_case_with_other_evidence_is_not_held_but_still_shows_the_checklist(world, deciding, client):
    case, _device = deciding
    with at(DECIDED):
        add_evidence(world, case, name="现场检查笔录.pdf")
    client.force_login(world.people.head)
    with at(DECIDED):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "在线监控数据第四十一条审核" in page and "本案另有其他证据" in page
    assert _decide(world, case).decided_on == DECIDED


def test_the_api_and_the_page_refuse_the_decision_and_the_steps_go_through_the_api(world, deciding, client):
    case, _device = deciding
    api = APIClient()
    api.force_authenticate(world.people.head)
    with at(DECIDED):
        response = api.post(
            f"/api/v1/cases/{case.pk}/decide", {"outcome": "penalty", "version": case.version}, format="json"
        )
    assert response.status_code == 400 and response.json()["error"]["code"] == "monitoring_evidence_unchecked"
    client.force_login(world.people.head)
    with at(DECIDED):
        page = client.post(
            reverse("cases:case-action", args=[case.pk, "decide"]), {"outcome": "penalty", "version": case.version}
        )
    assert page.status_code == 400 and "第四十一条审核尚未完成" in page.content.decode()
    assert Case.objects.get(pk=case.pk).decided_on is None

    check = EvidenceCheck.objects.get(case=case)
    officer = APIClient()
    officer.force_authenticate(world.people.officer)
    assert officer.get(f"/api/v1/cases/{case.pk}/monitoring-check").json()["only_monitoring"] is True
    url = f"/api/v1/monitoring/checks/{check.pk}/"
    with at(TOLD):
        for step, body in (
            ("review_records", {"reviewed_on": "2026-09-02", "conform": True, "opinion": "符合要求"}),
            ("tell_party", {"told_on": "2026-09-02", "how": "电话告知"}),
            ("invite_statement", {"invited_on": "2026-09-02"}),
        ):
            check.refresh_from_db()
            response = officer.post(f"{url}{step}", body | {"version": check.version}, format="json")
            assert response.status_code == 200, response.json()
    assert response.json()["status"] == "complete" and response.json()["missing"] == []
    with at(DECIDED):
        case.refresh_from_db()
        response = api.post(
            f"/api/v1/cases/{case.pk}/decide", {"outcome": "penalty", "version": case.version}, format="json"
        )
    assert response.status_code == 200


def test_each_step_is_refused_to_those_who_may_not_take_it(world, deciding):
    case, _device = deciding
    check = EvidenceCheck.objects.get(case=case)
    size = log_size()
    with at(TOLD), pytest.raises(PermissionDenied):
        checklist.check_tell_party(actor=world.people.reviewer, check=check, told_on=TOLD, how="电话")
    with at(TOLD), pytest.raises(PermissionDenied):
        checklist.check_tell_party(actor=world.people.outsider, check=check, told_on=TOLD, how="电话")
    with at(TOLD), pytest.raises(ValidationError):
        checklist.check_tell_party(
            actor=world.people.officer, check=check, told_on=TOLD + dt.timedelta(days=1), how="x"
        )
    with at(TOLD), pytest.raises(ValidationError):
        checklist.check_tell_party(actor=world.people.officer, check=check, told_on=dt.date(2026, 8, 1), how="电话")
    with at(TOLD), pytest.raises(ValidationError):
        checklist.check_review_records(
            actor=world.people.officer, check=check, reviewed_on=TOLD, conform=True, opinion=" "
        )
    assert log_size() == size and EvidenceCheck.objects.get(pk=check.pk).party_told_on is None
    outsider = APIClient()
    outsider.force_authenticate(world.people.outsider)
    assert outsider.get(f"/api/v1/monitoring/checks/{check.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/monitoring/checks/{check.pk}/tell_party", {}, format="json").status_code == 404
    reviewer = APIClient()
    reviewer.force_authenticate(world.people.reviewer)
    assert reviewer.post(f"/api/v1/monitoring/checks/{check.pk}/tell_party", {}, format="json").status_code == 403


def test_the_checklist_page_takes_its_steps_and_is_hidden_from_other_agencies(world, deciding, client):
    case, _device = deciding
    check = EvidenceCheck.objects.get(case=case)
    url = reverse("monitoring-clues:check", args=[check.pk])
    client.force_login(world.people.officer)
    with at(TOLD):
        page = client.get(url).content.decode()
        assert "审核监控记录" in page and "仅有在线监控数据" in page
        case_page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        assert "在线监控数据第四十一条审核" in case_page and "登记告知当事人违法事实" in case_page
        posted = client.post(
            reverse("monitoring-clues:action", args=[check.pk, "tell_party"]),
            {"told_on": "2026-09-02", "how": "现场送达告知书", "version": check.version},
        )
        assert posted.status_code == 302
        refused_page = client.post(
            reverse("monitoring-clues:action", args=[check.pk, "invite_statement"]),
            {"invited_on": "2026-09-09", "version": check.version + 1},
        )
        assert refused_page.status_code == 400 and "不能晚于今天" in refused_page.content.decode()
    check.refresh_from_db()
    assert (check.party_told_on, check.party_told_how, check.statement_invited_on) == (TOLD, "现场送达告知书", None)
    client.force_login(world.people.outsider)
    assert client.get(url).status_code == 404
