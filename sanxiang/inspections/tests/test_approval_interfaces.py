"""Inspection approvals through the workbench and API v1: requested by an officer, approved by the head with a
reason past a cap, begun by the approval's officers; refusals in Chinese (pages) or structured JSON (API) with
nothing written; the supervision view of caps for supervisors only."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sanxiang.agencies.models import Role
from sanxiang.cases.models import Inspection, Tier
from sanxiang.inspections.models import Approval
from sanxiang.ledger.models import Entry
from sanxiang.testing.approvals import approved
from sanxiang.testing.cases import make_party
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.factories import make_staff


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def item(world):
    return make_item(make_power(world.harbin), frequencies={Tier.GENERAL: ("10", 1)})


@pytest.fixture
def party(world):
    return make_party(world.harbin, tier=Tier.GENERAL)


def _body(world, party, item) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "party": party.pk,
        "source": "follow_up",
        "reason": "整改情况复查",
        "planned_from": today,
        "planned_to": today,
        "items": [item.pk],
        "officers": [world.people.officer.pk, world.people.partner.pk],
    }


def test_request_approve_and_begin_through_the_pages(client, world, party, item):
    people = world.people
    approved(head=people.head, officers=[people.officer, people.partner], party=party, items=[item])
    client.force_login(people.officer)
    assert "申请检查审批" in client.get(reverse("cases:inspection-list")).content.decode()
    response = client.post(reverse("approvals:request"), _body(world, party, item))
    approval = Approval.objects.latest("pk")
    assert response.status_code == 302 and approval.status == Approval.Status.REQUESTED and approval.exceeds_cap
    page = client.get(reverse("approvals:approval", args=[approval.pk])).content.decode()
    assert "超出年度检查频次上限" in page and "批准检查" not in page
    assert client.post(reverse("approvals:action", args=[approval.pk, "approve"])).status_code == 403
    client.force_login(people.head)
    page = client.get(reverse("approvals:approval", args=[approval.pk])).content.decode()
    assert "批准检查" in page
    entries = Entry.objects.count()
    refused = client.post(reverse("approvals:action", args=[approval.pk, "approve"]), {"note": "同意"})
    assert refused.status_code == 400 and "须由负责人写明理由" in refused.content.decode()
    assert Entry.objects.count() == entries
    done = client.post(
        reverse("approvals:action", args=[approval.pk, "approve"]), {"note": "同意", "cap_reason": "整改后复查"}
    )
    assert done.status_code == 302
    client.force_login(people.officer)
    page = client.get(reverse("approvals:approval", args=[approval.pk])).content.decode()
    assert "行政检查通知书" in page and "开始现场检查" in page
    started = client.post(
        reverse("approvals:action", args=[approval.pk, "begin"]),
        {"place": "厂区", "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert started.status_code == 302
    approval.refresh_from_db()
    assert approval.status == Approval.Status.INSPECTED and Inspection.objects.filter(approval=approval).exists()


def test_the_emergency_page_requires_a_ground(client, world, party):
    client.force_login(world.people.officer)
    body = {
        "party": party.pk,
        "place": "厂区",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "officers": [world.people.officer.pk, world.people.partner.pk],
    }
    refused = client.post(reverse("cases:inspection-start"), body)
    assert "紧急事由" in refused.content.decode() and "errorlist" in refused.content.decode()
    assert not Inspection.objects.exists()
    body |= {"emergency_ground": "incident", "emergency_note": "河道出现大面积死鱼"}
    assert client.post(reverse("cases:inspection-start"), body).status_code == 302
    assert Inspection.objects.get().approval.status == Approval.Status.AWAITING


def test_the_api_requests_and_refuses_with_structured_errors(world, party, item):
    officer = _api(world.people.officer)
    created = officer.post("/api/v1/approvals/", _body(world, party, item), format="json")
    assert created.status_code == 201 and created.json()["status"] == "requested"
    approval_id = created.json()["id"]
    assert officer.post(f"/api/v1/approvals/{approval_id}/approve", {}, format="json").status_code == 403
    bad = officer.post("/api/v1/approvals/", _body(world, party, item) | {"items": []}, format="json")
    assert bad.status_code == 400 and "items" in bad.json()["error"]["fields"]
    outsider = _api(world.people.outsider)
    assert outsider.get(f"/api/v1/approvals/{approval_id}/").status_code == 404
    head = _api(world.people.head)
    approved_now = head.post(f"/api/v1/approvals/{approval_id}/approve", {"note": "同意"}, format="json")
    assert approved_now.status_code == 200 and approved_now.json()["code"]
    assert Approval.objects.get().status == Approval.Status.APPROVED
    wrong = officer.get("/api/v1/approvals/?status=bogus")
    assert wrong.status_code == 400 and "status" in wrong.json()["error"]["fields"]


def test_the_api_lists_approvals_in_a_fixed_number_of_queries(world, item, django_assert_max_num_queries):
    people = world.people
    for _ in range(6):
        approved(head=people.head, officers=[people.officer, people.partner], party=make_party(world.harbin))
    with django_assert_max_num_queries(12):
        rows = _api(people.head).get("/api/v1/approvals/").json()
    assert len(rows["results"] if isinstance(rows, dict) else rows) == 6


def test_the_caps_are_supervised_by_supervisors_only(world, party, item):
    people = world.people
    approved(head=people.head, officers=[people.officer, people.partner], party=party, items=[item])
    assert _api(people.head).get("/api/v1/inspections/supervision/caps").status_code == 403
    supervisor = make_staff(agency=world.province, roles=[Role.SUPERVISOR])
    rows = _api(supervisor).get("/api/v1/inspections/supervision/caps").json()
    assert [(row["party"], row["total"], row["agencies"]) for row in rows] == [(party.pk, 1, {"230100": 1})]
