"""The case pages and actions tried by every persona, and one case driven through the workbench forms."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.cases.models import Case, Stage
from sanxiang.laws.models import Article
from sanxiang.testing.cases import DISCOVERED, FILED, at, make_party, open_case

PERSONAS = ["officer", "reviewer", "head", "clerk", "admin", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_case_page_is_visible_inside_the_agency_only(client, world, persona):
    case = open_case(world)
    client.force_login(getattr(world.people, persona))
    response = client.get(reverse("cases:case-detail", args=[case.pk]))
    assert response.status_code == (404 if persona == "outsider" else 200)
    listed = client.get(reverse("cases:case-list")).content.decode()
    assert (case.title in listed) is (persona != "outsider")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 403),
        ("reviewer", 403),
        ("clerk", 403),
        ("admin", 403),
        ("outsider", 404),
        ("head", 302),
    ],
)
def test_only_a_head_of_the_agency_files_a_case(client, world, persona, status):
    case = open_case(world)
    client.force_login(getattr(world.people, persona))
    with at(FILED):
        response = client.post(
            reverse("cases:case-action", args=[case.pk, "file"]),
            {
                "version": case.version,
                "investigators": [world.people.officer.pk, world.people.partner.pk],
                "opinion": "同意立案",
            },
        )
    assert response.status_code == status
    assert Case.objects.get(pk=case.pk).stage == (Stage.INVESTIGATING if status == 302 else Stage.CLUE)


def test_a_refused_step_shows_the_rule_linked_to_its_articles_and_changes_nothing(client, world):
    case = open_case(world)
    client.force_login(world.people.head)
    with at(FILED):
        response = client.post(
            reverse("cases:case-action", args=[case.pk, "file"]),
            {
                "version": case.version,
                "investigators": [world.people.officer.pk],
                "opinion": "同意立案",
            },
            follow=True,
        )
    body = response.content.decode()
    two_officers = Article.objects.get(
        instrument__title="中华人民共和国行政处罚法", instrument__version_label="2021年修订", number=42
    )
    coercion = Article.objects.get(instrument__title="中华人民共和国行政强制法", number=18)
    assert (
        f'执法人员不得少于2人（<a class="law" href="{reverse("laws:article", args=[two_officers.pk])}">《行政处罚法》第四十二条</a>'
        f'；<a class="law" href="{reverse("laws:article", args=[coercion.pk])}">《行政强制法》第十八条</a>）'
    ) in body
    assert Case.objects.get(pk=case.pk).stage == Stage.CLUE


def test_a_stale_form_is_a_conflict(client, world):
    case = open_case(world)
    client.force_login(world.people.head)
    with at(FILED):
        response = client.post(
            reverse("cases:case-action", args=[case.pk, "extend_filing"]),
            {"version": case.version - 1, "reason": "需调取数据"},
            follow=True,
        )
    assert "已被他人修改" in response.content.decode()
    assert not Case.objects.get(pk=case.pk).filing_extended


def test_an_officer_opens_a_case_from_the_form(client, world):
    party = make_party(world.harbin)
    client.force_login(world.people.officer)
    with at(DISCOVERED):
        response = client.post(
            reverse("cases:case-open"),
            {
                "party": party.pk,
                "title": "未批先建案",
                "source": "complaint",
                "act_date": "2026-08-20",
                "act_place": "哈尔滨市松北区化工路 8 号",
                "act_division": "230109",
                "discovered_on": "2026-09-01",
            },
        )
    case = Case.objects.get(title="未批先建案")
    assert response.status_code == 302 and case.agency == world.harbin and case.next_due_on == dt.date(2026, 9, 16)


def test_the_home_page_lists_the_cases_due(client, world):
    case = open_case(world)
    client.force_login(world.people.head)
    with at(dt.date(2026, 9, 10)):
        body = client.get(reverse("web:home")).content.decode()
    assert "决定是否立案" in body and case.party.name in body


def test_the_discretion_calculation_is_made_in_the_workbench_and_binds_the_proposal(client, world):
    from sanxiang.cases.discretion import factors_for
    from sanxiang.testing.cases import walk

    case = walk(world, open_case(world), "filed")
    client.force_login(world.people.officer)
    fields = {"version": case.version, "violation": case.violation.pk}
    fields.update({f"factor_{factor.pk}": 0 for factor in factors_for(case.violation, case.agency)})
    fields[f"factor_{factors_for(case.violation, case.agency)[0].pk}"] = 2  # 较重 +20
    with at(dt.date(2026, 9, 15)):
        assert "违法行为的具体方式或手段" in client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        client.post(reverse("cases:case-action", args=[case.pk, "calculate_discretion"]), fields)
        case.refresh_from_db()
        assert case.discretion["fine"] == "300000"  # 10 % start + 20 % = 30 % of 100万
        response = client.post(
            reverse("cases:case-action", args=[case.pk, "submit"]),
            {
                "version": case.version,
                "facts": "事实",
                "evidence": "证据",
                "basis": "依据",
                "kinds": ["fine"],
                "fine": "150000",
            },
            follow=True,
        )
    assert "须说明理由" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == Stage.INVESTIGATING
