"""检查任务 through API v1: the list in pages, a task, each step, and the tasks of a draw — a reporter only in a
head's answer, refusals as 400/403/404 JSON with nothing written, and every operation in the OpenAPI document."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from sanxiang.agencies.models import Role
from sanxiang.cases import services as cases
from sanxiang.cases.models import Tier
from sanxiang.core.calendar import earlier_today
from sanxiang.inspections.task_models import Task
from sanxiang.ledger.selectors import log_size
from sanxiang.testing.cases import make_party
from sanxiang.testing.draws import drawn, make_enterprises, make_plan
from sanxiang.testing.factories import make_certificate, make_staff

REPORTER, CONTACT = "王举报", "13800001234"


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def task(world):
    party = make_party(world.harbin, division="230102")
    response = _api(world.people.officer).post(
        reverse("api:tasks"),
        {
            "uscc": party.uscc,
            "source": "complaint",
            "description": "群众举报夜间偷排",
            "reporter_name": REPORTER,
            "reporter_contact": CONTACT,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Task.objects.get(pk=response.json()["id"])


def test_an_officers_answers_never_carry_the_reporter(world, task):
    officer = _api(world.people.officer)
    detail = officer.get(reverse("api:task-detail", args=[task.pk]))
    listing = officer.get(reverse("api:tasks"))
    for response in (detail, listing):
        assert response.status_code == 200
        assert REPORTER not in response.content.decode() and CONTACT not in response.content.decode()
    assert detail.json()["reporter"] is None
    assert listing.json()["results"][0]["id"] == task.pk
    head = _api(world.people.head).get(reverse("api:task-detail", args=[task.pk])).json()
    assert head["reporter"] == {"name": REPORTER, "contact": CONTACT}
    assert set(head["actions"]) == {"dispatch", "cancel"}


def test_another_agency_gets_404_and_an_officer_403_on_dispatch(world, task):
    outsider = _api(world.people.outsider)
    assert outsider.get(reverse("api:task-detail", args=[task.pk])).status_code == 404
    assert outsider.get(reverse("api:tasks")).json()["results"] == []
    size = log_size()
    body = {
        "version": task.version,
        "officers": [world.people.officer.pk, world.people.partner.pk],
        "due_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    }
    assert outsider.post(reverse("api:task-dispatch", args=[task.pk]), body, format="json").status_code == 404
    assert (
        _api(world.people.officer).post(reverse("api:task-dispatch", args=[task.pk]), body, format="json").status_code
        == 403
    )
    assert log_size() == size


def test_the_steps_through_the_api(world, task):
    head, officer = _api(world.people.head), _api(world.people.officer)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    lone = {"version": task.version, "officers": [world.people.officer.pk], "due_on": due}
    size = log_size()
    refused = head.post(reverse("api:task-dispatch", args=[task.pk]), lone, format="json")
    assert refused.status_code == 400 and log_size() == size
    body = {"version": task.version, "officers": [world.people.officer.pk, world.people.partner.pk], "due_on": due}
    answer = head.post(reverse("api:task-dispatch", args=[task.pk]), body, format="json").json()
    assert answer["status"] == "dispatched" and answer["officers"] == sorted(body["officers"])
    started_at = timezone.localtime(earlier_today(dt.timedelta(hours=1))).strftime("%Y-%m-%dT%H:%M")
    start = {"version": answer["version"], "started_at": started_at, "emergency_ground": "complaint"}
    start["emergency_note"] = "群众举报厂区夜间异味，现场核查"
    answer = officer.post(reverse("api:task-start", args=[task.pk]), start, format="json").json()
    assert answer["status"] == "in_progress" and answer["inspection"]
    close = {"version": answer["version"], "result": "no_problem"}
    refused = officer.post(reverse("api:task-close", args=[task.pk]), close, format="json")
    assert refused.status_code == 400 and "现场检查尚未完成" in refused.content.decode()
    cases.inspection_complete(
        actor=world.people.officer,
        inspection=Task.objects.get(pk=task.pk).inspection,
        ended_at=timezone.now(),
        findings="未发现异常排放。",
        violation_found=False,
        signature="signed",
    )
    answer = officer.post(reverse("api:task-close", args=[task.pk]), close, format="json").json()
    assert answer["status"] == "done" and answer["result"] == "no_problem" and answer["actions"] == []


def test_a_head_makes_the_tasks_of_a_draw_once(world):
    for _ in range(2):
        make_certificate(holder=make_staff(agency=world.harbin, roles=[Role.OFFICER]))
    make_enterprises(world.harbin, {Tier.KEY: 3})
    plan = drawn(world, make_plan(world, percents={"key": "100"}))
    head = _api(world.people.head)
    response = head.post(reverse("api:tasks-from-draw"), {"draw": plan.draw.pk}, format="json")
    assert response.status_code == 201 and len(response.json()) == 3
    again = head.post(reverse("api:tasks-from-draw"), {"draw": plan.draw.pk}, format="json")
    assert again.status_code == 400 and "不能重复生成" in again.content.decode() and Task.objects.count() == 3
    officer = _api(world.people.officer).post(reverse("api:tasks-from-draw"), {"draw": plan.draw.pk}, format="json")
    assert officer.status_code == 403


def test_every_task_operation_is_documented():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tasks/"])
    for name in ("dispatch", "start", "close", "cancel"):
        assert "post" in paths[f"/api/v1/tasks/{{task_id}}/{name}"]
    assert "post" in paths["/api/v1/tasks/from-draw"] and "get" in paths["/api/v1/tasks/{task_id}/"]
