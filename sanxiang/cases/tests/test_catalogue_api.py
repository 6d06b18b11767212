"""API v1 for the violation catalogue and an agency's discretion factors: what the workbench pages offer, under the
same gates and through the same services — read by staff in scope, changed by the province's system administrators
(the catalogue) and by an agency's system administrators or those above (its factors); 403 for any other role, 404
outside the caller's scope; a bad body answers 400 in the error shape and writes nothing; every change is a public
ledger entry, as from the page."""

import pytest
from rest_framework.test import APIClient

from sanxiang.cases import services
from sanxiang.cases.discretion import own_or_inherited
from sanxiang.cases.models import DiscretionFactor, Violation
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.catalogue import FACTOR, NEW_VIOLATION


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _latest(action: str) -> dict:
    return entry_json(Entry.objects.filter(action=action).latest("index"))["data"]


def _factors(agency) -> str:
    return f"/api/v1/agencies/{agency.pk}/discretion-factors/"


def _whole(violation: Violation, **changes) -> dict:
    """The entry as the update form sends it: every field, empty where the entry has no value."""
    fields = ("name", "basis", "penalty_text", "fine_basis", "fine_min", "fine_max", "multiple_of", "start_percent")
    return {
        name: "" if getattr(violation, name) is None else str(getattr(violation, name)) for name in fields
    } | changes


@pytest.mark.parametrize("persona", ["officer", "reviewer", "clerk", "head", "admin", "outsider", "province_admin"])
def test_every_member_of_staff_reads_the_shared_catalogue(world, persona):
    api = _api(getattr(world.people, persona))
    listed = api.get("/api/v1/violations/", {"page_size": 200}).json()
    air = next(row for row in listed["results"] if row["code"] == "DQ-99")
    assert listed["count"] == Violation.objects.count() and air["basis"] == "《大气污染防治法》第九十九条"
    assert api.get(f"/api/v1/violations/{air['id']}/").json()["fine_basis"] == air["fine_basis"]
    missing = api.get("/api/v1/violations/999999/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("persona", "status"), [("province_admin", 201), ("admin", 403), ("head", 403), ("officer", 403), ("outsider", 403)]
)
def test_only_the_provinces_system_administrators_add_a_violation(world, persona, status):
    response = _api(getattr(world.people, persona)).post("/api/v1/violations/", NEW_VIOLATION, format="json")
    assert response.status_code == status
    assert Violation.objects.filter(code="TR-94").exists() is (status == 201)
    assert Entry.objects.filter(action="violation.create").exists() is (status == 201)
    if status == 201:
        assert response.json()["fine_max"] == "200000.00"
        facts = _latest("violation.create")
        assert facts["public"] and facts["code"] == "TR-94" and facts["fine_max"] == "200000.00"
    else:
        assert response.json()["error"]["code"] == "permission_denied"


def test_a_violation_is_corrected_with_its_old_and_new_range_in_the_ledger(world):
    air = Violation.objects.get(code="DQ-99")
    url = f"/api/v1/violations/{air.pk}/update"
    assert _api(world.people.admin).post(url, _whole(air, start_percent="15"), format="json").status_code == 403
    api = _api(world.people.province_admin)
    response = api.post(url, _whole(air, start_percent="15"), format="json")
    assert response.status_code == 200 and response.json()["start_percent"] == "15.00"
    air.refresh_from_db()
    assert str(air.start_percent) == "15.00" and air.code == "DQ-99"
    facts = _latest("violation.update")
    assert facts["public"] and (facts["start_percent"], facts["previous_start_percent"]) == ("15.00", "10.00")
    again = api.post(url, _whole(air), format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "unchanged"
    assert api.post("/api/v1/violations/999999/update", _whole(air), format="json").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fine_min": "300000"}, "fine_min"),  # above the maximum
        ({"fine_max": ""}, "fine_max"),  # a range fine without its maximum
        ({"start_percent": "120"}, "start_percent"),
        ({"code": "DQ-99"}, "code"),  # taken
        ({"basis": ""}, "basis"),
        ({"fine_min": [20000]}, "fine_min"),  # not a number
    ],
)
def test_a_violation_outside_the_law_is_refused_naming_the_field_and_nothing_is_written(world, changes, field):
    count = Violation.objects.count()
    api = _api(world.people.province_admin)
    response = api.post("/api/v1/violations/", NEW_VIOLATION | changes, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"] and any("\u4e00" <= c <= "\u9fff" for c in error["message"]), error
    assert Violation.objects.count() == count and not Entry.objects.filter(action="violation.create").exists()


def test_staff_read_the_factors_their_agency_applies_and_no_other_agencys(world):
    inherited = [factor.name for factor in own_or_inherited(world.harbin)]
    for persona in ("officer", "reviewer", "head", "province_admin", "county_officer"):
        response = _api(getattr(world.people, persona)).get(
            _factors(world.harbin if persona != "county_officer" else world.daoli)
        )
        assert [row["name"] for row in response.json()] == inherited, persona
    assert _api(world.people.outsider).get(_factors(world.harbin)).status_code == 404
    assert _api(world.people.county_officer).get(_factors(world.harbin)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("province_admin", 201), ("head", 403), ("officer", 403), ("reviewer", 403), ("outsider", 404)],
)
def test_only_the_agencys_system_administrators_or_those_above_add_a_factor(world, persona, status):
    response = _api(getattr(world.people, persona)).post(_factors(world.harbin), FACTOR, format="json")
    assert response.status_code == status, response.content
    names = [factor.name for factor in own_or_inherited(world.harbin)]
    assert ("污染面积" in names) is (status == 201)
    assert DiscretionFactor.objects.filter(agency_code="230100").exists() is (status == 201)
    if status == 201:
        assert response.json()["levels"] == [
            {"label": "一百平方米以下", "weight": 0},
            {"label": "一百平方米以上", "weight": 15},
        ]
        facts = _latest("discretion_factor.add")
        assert facts["public"] and facts["levels"] == ["一百平方米以下 0%", "一百平方米以上 15%"]
    else:
        assert not Entry.objects.filter(action="discretion_factor.add").exists()


