"""双随机 plans through the workbench, API v1 and the portal: every persona's view, each move offered to and
taken by the roles its move names, refusals answered in Chinese (pages) or structured JSON (API) with nothing
written, the public downloads byte for byte, results with their zero counts, and overdue publication on the home
page."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies.models import Role
from sanxiang.agencies.services import rule_set
from sanxiang.cases import services as case_services
from sanxiang.cases.models import Tier
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.inspections import draw_results
from sanxiang.inspections.plan_models import DrawTarget, Plan, Result
from sanxiang.inspections.plan_selectors import draw_export
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import log_size
from sanxiang.ledger.services import checkpoint_create
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import at
from sanxiang.testing.draws import approved, drawn, inspect, make_enterprises, make_item, make_plan
from sanxiang.testing.factories import make_certificate, make_staff

PERSONAS = ("officer", "partner", "reviewer", "head", "clerk", "admin", "security", "auditor", "outsider")
DRAW_DAY, INSPECTION_DAY = dt.date(2026, 3, 2), dt.date(2026, 3, 10)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def population(world):
    for _ in range(3):
        make_certificate(holder=make_staff(agency=world.harbin, roles=[Role.OFFICER]))
    return make_enterprises(world.harbin, {Tier.KEY: 4, Tier.GENERAL: 10})


def _form(plan_or_item, **extra) -> dict:
    item = plan_or_item
    return {
        "title": "2026年度重点排污单位抽查",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "items": [item.pk],
        "divisions": "2301",
        "industries": "",
        "percent_key": "100",
        **extra,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_what_its_agency_may_see(client, world, population, persona):
    plan = make_plan(world)
    client.force_login(getattr(world.people, persona))
    assert client.get(reverse("plans:list")).status_code == 200
    assert client.get(reverse("plans:recusals")).status_code == 200
    detail = client.get(reverse("plans:plan", args=[plan.pk]))
    assert detail.status_code == (404 if persona == "outsider" else 200)
    creating = client.get(reverse("plans:create"))
    may_draft = persona in ("officer", "partner", "head", "outsider")
    assert creating.status_code == (200 if may_draft else 403)
    if not may_draft:
        assert "只有" in creating.content.decode()  # who may draft, in Chinese
        size = log_size()
        refused = _api(getattr(world.people, persona)).post("/api/v1/plans/", {"title": "计划"}, format="json")
        assert refused.status_code == 403 and log_size() == size and Plan.objects.count() == 1


def test_an_officer_drafts_and_a_head_approves_then_the_draw_waits_for_the_checkpoint(client, world, population):
    item = make_item(world.harbin)
    client.force_login(world.people.officer)
    response = client.post(reverse("plans:create"), _form(item))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:plan", args=[plan.pk])
    assert plan.divisions == ["2301"] and plan.percents == {"key": "100.00"}
    refused = client.post(reverse("plans:action", args=[plan.pk, "approve"]), {"version": plan.version})
    assert refused.status_code == 403
    client.force_login(world.people.head)
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "批准计划并记入账本" in page and "双随机抽取" not in page
    response = client.post(reverse("plans:action", args=[plan.pk, "approve"]), {"version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    size = log_size()
    response = client.post(reverse("plans:action", args=[plan.pk, "draw"]), {"version": plan.version})
    assert response.status_code == 400 and "等待下一个签名检查点" in response.content.decode()
    assert log_size() == size
    checkpoint_create()
    response = client.post(reverse("plans:action", args=[plan.pk, "draw"]), {"version": plan.version})
    assert response.status_code == 302 and Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAWN
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert plan.targets.first().party.name in page


def test_a_committed_plan_refuses_every_change_on_the_page_and_the_api(client, world, population):
    plan = approved(world, make_plan(world), sign=False)
    item = plan.items.get()
    size = log_size()
    client.force_login(world.people.head)
    response = client.post(reverse("plans:action", args=[plan.pk, "update"]), _form(item, version=plan.version))
    assert response.status_code == 400 and "不能修改抽查计划" in response.content.decode()
    response = _api(world.people.head).post(
        f"/api/v1/plans/{plan.pk}/update", _form(item, version=plan.version), format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_transition"
    assert log_size() == size and Plan.objects.get(pk=plan.pk).title == plan.title


def test_the_api_refuses_a_seed_and_a_second_draw(world, population):
    plan = approved(world, make_plan(world))
    api = _api(world.people.head)
    size = log_size()
    response = api.post(f"/api/v1/plans/{plan.pk}/draw", {"version": plan.version, "seed": "00" * 32}, format="json")
    assert response.status_code == 400 and "seed" in response.json()["error"]["fields"]
    assert "随机种子不能指定" in response.json()["error"]["fields"]["seed"][0]
    assert log_size() == size and not DrawTarget.objects.exists()
    response = api.post(f"/api/v1/plans/{plan.pk}/draw", {"version": plan.version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "drawn"
    again = api.post(f"/api/v1/plans/{plan.pk}/draw", {"version": response.json()["version"]}, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_transition"
    stale = api.post(f"/api/v1/plans/{plan.pk}/publish", {"version": plan.version}, format="json")
    assert stale.status_code == 409


def test_the_api_creates_lists_and_shows_targets_within_scope(world, population):
    item = make_item(world.harbin)
    response = _api(world.people.officer).post("/api/v1/plans/", _form(item), format="json")
    assert response.status_code == 201 and response.json()["actions"] == ["update"]
    plan = drawn(world, Plan.objects.get(pk=response.json()["id"]))
    assert _api(world.people.outsider).get(f"/api/v1/plans/{plan.pk}/targets").status_code == 404
    targets = _api(world.people.clerk).get(f"/api/v1/plans/{plan.pk}/targets").json()["results"]
    assert [row["uscc"] for row in targets] == [row["uscc"] for row in draw_export(plan)["targets"]]
    listed = _api(world.people.reviewer).get("/api/v1/plans/").json()["results"]
    assert [row["id"] for row in listed] == [plan.pk]
    bad = _api(world.people.officer).post("/api/v1/plans/", _form(item, percent_key="150", items=[9999]), format="json")
    assert bad.status_code == 400 and {"percent_key", "items"} <= set(bad.json()["error"]["fields"])


def test_recusals_over_the_api(world, population):
    party = population[0]
    response = _api(world.people.officer).post(
        "/api/v1/recusals/", {"uscc": party.uscc, "reason": "其配偶在该企业任职"}, format="json"
    )
    assert response.status_code == 201 and response.json()["kind"] == "declared"
    unknown = _api(world.people.partner).post("/api/v1/recusals/", {"uscc": "9" * 18, "reason": "x"}, format="json")
    assert unknown.status_code == 400 and "uscc" in unknown.json()["error"]["fields"]
    body = {"officer": world.people.partner.pk, "uscc": party.uscc, "reason": "近亲属"}
    assert _api(world.people.officer).post("/api/v1/recusals/kinship", body, format="json").status_code == 403
    assert _api(world.people.head).post("/api/v1/recusals/kinship", body, format="json").status_code == 201
    assert len(_api(world.people.head).get("/api/v1/recusals/").json()["results"]) == 2
    assert len(_api(world.people.officer).get("/api/v1/recusals/").json()["results"]) == 1
    assert not Entry.objects.filter(action__startswith="recusal.", public=True).exists()


@pytest.fixture
def worked_plan(world, population):
    """A plan drawn on DRAW_DAY; on INSPECTION_DAY its first target inspected by its pair, no problem found."""
    with at(DRAW_DAY):
        plan = drawn(world, make_plan(world, percents={"key": "100"}, period_start=DRAW_DAY))
    with at(INSPECTION_DAY):
        target = plan.targets.order_by("rank").first()
        inspection = inspect(world, target)
    return plan, target, inspection


def test_the_pair_records_a_result_the_clerk_publishes_and_the_portal_counts_zeros(client, world, worked_plan):
    plan, target, inspection = worked_plan
    url = reverse("plans:target", args=[plan.pk, target.pk])
    client.force_login(world.people.reviewer)
    assert "登记抽查结果" not in client.get(url).content.decode()
    with at(INSPECTION_DAY):
        assert client.post(url, {"inspection": inspection.pk, "result": Result.NO_PROBLEM}).status_code == 403
    client.force_login(target.first_certificate.holder)
    with at(INSPECTION_DAY):
        wrong = client.post(url, {"inspection": inspection.pk, "result": Result.CASE_OPENED})
        assert wrong.status_code == 400 and "已立案查处" in wrong.content.decode()
        response = client.post(url, {"inspection": inspection.pk, "result": Result.NO_PROBLEM})
    assert response.status_code == 302
    client.force_login(world.people.head)
    with at(dt.date(2026, 4, 9)):  # a day past the 20 working days
        home = client.get(reverse("web:home")).content.decode()
        assert "抽查结果公示" in home and plan.title in home
        client.force_login(world.people.clerk)
        assert (
            client.post(
                reverse("plans:action", args=[plan.pk, "publish"]), {"version": Plan.objects.get(pk=plan.pk).version}
            ).status_code
            == 302
        )
    portal = client.get(reverse("public-plans:agency", args=["230100"])).content.decode()
    row = "".join(portal.split())
    assert "<td>6</td><td>1</td><td>1</td><td>0</td><td>0</td>" in row  # targets, inspected, and zeros shown
    plan_page = client.get(reverse("public-plans:plan", args=["230100", plan.pk])).content.decode()
    assert "未发现问题" in plan_page and "发现问题，已立案查处" in plan_page
    counts = _api(world.people.officer).get("/api/v1/public/agencies/230100/plans").json()[0]["results"]
    assert counts == {"targets": 6, "inspected": 1, "no_problem": 1, "ordered_to_correct": 0, "case_opened": 0}


def test_the_portal_serves_the_committed_plan_and_the_draw_byte_for_byte(client, world, population):
    draft = make_plan(world)
    assert client.get(reverse("public-plans:plan", args=["230100", draft.pk])).status_code == 404
    plan = drawn(world, draft)
    body = client.get(reverse("public-plans:plan-json", args=["230100", plan.pk]))
    assert body.status_code == 200 and body.content == bytes(plan.commitment.body)
    assert APIClient().get(f"/api/v1/public/plans/{plan.pk}/plan.json").content == bytes(plan.commitment.body)
    published = json.loads(client.get(reverse("public-plans:draw-json", args=["230100", plan.pk])).content)
    assert published == draw_export(plan) == APIClient().get(f"/api/v1/public/plans/{plan.pk}/draw").json()
    page = client.get(reverse("public-plans:plan", args=["230100", plan.pk])).content.decode()
    assert plan.commitment.digest in page and plan.targets.first().uscc in page
    assert "sanxiang-draw/1" in client.get(reverse("public-plans:algorithm")).content.decode()
    assert client.get(reverse("public-plans:index")).status_code == 200
    entry = APIClient().get(f"/ledger/entries/{plan.commitment.ledger_index}").json()
    assert entry["data"]["plan_digest"] == plan.commitment.digest


def test_a_drawn_target_is_recorded_over_the_api_by_the_pair_only(world, worked_plan):
    plan, target, inspection = worked_plan
    url = f"/api/v1/plans/{plan.pk}/targets/{target.pk}/result"
    body = {"inspection": inspection.pk, "result": "no_problem"}
    with at(INSPECTION_DAY):
        others = [
            p
            for p in (world.people.officer, world.people.partner)
            if p.pk not in {target.first_certificate.holder_id, target.second_certificate.holder_id}
        ]
        if others:
            assert _api(others[0]).post(url, body, format="json").status_code == 403
        assert _api(world.people.outsider).post(url, body, format="json").status_code == 404
        response = _api(target.second_certificate.holder).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["status"] == "recorded"
    assert not draw_results.TARGET.allows(DrawTarget.objects.get(pk=target.pk), "record")


def test_another_agencys_inspection_of_the_target_is_neither_offered_nor_told_apart(client, world, worked_plan):
    plan, target, inspection = worked_plan
    colleague = make_staff(agency=world.qiqihar, roles=[Role.OFFICER])
    make_certificate(holder=colleague)
    with at(INSPECTION_DAY):
        foreign = case_services.inspection_start(
            actor=world.people.outsider,
            agency=world.qiqihar,
            party=target.party,
            place="齐齐哈尔市龙沙区测试路 2 号",
            started_at=earlier_today(dt.timedelta(hours=2)),
            officers=[world.people.outsider, colleague],
            **EMERGENCY,
        )
        foreign = case_services.inspection_complete(
            actor=world.people.outsider,
            inspection=foreign,
            ended_at=halfway_to_now(foreign.started_at),
            findings="污染防治设施正常运行。",
            violation_found=False,
            signature="signed",
        )
        holder = target.first_certificate.holder
        client.force_login(holder)
        page = client.get(reverse("plans:target", args=[plan.pk, target.pk])).content.decode()
        assert f'<option value="{inspection.pk}"' in page and f'<option value="{foreign.pk}"' not in page
        size = log_size()
        url = f"/api/v1/plans/{plan.pk}/targets/{target.pk}/result"
        response = _api(holder).post(url, {"inspection": foreign.pk, "result": "no_problem"}, format="json")
        unknown = _api(holder).post(url, {"inspection": foreign.pk + 1000, "result": "no_problem"}, format="json")
    assert response.status_code == unknown.status_code == 400
    assert response.json()["error"]["fields"] == unknown.json()["error"]["fields"]  # as if it did not exist
    assert "齐齐哈尔" not in response.content.decode() and "上下级" not in response.content.decode()
    assert log_size() == size and DrawTarget.objects.get(pk=target.pk).status == DrawTarget.Status.DRAWN


def test_the_plans_list_reads_a_fixed_number_of_queries_however_many_plans(
    world, population, django_assert_max_num_queries
):
    items = [make_item(world.harbin), make_item(world.harbin)]
    for _ in range(3):
        make_plan(world, items=items)
    drawn(world, make_plan(world, items=items, percents={"key": "100"}))
    approved(world, make_plan(world, items=items[:1]), sign=False)
    api = _api(world.people.head)
    with django_assert_max_num_queries(6):
        rows = api.get("/api/v1/plans/").json()["results"]
    assert len(rows) == 5 and all(
        row["items"] == sorted(item.code for item in items[: len(row["items"])]) for row in rows
    )
    assert sorted(row["status"] for row in rows) == ["approved", "draft", "draft", "draft", "drawn"]
    assert {tuple(row["actions"]) for row in rows if row["status"] == "draft"} == {("update", "approve")}


def test_the_portal_states_the_publication_period_the_agencys_rules_set(client, world):
    page = client.get(reverse("public-plans:agency", args=["230100"])).content.decode()
    assert "20 个工作日内公示" in page and "二十个工作日" not in page
    rule_set(
        actor=None,
        key="inspections.results_publish_workdays",
        agency=world.harbin,
        value=15,
        citation="哈尔滨市“双随机、一公开”抽查工作细则第十条",
    )
    assert "15 个工作日内公示" in client.get(reverse("public-plans:agency", args=["230100"])).content.decode()
