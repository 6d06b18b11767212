"""API v1 for legal review: the same flow and the same refusals as the workbench, as structured JSON."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.reviews import items, ready


@pytest.fixture
def case(world):
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        return ready(world, case)


def as_(person):
    api = APIClient()
    api.force_authenticate(person)
    return api


def test_a_review_runs_through_the_api_with_a_resubmission(world, case):
    officer, counsel = as_(world.people.officer), as_(world.people.counsel)
    with at(DECIDED):
        created = officer.post(f"/api/v1/cases/{case.pk}/legal-review", {"affirmed": True}, format="json")
        assert created.status_code == 201
        review = created.json()
        assert review["status"] == "open" and review["rounds"][0]["due_on"] == "2026-10-19"
        queue = counsel.get("/api/v1/reviews/queue").json()
        assert [row["case"] for row in queue] == [case.number] and "materials" not in queue[0]
        opinion = {
            "items": items(facts="未写明持续时间"),
            "outcome": "problems",
            "opinion": "存在问题",
            "corrections": "补充违法行为持续时间",
            "version": review["version"],
        }
        answered = counsel.post(f"/api/v1/reviews/{review['id']}/opinion", opinion, format="json").json()
        assert answered["status"] == "problems" and answered["rounds"][0]["opinion_document"] == "哈环审〔2026〕1号"
        assert set(answered["actions"]) == set()
        assert set(officer.get(f"/api/v1/reviews/{review['id']}/").json()["actions"]) == {"resubmit", "contest"}
        again = officer.post(
            f"/api/v1/reviews/{review['id']}/resubmit",
            {"response": "已补充", "affirmed": True, "version": answered["version"]},
            format="json",
        )
        assert again.status_code == 200 and len(again.json()["rounds"]) == 2
        agreed = counsel.post(
            f"/api/v1/reviews/{review['id']}/opinion",
            {"items": items(), "outcome": "agree", "opinion": "同意", "version": again.json()["version"]},
            format="json",
        ).json()
        assert agreed["status"] == "agreed"
        assert as_(world.people.head).get(f"/api/v1/cases/{case.pk}/").json()["legal_review"] == {
            "id": review["id"],
            "status": "agreed",
            "refusal": "",
        }
        decided = as_(world.people.head).post(f"/api/v1/cases/{case.pk}/decide", {"outcome": "penalty"}, format="json")
    assert decided.status_code == 200 and decided.json()["stage"] == "decided"


def test_refusals_are_structured_json_with_the_rule(world, case):
    officer, counsel = as_(world.people.officer), as_(world.people.counsel)
    with at(DECIDED):
        unaffirmed = officer.post(f"/api/v1/cases/{case.pk}/legal-review", {"affirmed": False}, format="json")
        assert unaffirmed.status_code == 400 and "affirmed" in unaffirmed.json()["error"]["fields"]
        review = officer.post(f"/api/v1/cases/{case.pk}/legal-review", {"affirmed": True}, format="json").json()
        barred = officer.get(f"/api/v1/cases/{case.pk}/").json()["legal_review"]
        assert (
            barred["status"] == "open" and "第五十八条" not in barred["refusal"] and "不得作出决定" in barred["refusal"]
        )
        no_corrections = counsel.post(
            f"/api/v1/reviews/{review['id']}/opinion",
            {
                "items": items(law="依据引用不全"),
                "outcome": "problems",
                "opinion": "存在问题",
                "version": review["version"],
            },
            format="json",
        )
        assert no_corrections.status_code == 400
        assert no_corrections.json()["error"]["code"] == "corrections_required"
        conflicted = officer.post(f"/api/v1/reviews/{review['id']}/take", {"version": review["version"]}, format="json")
        assert conflicted.status_code == 403
        stale = counsel.post(
            f"/api/v1/reviews/{review['id']}/opinion",
            {"items": items(), "outcome": "agree", "opinion": "同意", "version": review["version"] - 1},
            format="json",
        )
        assert stale.status_code == 409
        malformed = counsel.post(
            f"/api/v1/reviews/{review['id']}/opinion",
            {"items": "all fine", "outcome": "agree", "opinion": "同意"},
            format="json",
        )
        assert malformed.status_code == 400 and "items" in malformed.json()["error"]["fields"]
        unversioned = counsel.post(
            f"/api/v1/reviews/{review['id']}/opinion",
            {"items": items(), "outcome": "agree", "opinion": "同意"},
            format="json",
        )
        assert unversioned.status_code == 400 and "version" in unversioned.json()["error"]["fields"]


def test_reviews_and_statistics_stay_inside_the_callers_scope(world, case):
    with at(DECIDED):
        review = (
            as_(world.people.officer)
            .post(f"/api/v1/cases/{case.pk}/legal-review", {"affirmed": True}, format="json")
            .json()
        )
    outsider = as_(world.people.outsider)
    assert outsider.get(f"/api/v1/reviews/{review['id']}/").status_code == 404
    assert outsider.get("/api/v1/reviews/").json()["results"] == []
    assert outsider.get(f"/api/v1/agencies/{world.harbin.pk}/review-statistics").status_code == 404
    stats = as_(world.people.head).get(f"/api/v1/agencies/{world.harbin.pk}/review-statistics?year=2026").json()
    assert stats["reviews"] == 1 and stats["open"] == 1 and stats["first_round_pass_rate"] is None