def test_an_inherited_factor_is_changed_in_the_agencys_copy_then_removed(world):
    first = own_or_inherited(world.harbin)[0]
    api = _api(world.people.admin)
    edit = {"name": first.name, "levels": "轻微=0\n一般=5\n严重=20", "citation": "哈环规〔2026〕3号"}
    assert (
        _api(world.people.head).post(f"{_factors(world.harbin)}{first.pk}/update", edit, format="json").status_code
        == 403
    )
    response = api.post(f"{_factors(world.harbin)}{first.pk}/update", edit, format="json")
    assert response.status_code == 200
    copy = response.json()
    assert (
        copy["id"] != first.pk
        and copy["benchmark"] == "230100"
        and [level["weight"] for level in copy["levels"]] == [0, 5, 20]
    )
    assert DiscretionFactor.objects.get(pk=first.pk).levels == first.levels  # the default is untouched
    assert _latest("discretion_factor.update")["public"]
    # the inherited id is no longer one the agency applies
    assert api.post(f"{_factors(world.harbin)}{first.pk}/update", edit, format="json").status_code == 404
    removed = api.post(f"{_factors(world.harbin)}{copy['id']}/remove")
    assert removed.status_code == 204 and not DiscretionFactor.objects.filter(pk=copy["id"]).exists()
    assert _latest("discretion_factor.remove")["public"]


def test_another_agencys_factor_is_not_found_and_stays(world):
    services.discretion_factor_add(
        actor=None,
        agency=world.qiqihar,
        name="齐市因素",
        levels=[("a", 0), ("b", 5)],
        citation="齐环规",
        violation=None,
    )
    theirs = DiscretionFactor.objects.get(name="齐市因素")
    entries = Entry.objects.count()
    api = _api(world.people.admin)
    assert api.post(f"{_factors(world.harbin)}{theirs.pk}/remove").status_code == 404
    assert api.post(f"{_factors(world.qiqihar)}{theirs.pk}/remove").status_code == 404
    assert api.post(_factors(world.qiqihar), FACTOR, format="json").status_code == 404
    assert DiscretionFactor.objects.filter(pk=theirs.pk).exists()
    assert Entry.objects.count() == entries


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"levels": "只有一档=0"}, None, "至少两个情节档次"),
        ({"levels": "轻微=0\n严重=120"}, None, "0 到 100"),
        ({"levels": "轻微=0\n严重"}, "levels", "第 2 行"),
        ({"violation": 999999}, "violation", ""),
        ({"citation": ""}, "citation", ""),
    ],
)
def test_a_bad_factor_is_refused_as_structured_json_and_nothing_is_copied(world, changes, field, message):
    response = _api(world.people.admin).post(_factors(world.harbin), FACTOR | changes, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert message in str(error) and (field is None or field in error["fields"]), error
    assert not DiscretionFactor.objects.filter(agency_code="230100").exists()
    assert not Entry.objects.filter(action="discretion_factor.add").exists()
