"""API v1 of publicity: the staff's records and actions with structured refusals, and the public's read side."""

import datetime as dt

from rest_framework.test import APIClient

from sanxiang.publicity import services
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at
from sanxiang.testing.publicity import decided, published


def _client(user=None) -> APIClient:
    client = APIClient(enforce_csrf_checks=False)
    client.default_format = "json"
    if user is not None:
        client.force_authenticate(user)
    return client


def test_staff_read_the_desk_and_a_record_with_its_original_and_masks(world):
    publication = decided(world)
    with at(dt.date(2026, 10, 26)):
        desk = _client(world.people.clerk).get("/api/v1/publications/").json()
    assert desk[0]["number"] == publication.number and desk[0]["overdue"] is True and desk[0]["workdays"] == 10
    detail = _client(world.people.clerk).get(f"/api/v1/publications/{publication.pk}/").json()
    assert detail["versions"][0]["original"] and "redact" in detail["actions"]
    assert _client(world.people.outsider).get(f"/api/v1/publications/{publication.pk}/").status_code == 404
    assert _client().get(f"/api/v1/publications/{publication.pk}/").status_code in (401, 403)


def test_actions_answer_refusals_as_structured_errors(world):
    publication = decided(world)
    clerk = _client(world.people.clerk)
    with at(DECIDED):
        version = Publication.objects.get(pk=publication.pk).version
        assert clerk.post(f"/api/v1/publications/{publication.pk}/redact", {"version": version}).status_code == 200
        refused = clerk.post(f"/api/v1/publications/{publication.pk}/confirm", {"version": version + 1})
        assert refused.status_code == 400
        assert "另一人复核" in refused.json()["error"]["message"]
        stale = _client(world.people.head).post(f"/api/v1/publications/{publication.pk}/confirm", {"version": 1})
        assert stale.status_code == 409
        withdraw = clerk.post(f"/api/v1/publications/{publication.pk}/withhold", {"version": version + 1})
        assert withdraw.status_code == 400 and "reason" in withdraw.json()["error"]["fields"]
        officer = _client(world.people.officer).post(
            f"/api/v1/publications/{publication.pk}/withhold", {"version": version + 1, "reason": "商业秘密"}
        )
        assert officer.status_code == 403


def test_the_public_searches_reads_a_decision_and_the_on_time_rates(world):
    publication = published(world)
    draft = decided(world)
    found = _client().get("/api/v1/public/decisions", {"q": "化工"}).json()
    assert [row["number"] for row in found] == [publication.number]
    decision = _client().get(f"/api/v1/public/decisions/{publication.pk}").json()
    assert decision["summary"]["罚款金额（万元）"] == "15.000000" and decision["versions"][0]["number"] == 1
    assert "original" not in decision["versions"][0]
    assert _client().get(f"/api/v1/public/decisions/{draft.pk}").status_code == 404
    with at(dt.date(2026, 10, 26)):
        rates = _client().get("/api/v1/public/compliance", {"year": 2026}).json()
    harbin = next(row for row in rates if row["code"] == world.harbin.code)
    assert harbin["due"] == 2 and harbin["on_time"] == 1 and harbin["missing"] == 1


def test_a_withdrawn_decision_answers_its_notice_only(world):
    publication = published(world)
    with at(dt.date(2026, 12, 3)):
        services.publication_withdraw(
            actor=world.people.clerk, publication=publication, reason="复议撤销", changed_on=dt.date(2026, 12, 1)
        )
    body = _client().get(f"/api/v1/public/decisions/{publication.pk}").json()
    assert body["status"] == "withdrawn" and body["withdrawal_reason"] == "复议撤销" and "summary" not in body
