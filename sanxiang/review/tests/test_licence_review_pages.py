"""A licence decision's legal review in the workbench and API v1: the panel the application's page includes, the
submission from it, the review's pages and answers naming the application — its number, licence type and
applicant — where a case review names the case."""

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from rest_framework.test import APIClient

from sanxiang.licensing import hooks
from sanxiang.licensing import services as licensing
from sanxiang.powers.models import PowerKind
from sanxiang.review import services
from sanxiang.review.models import Review, ReviewRule
from sanxiang.testing.browser import login
from sanxiang.testing.cases import DECIDED, at
from sanxiang.testing.catalogues import make_power
from sanxiang.testing.crawl import check_page
from sanxiang.testing.licensing import accepted, make_type
from sanxiang.testing.reviews import examine_site, find_problems, licence_line, submit_application

# The application's page, which licensing serves under the name licensing:application.
PAGE = "/workbench/licensing/applications/{pk}/"


@pytest.fixture
def application(world):
    licence_type = make_type(world.harbin)
    licence_line(licence_type)
    with at(DECIDED):
        return examine_site(world, accepted(world.people.officer, licence_type))


def panel_html(user, application) -> str:
    panel = hooks.review().panel(user, application)
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(panel["template"], {"panel": panel}, request=request)


def as_(person) -> APIClient:
    api = APIClient()
    api.force_authenticate(person)
    return api


def test_the_panel_offers_the_submission_to_the_handling_unit_only(world, application):
    with at(DECIDED):
        officer, reviewer = panel_html(world.people.officer, application), panel_html(world.people.counsel, application)
    assert "作出建设项目环境影响报告表审批决定" in officer and "尚未送法制审核" in officer
    assert f"/workbench/reviews/submit/application/{application.pk}" in officer and 'name="affirmed"' in officer
    assert "尚未送法制审核" in reviewer and 'name="affirmed"' not in reviewer
    with at(DECIDED):
        review = submit_application(world, application)
        waiting = panel_html(world.people.officer, application)
    assert f"/workbench/reviews/{review.pk}/" in waiting and "审核中" in waiting and 'name="affirmed"' not in waiting


def test_the_panel_is_empty_for_a_type_outside_the_catalogue(world):
    with at(DECIDED):
        application = accepted(world.people.officer, make_type(world.harbin))
        assert panel_html(world.people.head, application).strip() == ""


def test_the_handling_unit_submits_from_the_page_and_goes_back_to_it(client, world, application):
    client.force_login(world.people.officer)
    back = PAGE.format(pk=application.pk)
    with at(DECIDED):
        response = client.post(
            f"/workbench/reviews/submit/application/{application.pk}", {"affirmed": "on", "next": back}
        )
    assert response.status_code == 302 and response.url == back
    review = Review.objects.get(application=application)
    assert review.status == Review.Status.OPEN and review.rounds.get().submitted_by == world.people.officer
    assert any("审核期限至" in str(message) for message in get_messages(response.wsgi_request))


def test_a_refused_submission_goes_back_with_the_reason_and_leaves_nothing(client, world, application):
    client.force_login(world.people.officer)
    back = PAGE.format(pk=application.pk)
    with at(DECIDED):
        response = client.post(f"/workbench/reviews/submit/application/{application.pk}", {"next": back})
    assert response.status_code == 302 and response.url == back
    assert any("真实性、准确性、完整性负责" in str(message) for message in get_messages(response.wsgi_request))
    assert not Review.objects.exists()


def test_an_address_of_another_site_is_not_followed(client, world, application):
    client.force_login(world.people.officer)
    with at(DECIDED):
        response = client.post(
            f"/workbench/reviews/submit/application/{application.pk}",
            {"affirmed": "on", "next": "https://example.com/phish"},
        )
    assert response.url == f"/workbench/reviews/{Review.objects.get().pk}/"


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("counsel", 403), ("clerk", 403)])
def test_others_are_refused_the_submission(client, world, application, persona, status):
    client.force_login(getattr(world.people, persona))
    with at(DECIDED):
        response = client.post(f"/workbench/reviews/submit/application/{application.pk}", {"affirmed": "on"})
    assert response.status_code == status and not Review.objects.exists()


def test_the_review_pages_name_the_application_its_type_and_applicant(client, world, application):
    with at(DECIDED):
        review = submit_application(world, application)
    client.force_login(world.people.counsel)
    with at(DECIDED):
        queue = client.get("/workbench/reviews/").content.decode()
        page = client.get(f"/workbench/reviews/{review.pk}/").content.decode()
    for text in (application.number, "建设项目环境影响报告表审批", "哈尔滨松江化工有限公司"):
        assert text in queue and text in page
    assert "现场核查，建设地点、规模与申请材料一致" in page and "行政许可受理通知书" in page
    assert 'name="item_facts"' in page and "年产5000吨涂料扩建项目" in page


