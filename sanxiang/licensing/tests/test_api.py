"""行政许可 through API v1: the window's list and an application with its clocks, each step of the Workflow, the
licences — refusals as structured 400s naming the article and the rule's code, with nothing written —, and the
public 办事指南, progress and online application."""

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from sanxiang.agencies.models import Certificate, Role
from sanxiang.core import calendar
from sanxiang.ledger.selectors import log_size
from sanxiang.licensing.models import Application, Licence
from sanxiang.testing.cases import at
from sanxiang.testing.factories import make_staff
from sanxiang.testing.licensing import APPLICANT, USCC, make_type, submit

MONDAY = dt.date(2026, 3, 2)  # March 2026 has no public holiday
DUE = dt.date(2026, 3, 30)  # 20 working days after MONDAY
BODY = {"kind": "new", **APPLICANT, "materials": ["M1"]}


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _step(user, application, action, **body):
    application.refresh_from_db()
    return _api(user).post(
        f"/api/v1/licensing/applications/{application.pk}/{action}",
        {"version": application.version, **body},
        format="json",
    )


@pytest.fixture
def licence_type(world):
    return make_type(world.harbin)


@pytest.fixture
def heard(published):
    """The calls of licensing's decision hooks, as (hook name, arguments)."""
    return published


def _accepted(world, licence_type, **overrides):
    with at(MONDAY):
        application = submit(world.people.officer, licence_type, **overrides)
        assert _step(world.people.officer, application, "accept").status_code == 200
    application.refresh_from_db()
    return application


def test_staff_read_the_types_of_their_scope_with_materials(world, licence_type):
    types = _api(world.people.officer).get("/api/v1/licensing/types/").json()
    assert [row["code"] for row in types["results"]] == ["HP-BGB"]
    row = types["results"][0]
    assert [m["code"] for m in row["materials"]] == ["M1", "M2", "M3"] and row["materials"][2]["required"] is False
    assert row["decision_citation"] == "《中华人民共和国行政许可法》第四十二条" and row["renewal_days_before"] is None
    assert _api(world.people.outsider).get("/api/v1/licensing/types/").json()["results"] == []
    assert _api().get("/api/v1/licensing/types/").status_code in (401, 403)


def test_the_window_submits_an_application_and_reads_it_with_its_clocks_and_steps(world, licence_type):
    officer = _api(world.people.officer)
    with at(MONDAY):
        made = officer.post("/api/v1/licensing/applications/", BODY | {"licence_type": licence_type.pk}, format="json")
    assert made.status_code == 201, made.content
    detail = made.json()
    application = Application.objects.get(pk=detail["id"])
    assert application.channel == Application.Channel.WINDOW and detail["number"] == application.number
    assert detail["clocks"]["received_on"] == "2026-03-02" and detail["clocks"]["accept_due_on"] == "2026-03-09"
    assert detail["materials"] == ["M1"] and detail["missing"] == ["M2"] and detail["phone"] == "13800000000"
    assert {"supplement_request", "accept", "reject", "withdraw"} <= set(detail["actions"])
    assert [document["doc_type"] for document in detail["documents"]] == []
    listed = officer.get("/api/v1/licensing/applications/", {"status": "received"}).json()["results"]
    assert [row["number"] for row in listed] == [application.number]
    found = officer.get("/api/v1/licensing/applications/", {"q": application.number.lower()}).json()["results"]
    assert [row["id"] for row in found] == [application.pk]
    assert officer.get("/api/v1/licensing/applications/", {"status": "accepted"}).json()["results"] == []
    unknown = officer.get("/api/v1/licensing/applications/", {"status": "lost"})
    assert unknown.status_code == 400 and "status" in unknown.json()["error"]["fields"]
    outsider = _api(world.people.outsider)
    assert outsider.get(f"/api/v1/licensing/applications/{application.pk}/").status_code == 404
    assert outsider.get("/api/v1/licensing/applications/").json()["results"] == []


