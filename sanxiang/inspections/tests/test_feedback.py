"""扫码入企 (国办发〔2024〕54号): the enterprise rates and complains about an inspection with its code and its 统一社会信用
代码; the ledger proves the content unchanged without showing it; only supervisors above the inspecting unit read it."""

import json

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from sanxiang.agencies.models import Role
from sanxiang.inspections import feedback
from sanxiang.inspections.feedback_models import InspectionComplaint, InspectionRating
from sanxiang.inspections.feedback_selectors import COMPLAINTS_PER_CODE, intact, ratings_for
from sanxiang.ledger.models import Entry
from sanxiang.testing.approvals import inspected
from sanxiang.testing.cases import make_party
from sanxiang.testing.factories import make_staff


@pytest.fixture
def party(world):
    return make_party(world.harbin)


@pytest.fixture
def approval(world, party):
    return inspected(head=world.people.head, officers=[world.people.officer, world.people.partner], party=party)


@pytest.fixture
def supervisor(world):
    return make_staff(agency=world.province, roles=[Role.SUPERVISOR], username="supervisor", full_name="林静")


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_a_rating_is_recorded_with_an_internal_entry_holding_only_its_digest_and_stars(world, party, approval):
    rating = feedback.rating_submit(approval=approval, uscc=party.uscc.lower(), stars=4, comment="检查人员态度很好")
    entry = Entry.objects.get(action="inspection_rating.submit")
    data = json.loads(bytes(entry.body))["data"]
    assert entry.public is False and entry.agency_code == world.province.code
    assert set(data) == {"stars", "digest", "public"} and data["stars"] == 4
    assert "态度" not in bytes(entry.body).decode()
    assert intact([rating]) == {rating.pk: True}


def test_a_wrong_credit_code_is_refused_and_nothing_is_written(party, approval):
    entries = Entry.objects.count()
    with pytest.raises(ValidationError, match="统一社会信用代码与被检查企业不符"):
        feedback.rating_submit(approval=approval, uscc="91230100MA1234567X", stars=5)
    with pytest.raises(ValidationError, match="统一社会信用代码与被检查企业不符"):
        feedback.complaint_submit(approval=approval, uscc="", category="repeated", text="一月内重复检查三次")
    assert not InspectionRating.objects.exists() and not InspectionComplaint.objects.exists()
    assert Entry.objects.count() == entries


def test_rating_before_the_inspection_is_completed_is_refused(world, party):
    approval = inspected(
        head=world.people.head, officers=[world.people.officer, world.people.partner], party=party, complete=False
    )
    with pytest.raises(ValidationError, match="检查结束后才能评价"):
        feedback.rating_submit(approval=approval, uscc=party.uscc, stars=5)
    assert not InspectionRating.objects.exists()


def test_a_second_rating_is_refused_and_complaints_are_capped(party, approval):
    feedback.rating_submit(approval=approval, uscc=party.uscc, stars=5)
    with pytest.raises(ValidationError, match="不能重复评价"):
        feedback.rating_submit(approval=approval, uscc=party.uscc, stars=1)
    for _ in range(COMPLAINTS_PER_CODE):
        feedback.complaint_submit(approval=approval, uscc=party.uscc, category="repeated", text="一月内重复检查三次")
    with pytest.raises(ValidationError, match="已达上限"):
        feedback.complaint_submit(approval=approval, uscc=party.uscc, category="other", text="再次投诉同一事项")
    assert InspectionRating.objects.count() == 1 and InspectionComplaint.objects.count() == COMPLAINTS_PER_CODE


def test_bad_values_and_control_characters_are_refused(party, approval):
    for stars in (0, 6, "5", True):
        with pytest.raises(ValidationError):
            feedback.rating_submit(approval=approval, uscc=party.uscc, stars=stars)
    with pytest.raises(ValidationError, match="控制字符"):
        feedback.complaint_submit(approval=approval, uscc=party.uscc, category="other", text="索要\u202e财物")
    with pytest.raises(ValidationError):
        feedback.complaint_submit(approval=approval, uscc=party.uscc, category="bribe", text="索要财物若干")
    assert not InspectionRating.objects.exists() and not InspectionComplaint.objects.exists()


