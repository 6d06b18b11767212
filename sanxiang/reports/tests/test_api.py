"""API v1 of the reports: the same refusals as the pages, as structured JSON, and the figures with their records."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from sanxiang.ledger.selectors import log_size
from sanxiang.reports.models import AnnualReport
from sanxiang.testing.cases import at, open_case, walk

JANUARY = dt.date(2027, 1, 5)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def decided(world):
    return walk(world, open_case(world), "decided")


def test_a_report_for_a_year_not_ended_is_400_with_its_code_and_writes_nothing(world, decided):
    size = log_size()
    with at(dt.date(2026, 12, 6)):
        refused = _api(world.people.head).post(
            "/api/v1/reports/", {"agency": world.harbin.pk, "year": 2026}, format="json"
        )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "year_not_ended"
    assert log_size() == size and not AnnualReport.objects.exists()


def test_generate_approve_publish_through_the_api_and_refusals_by_role(world, decided):
    head, clerk = _api(world.people.head), _api(world.people.clerk)
    with at(JANUARY):
        made = clerk.post("/api/v1/reports/", {"agency": world.harbin.pk, "year": 2026}, format="json")
        assert made.status_code == 201, made.json()
        report = made.json()
        assert report["figures"]["penalty.decided"] == 1 and report["status"] == "draft"
        denied = clerk.post(f"/api/v1/reports/{report['id']}/approve", {"version": report["version"]}, format="json")
        assert denied.status_code == 403
        approved = head.post(f"/api/v1/reports/{report['id']}/approve", {"version": report["version"]}, format="json")
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        stale = clerk.post(f"/api/v1/reports/{report['id']}/publish", {"version": report["version"]}, format="json")
        assert stale.status_code == 409
        published = clerk.post(
            f"/api/v1/reports/{report['id']}/publish", {"version": approved.json()["version"]}, format="json"
        )
        assert published.status_code == 200 and published.json()["status"] == "published"
    assert _api(world.people.outsider).get(f"/api/v1/reports/{report['id']}/").status_code == 404


def test_the_figures_and_their_records(world, decided):
    head = _api(world.people.head)
    figures = head.get(f"/api/v1/agencies/{world.harbin.pk}/figures", {"year": 2026}).json()
    by_key = {line["key"]: line for line in figures}
    assert by_key["penalty.decided"]["value"] == 1 and by_key["penalty.fine"]["value"] == "150000.00"
    assert by_key["remedy.correction_rate"]["value"] is None
    records = head.get(f"/api/v1/agencies/{world.harbin.pk}/figures/penalty.decided", {"year": 2026}).json()
    assert [row["label"] for row in records["results"]] == [decided.number] and records["after"] == ""
    assert head.get(f"/api/v1/agencies/{world.harbin.pk}/figures", {"year": "x"}).status_code == 400
    assert head.get(f"/api/v1/agencies/{world.harbin.pk}/figures/nothing", {"year": 2026}).status_code == 404
    assert (
        _api(world.people.outsider).get(f"/api/v1/agencies/{world.harbin.pk}/figures", {"year": 2026}).status_code
        == 404
    )