def test_a_submission_missing_a_required_field_is_400_with_its_fields_and_writes_nothing(world, licence_type):
    elsewhere = make_type(world.qiqihar)  # not in the officer's scope: no such type for them
    officer, size = _api(world.people.officer), log_size()
    body = {key: value for key, value in BODY.items() if key != "phone"} | {"licence_type": licence_type.pk}
    refused = officer.post("/api/v1/licensing/applications/", body, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "validation_error" and set(error["fields"]) == {"phone"}
    assert "必填" in error["fields"]["phone"][0]
    no_type = officer.post("/api/v1/licensing/applications/", BODY, format="json")
    assert no_type.status_code == 400 and "licence_type" in no_type.json()["error"]["fields"]
    other = officer.post("/api/v1/licensing/applications/", BODY | {"licence_type": elsewhere.pk}, format="json")
    assert other.status_code == 400 and "licence_type" in other.json()["error"]["fields"]
    assert not Application.objects.exists() and log_size() == size


def test_a_step_by_an_officer_without_a_valid_certificate_is_refused_with_its_code_and_changes_nothing(
    world, licence_type
):
    with at(MONDAY):
        application = submit(world.people.officer, licence_type, materials=["M1", "M2"])
    uncertified = make_staff(agency=world.harbin, roles=[Role.OFFICER], username="newcomer", full_name="刘新")
    Certificate.objects.filter(holder=world.people.partner).update(expires_on=MONDAY - dt.timedelta(days=1))
    version, size = application.version, log_size()
    with at(MONDAY):
        for officer in (uncertified, world.people.partner):
            refused = _step(officer, application, "accept")
            assert refused.status_code == 400
            error = refused.json()["error"]
            assert error["code"] == "officer_not_certified" and "持证上岗" in error["message"]
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED and application.version == version
    assert log_size() == size


def test_a_decision_after_the_period_without_an_extension_is_refused_period_over(world, licence_type, heard):
    application = _accepted(world, licence_type, materials=["M1", "M2"])
    assert application.decision_due_on == DUE
    version, size = application.version, log_size()
    with at(DUE + dt.timedelta(days=1)):
        detail = _api(world.people.head).get(f"/api/v1/licensing/applications/{application.pk}/").json()
        refused = _step(world.people.head, application, "grant", content="同意建设")
    assert "届满" in detail["decision_refusal"]
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert (
        error["code"] == "period_over" and "第四十二条" in error["message"] and "未经负责人批准延长" in error["message"]
    )
    application.refresh_from_db()
    assert application.version == version and log_size() == size and not Licence.objects.exists() and heard == []


def test_an_extension_asked_twice_is_refused_extension_twice(world, licence_type):
    application = _accepted(world, licence_type, materials=["M1", "M2"])
    with at(DUE - dt.timedelta(days=3)):
        extended = _step(world.people.head, application, "extend", reason="需要补充监测数据")
        ten_more = calendar.add_working_days(DUE, 10).date.isoformat()  # 第四十二条: once, 10 working days
        assert extended.status_code == 200 and extended.json()["clocks"]["decision_due_on"] == ten_more
        assert "extend" not in extended.json()["actions"]
        size = log_size()
        again = _step(world.people.head, application, "extend", reason="再延长")
    assert again.status_code == 400
    error = again.json()["error"]
    assert error["code"] == "extension_twice" and "第四十二条" in error["message"]
    assert log_size() == size
    assert _step(world.people.officer, application, "extend", reason="x").status_code == 403


def test_the_steps_from_acceptance_to_service_and_the_licence_s_end(world, licence_type, heard):
    application = _accepted(world, licence_type, materials=["M1", "M2"])
    head = _api(world.people.head)
    with at(MONDAY + dt.timedelta(days=10)):
        granted = _step(world.people.head, application, "grant", content="同意按报告表所列内容建设")
        assert granted.status_code == 200, granted.content
        answer = granted.json()
        assert answer["status"] == "granted" and answer["clocks"]["service_due_on"] == "2026-03-26"
        assert {document["doc_type"] for document in answer["documents"]} >= {"licence_acceptance", "licence_grant"}
        served = _step(world.people.officer, application, "serve", method="window")
        assert served.status_code == 200 and served.json()["clocks"]["served_on"] == "2026-03-12"
    licence = Licence.objects.get()
    assert answer["granted_licence"] == licence.pk and [name for name, _ in heard] == ["licensing.decision_issued"]
    listed = head.get("/api/v1/licensing/licences/").json()["results"]
    assert [row["number"] for row in listed] == [licence.number]
    detail = head.get(f"/api/v1/licensing/licences/{licence.pk}/").json()
    assert detail["status"] == "valid" and set(detail["actions"]) == {"recall", "revoke", "cancel"}
    assert _api(world.people.outsider).get(f"/api/v1/licensing/licences/{licence.pk}/").status_code == 404
    body = {"version": licence.version, "ground": "facts_changed", "reason": "区域规划调整"}
    with at(MONDAY + dt.timedelta(days=40)):
        assert (
            _api(world.people.officer)
            .post(f"/api/v1/licensing/licences/{licence.pk}/recall", body, format="json")
            .status_code
            == 403
        )
        recalled = head.post(f"/api/v1/licensing/licences/{licence.pk}/recall", body, format="json")
    assert recalled.status_code == 200 and recalled.json()["status"] == "recalled"
    assert [name for name, _ in heard][-1] == "licensing.decision_changed"


def test_a_renewal_applied_late_is_refused_renewal_late(world, heard):
    kind = make_type(world.harbin, validity_years=1, renewable=True)
    application = _accepted(world, kind, materials=["M1", "M2"])
    with at(MONDAY):
        assert _step(world.people.head, application, "grant", content="同意").status_code == 200
    licence = Licence.objects.get()
    assert licence.valid_to == dt.date(2027, 3, 1)
    renewal = BODY | {"licence_type": kind.pk, "kind": "renewal", "licence_number": licence.number}
    officer, size = _api(world.people.officer), log_size()
    with at(dt.date(2027, 2, 10)):  # 19 days before expiry: the 30 days of 第五十条 have begun
        late = officer.post("/api/v1/licensing/applications/", renewal, format="json")
    assert late.status_code == 400
    error = late.json()["error"]
    assert error["code"] == "renewal_late" and "第五十条" in error["message"] and "2027-01-30" in error["message"]
    assert log_size() == size and Application.objects.count() == 1
    with at(dt.date(2027, 1, 30)):  # the last day
        assert officer.post("/api/v1/licensing/applications/", renewal, format="json").status_code == 201


def test_the_public_guide_answers_an_agency_s_types_with_their_materials(world, licence_type):
    guide = _api().get("/api/v1/public/licensing/guide/230100/")
    assert guide.status_code == 200
    answer = guide.json()
    assert answer["agency_name"] == "哈尔滨市生态环境局" and answer["terms"]["accept"]["display"] == "5 个工作日"
    assert "第三十二条" in answer["terms"]["accept"]["citation"]
    [row] = answer["types"]
    assert row["code"] == "HP-BGB" and [m["name"] for m in row["materials"]][0] == "建设项目环境影响报告表审批申请书"
    assert _api().get("/api/v1/public/licensing/guide/999999/").status_code == 404


def test_an_online_application_through_the_public_api_and_its_progress_without_personal_data(world, licence_type):
    api = _api()
    with at(MONDAY):
        made = api.post(
            "/api/v1/public/licensing/applications/",
            BODY | {"agency": "230100", "licence_type": "HP-BGB"},
            format="json",
        )
    assert made.status_code == 201, made.content
    receipt = made.json()
    application = Application.objects.get(number=receipt["number"])
    assert application.channel == Application.Channel.ONLINE and receipt["accept_due_on"] == "2026-03-09"
    with at(MONDAY):
        progress = api.get(receipt["progress"])
    assert progress.status_code == 200
    facts = progress.json()
    assert facts["status"] == "received" and facts["status_label"].startswith("已接收")
    assert [step["label"] for step in facts["steps"]] == ["接收许可申请"]
    for private in ("哈尔滨松江化工有限公司", USCC, "王强", "13800000000"):
        assert private not in progress.content.decode()
    unknown = api.post(
        "/api/v1/public/licensing/applications/", BODY | {"agency": "230100", "licence_type": "NOPE"}, format="json"
    )
    assert unknown.status_code == 400 and "licence_type" in unknown.json()["error"]["fields"]
    missing = api.post(
        "/api/v1/public/licensing/applications/",
        {key: value for key, value in BODY.items() if key != "contact_name"}
        | {"agency": "230100", "licence_type": "HP-BGB"},
        format="json",
    )
    assert missing.status_code == 400 and set(missing.json()["error"]["fields"]) == {"contact_name"}
    assert Application.objects.count() == 1


def test_the_public_application_is_throttled_per_address(world, licence_type, settings):
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], "licence_application": "1/hour"}
    settings.REST_FRAMEWORK = framework
    body = BODY | {"agency": "230100", "licence_type": "HP-BGB"}
    assert _api().post("/api/v1/public/licensing/applications/", body, format="json").status_code == 201
    refused = _api().post("/api/v1/public/licensing/applications/", body, format="json")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "throttled" and "请求过于频繁" in error["message"]
    assert Application.objects.count() == 1


def test_every_licensing_operation_is_in_the_openapi_document():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    expected = {
        "/api/v1/licensing/types/",
        "/api/v1/licensing/applications/",
        "/api/v1/licensing/applications/{application_id}/",
        "/api/v1/licensing/applications/{application_id}/grant",
        "/api/v1/licensing/applications/{application_id}/examine",
        "/api/v1/licensing/licences/",
        "/api/v1/licensing/licences/{licence_id}/",
        "/api/v1/licensing/licences/{licence_id}/revoke",
        "/api/v1/public/licensing/progress/{number}",
        "/api/v1/public/licensing/guide/{agency_code}/",
        "/api/v1/public/licensing/applications/",
    }
    assert expected <= set(paths)
    body = paths["/api/v1/licensing/applications/{application_id}/examine"]["post"]["requestBody"]
    examine = schema["components"]["schemas"][body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert "officers" in examine["properties"]  # a field the form adds for the record's agency
    grounds = {
        action: paths[f"/api/v1/licensing/licences/{{licence_id}}/{action}"]["post"]["requestBody"]["content"]
        for action in ("recall", "revoke", "cancel")
    }
    assert len({str(content) for content in grounds.values()}) == 3  # each its own grounds
