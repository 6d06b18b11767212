import datetime as dt

import pytest
from rest_framework.test import APIClient

from sanxiang.cases.models import Case, Stage
from sanxiang.testing.cases import FILED, at, make_party, open_case


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize(("persona", "status"), [("officer", 403), ("head", 200), ("outsider", 404)])
def test_filing_through_the_api_follows_the_same_rules(api, world, persona, status):
    case = open_case(world)
    api.force_authenticate(getattr(world.people, persona))
    with at(FILED):
        response = api.post(
            f"/api/v1/cases/{case.pk}/file",
            {
                "investigators": [world.people.officer.pk, world.people.partner.pk],
                "opinion": "同意立案",
                "version": case.version,
            },
            format="json",
        )
    assert response.status_code == status
    if status == 200:
        assert response.json()["stage"] == "investigating" and response.json()["number"].startswith("哈环立")
        assert response.json()["actions"] == [
            "extend_decision",
            "suspend",
            "withdraw",
            "limit_production",
            "propose_closure",
        ]


def test_a_refused_step_is_a_400_naming_the_rule(api, world):
    case = open_case(world)
    api.force_authenticate(world.people.head)
    with at(FILED):
        response = api.post(
            f"/api/v1/cases/{case.pk}/file",
            {"investigators": [world.people.officer.pk], "opinion": "同意立案"},
            format="json",
        )
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "too_few_officers"
    assert "《行政处罚法》第四十二条" in error["message"]
    assert Case.objects.get(pk=case.pk).stage == Stage.CLUE


def test_a_stale_version_is_a_409(api, world):
    case = open_case(world)
    api.force_authenticate(world.people.head)
    with at(FILED):
        response = api.post(
            f"/api/v1/cases/{case.pk}/extend_filing", {"reason": "需调取数据", "version": 99}, format="json"
        )
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"


def test_field_errors_of_an_action_are_listed_by_field(api, world):
    case = open_case(world)
    api.force_authenticate(world.people.head)
    response = api.post(f"/api/v1/cases/{case.pk}/file", {"opinion": ""}, format="json")
    error = response.json()["error"]
    assert response.status_code == 400 and {"investigators", "opinion"} <= set(error["fields"])


def test_an_officer_opens_a_case_and_lists_only_the_agencys_cases(api, world):
    party = make_party(world.harbin)
    api.force_authenticate(world.people.officer)
    with at(dt.date(2026, 9, 1)):
        response = api.post(
            "/api/v1/cases/",
            {
                "party": party.pk,
                "title": "无证排污案",
                "source": "complaint",
                "act_date": "2026-08-30",
                "act_place": "哈尔滨市松北区化工路 8 号",
                "act_division": "230109",
                "discovered_on": "2026-09-01",
            },
            format="json",
        )
    assert response.status_code == 201 and response.json()["next_due_kind"] == "filing"
    api.force_authenticate(world.people.outsider)
    assert api.get("/api/v1/cases/").json()["results"] == []
    assert api.get(f"/api/v1/cases/{response.json()['id']}/").status_code == 404


def test_the_schema_documents_every_case_action(api, db):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/cases/{case_id}/decide" in schema["paths"]
    assert "/api/v1/cases/{case_id}/schedule_hearing" in schema["paths"]


def test_an_onsite_fine_above_the_limit_is_refused_by_the_api(api, world):
    party = make_party(world.harbin)
    api.force_authenticate(world.people.officer)
    body = {
        "party": party.pk,
        "officers": [world.people.officer.pk, world.people.partner.pk],
        "decided_at": "2026-09-08T12:00:00+08:00",
        "place": "厂区门口",
        "facts": "露天焚烧",
        "kind": "fine",
        "basis": "《大气污染防治法》第一百一十九条",
        "fine": "5000",
    }
    with at(dt.date(2026, 9, 8), hour=13):  # recorded the day it was decided
        response = api.post("/api/v1/onsite-penalties/", body, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "simple_procedure_limit"
        response = api.post("/api/v1/onsite-penalties/", {**body, "fine": "3000"}, format="json")
    assert response.status_code == 201 and response.json()["number"].startswith("哈环当罚")