def test_the_second_round_names_what_changed_since_the_first(client, world, application):
    with at(DECIDED):
        review = submit_application(world, application)
        find_problems(world.people.counsel, review, facts="未核查周边敏感点")
        licensing.application_examine(
            actor=world.people.officer, application=application, kind="materials", findings="补充核查周边敏感点"
        )
        services.review_resubmit(actor=world.people.officer, review=review, response="已补充核查", affirmed=True)
    client.force_login(world.people.counsel)
    with at(DECIDED):
        page = client.get(f"/workbench/reviews/{review.pk}/").content.decode()
    assert "与上一轮相比变更了：审查记录" in page and "补充核查周边敏感点" in page


def test_the_api_shows_and_takes_an_application_review(world, application):
    officer, counsel = as_(world.people.officer), as_(world.people.counsel)
    url = f"/api/v1/licensing/applications/{application.pk}/legal-review"
    with at(DECIDED):
        unaffirmed = officer.post(url, {"affirmed": False}, format="json")
        assert unaffirmed.status_code == 400 and "affirmed" in unaffirmed.json()["error"]["fields"]
        assert as_(world.people.outsider).post(url, {"affirmed": True}, format="json").status_code == 404
        created = officer.post(url, {"affirmed": True}, format="json")
        assert created.status_code == 201
        again = officer.post(url, {"affirmed": True}, format="json")
        assert again.status_code == 400 and again.json()["error"]["code"] == "review_open"
        review = created.json()
        queue = counsel.get("/api/v1/reviews/queue").json()
    shown = {key: review[key] for key in ("case", "case_number", "application", "application_number", "licence_type")}
    assert shown == {
        "case": None,
        "case_number": None,
        "application": application.pk,
        "application_number": application.number,
        "licence_type": "建设项目环境影响报告表审批",
    }
    assert review["applicant"] == "哈尔滨松江化工有限公司" and review["rounds"][0]["materials"]["examinations"]
    assert [(row["application"], row["case"], row["party"]) for row in queue] == [
        (application.number, None, "哈尔滨松江化工有限公司")
    ]
    listed = counsel.get("/api/v1/reviews/").json()["results"]
    assert [row["application_number"] for row in listed] == [application.number]


def test_the_handling_unit_answers_an_opinion_through_the_api(world, application):
    with at(DECIDED):
        review = submit_application(world, application)
        find_problems(world.people.counsel, review)
        review.refresh_from_db()
        officer = as_(world.people.officer)
        assert set(officer.get(f"/api/v1/reviews/{review.pk}/").json()["actions"]) == {"resubmit", "contest"}
        assert as_(world.people.clerk).get(f"/api/v1/reviews/{review.pk}/").json()["actions"] == []
        contested = officer.post(
            f"/api/v1/reviews/{review.pk}/contest", {"reason": "不同意", "version": review.version}, format="json"
        )
    assert contested.status_code == 200 and contested.json()["status"] == "coordination"


@pytest.mark.browser
def test_an_application_review_reads_on_a_phone(live_data, browser, live_server, world):
    licence_type = make_type(world.harbin)
    licence_line(licence_type)
    review = submit_application(world, examine_site(world, accepted(world.people.officer, licence_type)))
    page = login(browser, live_server, "counsel", viewport={"width": 390, "height": 844})
    for path in ("/workbench/reviews/", f"/workbench/reviews/{review.pk}/"):
        page.goto(live_server.url + path, wait_until="networkidle")
        assert check_page(page, 390) == [], path
        assert review.application.number in page.inner_text("body")


@pytest.mark.parametrize(("power", "status"), [("none", 400), ("penalty", 400), ("licensing", 201)])
def test_a_licence_line_is_added_through_the_api_only_on_a_licensing_power(world, power, status):
    powers = {
        "none": "",
        "penalty": make_power(world.harbin, PowerKind.PENALTY).pk,
        "licensing": make_power(world.harbin, PowerKind.LICENSING).pk,
    }
    line = {
        "kind": "licence",
        "description": "作出排污许可决定",
        "citation": "哈环规〔2026〕5号",
        "power": powers[power],
    }
    response = as_(world.people.admin).post(
        f"/api/v1/agencies/{world.harbin.pk}/review-catalogue/", line, format="json"
    )
    assert response.status_code == status
    if status == 400:
        assert "须选择本机关现行的行政许可事项" in str(response.json()["error"]["fields"]["power"])
        assert not ReviewRule.objects.filter(agency_code="230100").exists()
    else:
        assert response.json()["power"]["id"] == powers["licensing"] and response.json()["kind"] == "licence"