def test_the_inspecting_unit_never_sees_feedback_and_a_supervisor_above_does(
    world, party, approval, client, supervisor
):
    feedback.rating_submit(approval=approval, uscc=party.uscc, stars=2, comment="检查时间过长")
    rating = InspectionRating.objects.get()
    for user in (world.people.head, world.people.officer, world.people.auditor):
        client.force_login(user)
        assert client.get("/workbench/inspections/supervision/").status_code == 404
        assert _api(user).get("/api/v1/inspections/supervision/ratings/").status_code == 404
        assert client.get(f"/workbench/audit/history/inspections.inspectionrating/{rating.pk}/").status_code == 404
        assert not ratings_for(user).exists()
    # a supervisor of the inspecting agency itself supervises the agencies below it, never its own inspections
    harbin_supervisor = make_staff(agency=world.harbin, roles=[Role.SUPERVISOR, Role.HEAD], username="hrbsup")
    client.force_login(harbin_supervisor)
    assert "检查时间过长" not in client.get("/workbench/inspections/supervision/").content.decode()
    assert _api(harbin_supervisor).get("/api/v1/inspections/supervision/ratings/").json()["count"] == 0
    assert client.get(f"/workbench/audit/history/inspections.inspectionrating/{rating.pk}/").status_code == 404
    client.force_login(supervisor)
    page = client.get("/workbench/inspections/supervision/")
    assert page.status_code == 200 and "检查时间过长" in page.content.decode()
    assert "与账本一致" in page.content.decode()
    listed = _api(supervisor).get("/api/v1/inspections/supervision/ratings/").json()
    assert listed["count"] == 1 and listed["results"][0]["stars"] == 2 and listed["results"][0]["intact"] is True
    assert client.get(f"/workbench/audit/history/inspections.inspectionrating/{rating.pk}/").status_code == 200


def test_a_row_changed_behind_the_service_no_longer_matches_its_ledger_entry(party, approval, client, supervisor):
    rating = feedback.rating_submit(approval=approval, uscc=party.uscc, stars=1, comment="态度恶劣")
    complaint = feedback.complaint_submit(approval=approval, uscc=party.uscc, category="soliciting", text="索要财物")
    InspectionRating.objects.filter(pk=rating.pk).update(stars=5, comment="非常满意")
    assert intact([InspectionRating.objects.get()]) == {rating.pk: False}
    assert intact([complaint]) == {complaint.pk: True}
    client.force_login(supervisor)
    assert "与账本不一致" in client.get("/workbench/inspections/supervision/").content.decode()


def test_an_inspection_without_a_registered_code_is_flagged(world, party, client, supervisor):
    from sanxiang.cases import services as cases
    from sanxiang.inspections.approval_models import Approval

    approval = inspected(head=world.people.head, officers=[world.people.officer, world.people.partner], party=party)
    bare = cases.inspection_start(
        actor=world.people.officer,
        agency=world.harbin,
        party=party,
        place="厂区",
        started_at=approval.inspection.started_at,
        officers=[world.people.officer, world.people.partner],
        emergency_ground="complaint",
        emergency_note="群众举报厂区夜间异味",
    )
    client.force_login(world.people.officer)
    assert "未登记检查码" not in client.get(f"/workbench/cases/inspections/{approval.inspection.pk}/").content.decode()
    # an emergency inspection has its code at once; one without (a record from before codes) is flagged
    Approval.objects.filter(inspection=bare).update(code=None)
    assert "未登记检查码" in client.get(f"/workbench/cases/inspections/{bare.pk}/").content.decode()
    assert "未登记检查码" in client.get("/workbench/cases/inspections/").content.decode()
    client.force_login(supervisor)
    assert "1 次检查未登记检查码" in client.get("/workbench/inspections/supervision/").content.decode()


def test_the_approval_qr_is_for_those_who_see_the_approval(world, approval, client):
    client.force_login(world.people.officer)
    answer = client.get(f"/workbench/inspections/approvals/{approval.pk}/qr.png")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    client.force_login(world.people.outsider)
    assert client.get(f"/workbench/inspections/approvals/{approval.pk}/qr.png").status_code == 404
