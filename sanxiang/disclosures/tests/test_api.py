"""Pre-disclosure over API v1: create, the item as staff see it, and each move (review, publish, collect a new
version, withdraw), tried by every persona; the same gates as the workbench, structured JSON for bad input, a stale
version 409, a read token 403, and the ledger entry of each move."""

import pytest
from rest_framework.test import APIClient

from sanxiang.api.services import api_token_create
from sanxiang.disclosures import services
from sanxiang.disclosures.models import Disclosure
from sanxiang.ledger.models import Entry

PERSONAS = ("officer", "partner", "reviewer", "head", "clerk", "admin", "outsider")
# Who may take each move of an item the officer collected in 哈尔滨 (谁执法谁公示: the agency's own staff; review,
# publish and withdraw: its heads and publicity clerks).
APPROVERS = {"head", "clerk"}
BODY = {"agency": "230100", "category": "procedures", "title": "排污许可证核发办事指南", "body": "办理时限：二十日。"}


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _collected(world) -> Disclosure:
    return services.disclosure_collect(
        actor=world.people.officer, agency=world.harbin, category="procedures", title="指南", body="正文"
    ).disclosure


def _reviewed(world) -> Disclosure:
    disclosure = _collected(world)
    services.disclosure_review(actor=world.people.clerk, disclosure=disclosure)
    return Disclosure.objects.get(pk=disclosure.pk)


def _published(world) -> Disclosure:
    disclosure = _reviewed(world)
    services.disclosure_publish(actor=world.people.head, disclosure=disclosure)
    return Disclosure.objects.get(pk=disclosure.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_creates_an_item_of_its_own_agency_only(world, persona):
    response = _api(getattr(world.people, persona)).post("/api/v1/disclosures/", BODY, format="json")
    if persona == "outsider":
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert not Disclosure.objects.exists()
        return
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["status"] == "unpublished" and item["versions"][0]["published_at"] is None
    assert Entry.objects.filter(action="disclosure.collect").count() == 1


def test_a_city_officer_does_not_collect_for_the_county_below(world):
    response = _api(world.people.officer).post("/api/v1/disclosures/", BODY | {"agency": "230102"}, format="json")
    assert response.status_code == 403 and "谁执法谁公示" in response.json()["error"]["message"]


# (move, the item it is tried on, its body beyond the version)
MOVES = [
    ("review", _collected, {}),
    ("publish", _reviewed, {}),
    ("withdraw", _published, {"reason": "内容已过时"}),
    ("collect", _published, {"title": "指南（修订）", "body": "新正文", "note": "更新办理时限"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("move", "make", "body"), MOVES, ids=[move for move, _m, _b in MOVES])
def test_every_move_answers_each_persona_as_the_workbench_does(world, persona, move, make, body):
    disclosure = make(world)
    before = Entry.objects.count()
    response = _api(getattr(world.people, persona)).post(
        f"/api/v1/disclosures/{disclosure.pk}/{move}", body | {"version": disclosure.version}, format="json"
    )
    if persona == "outsider":
        expected = 404
    elif move == "collect" or persona in APPROVERS:
        expected = 200
    else:
        expected = 403
    if move == "review" and persona == "officer":
        expected = 403  # the collector is not a head or clerk either
    assert response.status_code == expected, (persona, move, response.json())
    assert Entry.objects.count() == before + (expected == 200)
    if expected == 200:
        assert Entry.objects.latest("index").action == f"disclosure.{move}"
        assert response.json()["id"] == disclosure.pk


def test_the_collector_does_not_review_her_own_text(world):
    disclosure = services.disclosure_collect(
        actor=world.people.clerk, agency=world.harbin, category="procedures", title="指南", body="正文"
    ).disclosure
    response = _api(world.people.clerk).post(
        f"/api/v1/disclosures/{disclosure.pk}/review", {"version": disclosure.version}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "same_person"


def test_bad_input_is_structured_json_and_writes_nothing(world):
    api = _api(world.people.officer)
    bad = api.post("/api/v1/disclosures/", BODY | {"category": "gossip", "title": ""}, format="json")
    assert bad.status_code == 400 and {"category", "title"} <= set(bad.json()["error"]["fields"])
    disclosure = _published(world)
    before = Entry.objects.count()
    withdraw = _api(world.people.head).post(
        f"/api/v1/disclosures/{disclosure.pk}/withdraw", {"version": disclosure.version}, format="json"
    )
    assert withdraw.status_code == 400 and "reason" in withdraw.json()["error"]["fields"]
    stale = _api(world.people.head).post(
        f"/api/v1/disclosures/{disclosure.pk}/withdraw", {"version": 1, "reason": "过时"}, format="json"
    )
    assert stale.status_code == 409
    assert Entry.objects.count() == before and Disclosure.objects.get(pk=disclosure.pk).status == "published"


def test_a_read_token_reads_an_item_but_does_not_write(world):
    disclosure = _collected(world)
    _token, raw = api_token_create(actor=world.people.clerk, user=world.people.clerk, name="r")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    item = api.get(f"/api/v1/disclosures/{disclosure.pk}/")
    assert item.status_code == 200 and item.json()["actions"] == ["review", "collect"]
    refused = api.post(f"/api/v1/disclosures/{disclosure.pk}/review", {"version": disclosure.version}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "token_scope"
