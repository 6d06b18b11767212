"""The supervision desk, the notice pages, the home page and API v1, tried by every persona: the province's
supervisor, the head of the addressed agency, an officer there, an outsider, and a supervisor of another branch."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.supervision import selectors, services
from sanxiang.supervision.models import Notice
from sanxiang.testing.cases import at
from sanxiang.testing.publicity import decided, publish
from sanxiang.testing.supervision import issue_notice, supervision_people

DAY = dt.date(2026, 11, 2)
PERSONAS = ("supervisor", "head", "officer", "outsider", "qiqihar_supervisor")


@pytest.fixture
def sup(world):
    return supervision_people(world)


def persona(world, sup, name):
    return getattr(sup, name, None) or getattr(world.people, name)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_desk_counts_a_late_publication_under_its_agency_and_links_to_it(world, sup, client):
    draft = decided(world)  # decided 12 October, due 7 working days later, still unpublished
    with at(DAY):
        cards, _rows = selectors.desk(sup.supervisor, today=DAY, year=2026, listing=False)
        harbin = next(card for card in cards if card.agency == world.harbin)
        assert harbin.counts["publication_late"] == 1
        assert [card.agency.code for card in cards] == ["230100", "230102", "230200"]  # strictly below the province
        client.force_login(sup.supervisor)
        page = client.get("/workbench/supervision/")
        assert page.status_code == 200 and "哈尔滨市生态环境局" in page.content.decode()
        listed = client.get("/workbench/supervision/", {"agency": "230100", "kind": "publication_late"})
        assert f"/workbench/publicity/{draft.pk}/" in listed.content.decode()
        assert f"records=publication_late:{draft.pk}" in listed.content.decode()
        publish(world, draft)  # published late: still flagged
        assert (
            selectors.desk(sup.supervisor, today=DAY, year=2026, agency=world.harbin)[0][0].counts["publication_late"]
            == 1
        )
    assert selectors.desk(sup.qiqihar_supervisor, today=DAY, year=2026)[0] == []  # nothing below 齐齐哈尔


@pytest.mark.parametrize("name", ["head", "officer", "outsider", "qiqihar_supervisor"])
def test_the_desk_and_statistics_are_not_found_for_anyone_but_a_supervisor_above(world, sup, client, name):
    client.force_login(persona(world, sup, name))
    for url in ("/workbench/supervision/", "/workbench/supervision/statistics/", "/workbench/supervision/notices/new/"):
        assert client.get(url).status_code == 404
    assert _api(persona(world, sup, name)).get("/api/v1/supervision/desk").status_code == 404


def test_a_supervisor_issues_a_notice_from_the_desk_naming_the_flagged_record(world, sup, client):
    draft = decided(world)
    client.force_login(sup.supervisor)
    with at(DAY):
        form = client.get(
            "/workbench/supervision/notices/new/", {"agency": "230100", "records": f"publication_late:{draft.pk}"}
        )
        assert form.status_code == 200 and draft.number in form.content.decode()
        response = client.post(
            "/workbench/supervision/notices/new/",
            {
                "agency": "230100",
                "kind": "rectification",
                "subject": "处罚决定逾期未公示",
                "findings": "一件处罚决定超过期限未公示。",
                "requirement": "立即公示并说明原因。",
                "records": [f"publication_late:{draft.pk}"],
            },
        )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response.url == f"/workbench/supervision/notices/{notice.pk}/"
    assert list(notice.records.values_list("kind", "record_id")) == [("publication_late", draft.pk)]
    assert Entry.objects.filter(action="supervision_notice.issue").count() == 1


def test_an_issue_with_a_past_due_date_shows_the_form_again_with_the_reason(world, sup, client):
    client.force_login(sup.supervisor)
    with at(DAY):
        response = client.post(
            "/workbench/supervision/notices/new/",
            {
                "agency": "230100",
                "kind": "opinion",
                "subject": "s",
                "findings": "f",
                "requirement": "r",
                "due_on": "2026-11-01",
            },
        )
    assert response.status_code == 400 and "整改期限应当晚于下达之日" in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("year", ["0", "99999", "-1", "二〇二六"])
def test_a_new_notice_form_asked_for_an_impossible_year_shows_this_years_flags(world, sup, client, year):
    draft = decided(world)
    client.force_login(sup.supervisor)
    with at(DAY):
        form = client.get("/workbench/supervision/notices/new/", {"agency": "230100", "year": year})
    assert form.status_code == 200 and draft.number in form.content.decode()


@pytest.mark.parametrize("records", [["case_overdue:999999"], ["publication_late:999999", "x"], "nonsense"])
def test_a_notice_naming_a_record_the_desk_does_not_flag_is_refused_not_issued_without_it(world, sup, records):
    decided(world)  # 哈尔滨 has one flag, not one of those named; 齐齐哈尔 has none
    body = {"kind": "opinion", "subject": "s", "findings": "f", "requirement": "r", "records": records}
    with at(DAY):
        for agency in ("230100", "230200"):
            response = _api(sup.supervisor).post(
                "/api/v1/supervision/notices/", body | {"agency": agency}, format="json"
            )
            assert response.status_code == 400 and "records" in response.json()["error"]["fields"]
    assert not Notice.objects.exists()


def test_a_move_without_the_version_the_user_saw_is_refused_and_changes_nothing(world, sup, client):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
        refused = _api(world.people.head).post(
            f"/api/v1/supervision/notices/{notice.pk}/acknowledge", {}, format="json"
        )
        assert refused.status_code == 400 and "version" in refused.json()["error"]["fields"]
        client.force_login(world.people.head)
        page = client.post(f"/workbench/supervision/notices/{notice.pk}/acknowledge", {})
        assert page.status_code == 400
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED and notice.acknowledged_by is None
    assert not Entry.objects.filter(action="supervision_notice.acknowledge").exists()


@pytest.mark.parametrize("name", PERSONAS)
def test_a_notice_page_is_for_the_supervisor_and_the_addressed_head_only(world, sup, client, name):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
    client.force_login(persona(world, sup, name))
    response = client.get(f"/workbench/supervision/notices/{notice.pk}/")
    if name in ("supervisor", "head"):
        assert response.status_code == 200
        assert ("签收监督文书" in response.content.decode()) == (name == "head")
    else:
        assert response.status_code == 404
    assert _api(persona(world, sup, name)).get(f"/api/v1/supervision/notices/{notice.pk}/").status_code == (
        200 if name in ("supervisor", "head") else 404
    )


def test_the_head_signs_and_reports_from_the_notice_page_and_sees_it_on_the_home_page(world, sup, client):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
    client.force_login(world.people.head)
    home = client.get("/workbench/")
    assert f"/workbench/supervision/notices/{notice.pk}/" in home.content.decode()
    base = f"/workbench/supervision/notices/{notice.pk}/"
    with at(DAY):
        assert client.post(base + "acknowledge", {"version": 2}).status_code == 302
        refused = client.post(base + "respond", {"version": 3, "response": " "})
        assert refused.status_code == 400
        assert (
            client.post(base + "respond", {"version": 3, "response": "已整改", "evidence_note": "公示截图"}).status_code
            == 302
        )
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RESPONDED and notice.evidence_note == "公示截图"
    client.force_login(sup.supervisor)
    assert "1 件监督文书待审查整改情况或办结" in client.get("/workbench/").content.decode()


def test_an_officer_posting_a_move_gets_not_found(world, sup, client):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor)
    client.force_login(world.people.officer)
    assert client.post(f"/workbench/supervision/notices/{notice.pk}/acknowledge", {}).status_code == 404
    assert Notice.objects.get().status == Notice.Status.ISSUED


@pytest.mark.parametrize("name", PERSONAS)
def test_the_api_lists_the_notices_each_persona_reads(world, sup, name):
    with at(DAY):
        issue_notice(world, sup.supervisor)
        issue_notice(world, sup.supervisor, agency=world.qiqihar)
    response = _api(persona(world, sup, name)).get("/api/v1/supervision/notices/")
    assert response.status_code == 200
    agencies = sorted(row["agency"] for row in response.json()["results"])
    assert agencies == {"supervisor": ["230100", "230200"], "head": ["230100"]}.get(name, [])


def test_each_move_over_the_api_with_its_refusals(world, sup):
    with at(DAY):
        created = _api(sup.supervisor).post(
            "/api/v1/supervision/notices/",
            {"agency": "230100", "kind": "opinion", "subject": "法制审核超期", "findings": "f", "requirement": "r"},
            format="json",
        )
        assert created.status_code == 201, created.json()
        notice = created.json()
        assert notice["status"] == "issued" and notice["overdue"] is False
        url = f"/api/v1/supervision/notices/{notice['id']}/"
        head, supervisor = _api(world.people.head), _api(sup.supervisor)
        assert head.post("/api/v1/supervision/notices/", {"agency": "230100"}, format="json").status_code == 404
        wrong = head.post(url + "respond", {"version": notice["version"], "response": "x"}, format="json")
        assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_transition"
        assert supervisor.post(url + "acknowledge", {}, format="json").status_code == 403
        signed = head.post(url + "acknowledge", {"version": notice["version"]}, format="json")
        assert signed.status_code == 200 and signed.json()["actions"] == ["respond"]
        stale = head.post(url + "respond", {"version": notice["version"], "response": "x"}, format="json")
        assert stale.status_code == 409
        answered = head.post(
            url + "respond", {"version": signed.json()["version"], "response": "已整改"}, format="json"
        )
        assert answered.json()["status"] == "responded"
        version = answered.json()["version"]
        assert supervisor.post(url + "return", {"version": version, "reason": ""}, format="json").status_code == 400
        returned = supervisor.post(url + "return", {"version": version, "reason": "材料不全"}, format="json").json()
        assert returned["status"] == "returned" and returned["return_reason"] == "材料不全"
        again = head.post(url + "respond", {"version": returned["version"], "response": "补充材料"}, format="json")
        assert head.post(url + "accept", {}, format="json").status_code == 403
        accepted = supervisor.post(url + "accept", {"version": again.json()["version"]}, format="json")
        closed = supervisor.post(
            url + "close", {"version": accepted.json()["version"], "note": "整改到位"}, format="json"
        )
        closed = closed.json()
    assert closed["status"] == "closed"
    assert list(
        Entry.objects.filter(subject_type="supervision.notice").order_by("index").values_list("action", flat=True)
    ) == [
        "supervision_notice.issue",
        "supervision_notice.acknowledge",
        "supervision_notice.respond",
        "supervision_notice.return",
        "supervision_notice.respond",
        "supervision_notice.accept",
        "supervision_notice.close",
    ]


def test_a_notice_is_flagged_overdue_on_its_pages_after_its_due_date(world, sup, client):
    with at(DAY):
        notice = issue_notice(world, sup.supervisor, due_on=DAY + dt.timedelta(days=3))
    client.force_login(sup.supervisor)
    with at(DAY + dt.timedelta(days=3)):
        assert "逾期未报送整改情况" not in client.get(f"/workbench/supervision/notices/{notice.pk}/").content.decode()
    with at(DAY + dt.timedelta(days=4)):
        assert "逾期未报送整改情况" in client.get(f"/workbench/supervision/notices/{notice.pk}/").content.decode()
        listed = client.get("/workbench/supervision/notices/", {"overdue": "on"}).content.decode()
        assert notice.subject in listed
        assert _api(sup.supervisor).get(f"/api/v1/supervision/notices/{notice.pk}/").json()["overdue"] is True
        desk = client.get("/workbench/supervision/").content.decode()
        assert "逾期未报送 1" in desk
        services.notice_acknowledge(actor=world.people.head, notice=notice)
        statistics = client.get("/workbench/supervision/statistics/", {"year": 2026})
    assert statistics.status_code == 200 and "逾期未报送" in statistics.content.decode()


def test_the_desk_and_the_notices_filter_by_an_agency_chosen_by_name(world, sup, client):
    client.force_login(sup.supervisor)
    for url in ("/workbench/supervision/", "/workbench/supervision/notices/"):
        page = client.get(url).content.decode()
        assert '<select name="agency"' in page and '<option value="230100">哈尔滨市生态环境局</option>' in page
        assert "机关代码" not in page
    with at(DAY):
        issue_notice(world, sup.supervisor)
        listed = client.get("/workbench/supervision/notices/", {"agency": "230200"}).content.decode()
    assert '<option value="230200" selected>齐齐哈尔市生态环境局</option>' in listed


@pytest.mark.parametrize(("name", "offered"), [("head", True), ("supervisor", True), ("officer", False)])
def test_the_menu_leads_the_addressed_head_and_the_supervisor_to_the_notices(world, sup, client, name, offered):
    client.force_login(persona(world, sup, name))
    page = client.get("/workbench/").content.decode()
    menu = page[page.index('<nav class="main"') : page.index("</nav>", page.index('<nav class="main"'))]
    assert ('href="/workbench/supervision/notices/"' in menu) is offered
