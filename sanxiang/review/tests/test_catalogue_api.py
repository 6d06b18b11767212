"""API v1 for an agency's 法制审核目录清单: the lines in force are read by its staff and those above, and added or
removed by its system administrators (or those above) through the page's services — 403 for any other role, 404
outside the caller's scope or for another agency's line; a bad line answers 400 in the error shape and copies
nothing; each change is a public ledger entry."""

import pytest
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.powers.models import PowerKind
from sanxiang.review import services
from sanxiang.review.catalogue import catalogue_for
from sanxiang.review.models import ReviewRule
from sanxiang.testing.catalogue import REVIEW_LINE
from sanxiang.testing.catalogues import add_lines_with_powers, make_power


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _catalogue(agency) -> str:
    return f"/api/v1/agencies/{agency.pk}/review-catalogue/"


@pytest.mark.parametrize("persona", ["officer", "reviewer", "clerk", "head", "admin", "province_admin"])
def test_staff_read_the_lines_their_agency_applies(world, persona):
    lines = _api(getattr(world.people, persona)).get(_catalogue(world.harbin)).json()
    assert [line["id"] for line in lines] == [rule.pk for rule in catalogue_for(world.harbin)]
    assert {line["catalogue"] for line in lines} == {"230000"}  # the province's list, inherited
    assert any(line["value"] == "revoke_licence" for line in lines)


def test_another_agencys_catalogue_is_not_found(world):
    assert _api(world.people.outsider).get(_catalogue(world.harbin)).status_code == 404
    assert _api(world.people.admin).get(_catalogue(world.qiqihar)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("province_admin", 201),
        ("head", 403),
        ("reviewer", 403),
        ("officer", 403),
        ("clerk", 403),
        ("outsider", 404),
    ],
)
def test_only_the_agencys_system_administrators_or_those_above_add_a_line(world, persona, status):
    response = _api(getattr(world.people, persona)).post(_catalogue(world.harbin), REVIEW_LINE, format="json")
    assert response.status_code == status
    descriptions = [line.description for line in catalogue_for(world.harbin)]
    assert ("对法人罚款十万元以上" in descriptions) is (status == 201)
    assert Entry.objects.filter(action="review_rule.add").exists() is (status == 201)
    if status == 201:
        line = response.json()
        assert (line["catalogue"], line["kind"], line["value"]) == ("230100", "fine_organisation", "100000")
        facts = entry_json(Entry.objects.get(action="review_rule.add"))["data"]
        assert facts["public"] and facts["value"] == "100000"


def test_an_own_line_is_removed_and_an_inherited_or_foreign_one_is_not(world):
    province_line = catalogue_for(world.harbin)[0]
    api = _api(world.people.admin)
    refused = api.post(f"{_catalogue(world.harbin)}{province_line.pk}/remove")
    assert refused.status_code == 400 and "本机关目录中没有这一项" in refused.json()["error"]["message"]
    added = api.post(_catalogue(world.harbin), REVIEW_LINE, format="json").json()
    assert _api(world.people.head).post(f"{_catalogue(world.harbin)}{added['id']}/remove").status_code == 403
    removed = api.post(f"{_catalogue(world.harbin)}{added['id']}/remove")
    assert removed.status_code == 204 and not ReviewRule.objects.filter(pk=added["id"]).exists()
    assert entry_json(Entry.objects.get(action="review_rule.remove"))["data"]["public"]
    theirs = services.review_rule_add(
        actor=None, agency=world.qiqihar, kind="manual", value="", description="齐市事项", citation="齐环规"
    )
    assert api.post(f"{_catalogue(world.harbin)}{theirs.pk}/remove").status_code == 404
    assert ReviewRule.objects.filter(pk__in=[province_line.pk, theirs.pk]).count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": ""}, "value", "金额应为整数"),
        ({"kind": "penalty_kind", "amount": ""}, "value", "请选择处罚种类"),
        ({"kind": "nonsense"}, "kind", ""),
        ({"citation": ""}, "citation", ""),
        ({"amount": "十万"}, "amount", ""),
    ],
)
def test_a_bad_line_is_refused_as_structured_json_and_nothing_is_copied(world, changes, field, message):
    response = _api(world.people.admin).post(_catalogue(world.harbin), REVIEW_LINE | changes, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"] and message in str(error), error
    assert not ReviewRule.objects.filter(agency_code="230100").exists()
    assert not Entry.objects.filter(action="review_rule.add").exists()


def test_a_line_is_added_with_its_power_and_read_back_with_it(world):
    power = make_power(world.harbin, PowerKind.PENALTY)
    api = _api(world.people.admin)
    response = api.post(_catalogue(world.harbin), REVIEW_LINE | {"power": power.pk}, format="json")
    assert response.status_code == 201, response.json()
    shown = {"id": power.pk, "code": power.code, "name": power.name}
    assert response.json()["power"] == shown
    lines = api.get(_catalogue(world.harbin)).json()
    assert [line["power"] for line in lines if line["id"] == response.json()["id"]] == [shown]
    assert ReviewRule.objects.get(pk=response.json()["id"]).power == power
    assert entry_json(Entry.objects.get(action="review_rule.add"))["data"]["power"] == power.code


@pytest.mark.parametrize("whose", ["inspection", "other_agency"])
def test_a_line_under_a_power_it_may_not_hang_on_is_refused_with_nothing_added(world, whose):
    power = (
        make_power(world.harbin, PowerKind.INSPECTION)
        if whose == "inspection"
        else make_power(world.qiqihar, PowerKind.PENALTY)
    )
    response = _api(world.people.admin).post(_catalogue(world.harbin), REVIEW_LINE | {"power": power.pk}, format="json")
    assert response.status_code == 400 and "power" in response.json()["error"]["fields"]
    assert not ReviewRule.objects.filter(agency_code="230100").exists()
    assert not Entry.objects.filter(action="review_rule.add").exists()


def test_reading_the_catalogue_takes_no_query_per_line(world, django_assert_max_num_queries):
    add_lines_with_powers(world.harbin, 6)
    api = _api(world.people.officer)
    with django_assert_max_num_queries(3):  # the agency and the lines, each with its power and the power's agency
        lines = api.get(_catalogue(world.harbin)).json()
    assert sum(line["power"] is not None for line in lines) == 6
