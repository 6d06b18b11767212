"""更正当事人信息: the registering agency's officers and heads correct a party's record with a reason, from the party
list; identifiers are checked as on registration, and the ledger names what changed (values only where they are not
personal data)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.cases.models import Party, PartyKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.cases import make_party


def _form(party: Party, **changes) -> dict:
    values = {
        "kind": party.kind,
        "name": party.name,
        "uscc": party.uscc,
        "id_number": party.id_number,
        "legal_representative": party.legal_representative,
        "address": party.address,
        "phone": party.phone,
        "industry": party.industry,
        "reason": "营业执照变更",
    }
    return values | changes


def _last_correction() -> dict:
    return entry_json(Entry.objects.filter(action="party.correct").latest("index"))["data"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 302), ("head", 302), ("reviewer", 403), ("clerk", 403), ("admin", 403), ("outsider", 404)],
)
def test_only_the_registering_agencys_officers_and_heads_correct_a_party(client, world, persona, status):
    party = make_party(world.harbin)
    client.force_login(getattr(world.people, persona))
    listed = client.get(reverse("cases:party-list")).content.decode()
    link = reverse("cases:party-correct", args=[party.pk])
    assert (link in listed) is (status == 302)
    response = client.post(link, _form(party, name="哈尔滨市新名称化工有限公司"))
    assert response.status_code == status
    party.refresh_from_db()
    assert (party.name == "哈尔滨市新名称化工有限公司") is (status == 302)
    assert Entry.objects.filter(action="party.correct").exists() is (status == 302)


def test_an_agency_above_does_not_correct_a_county_party(client, world):
    party = make_party(world.daoli)
    client.force_login(world.people.officer)
    assert client.get(reverse("cases:party-correct", args=[party.pk])).status_code == 403
    client.force_login(world.people.county_officer)
    assert client.get(reverse("cases:party-correct", args=[party.pk])).status_code == 200


def test_a_correction_records_old_and_new_values_and_its_reason_but_no_personal_data(client, world):
    party = make_party(world.harbin, industry="化学原料和化学制品制造业")
    client.force_login(world.people.officer)
    response = client.post(
        reverse("cases:party-correct", args=[party.pk]),
        _form(party, industry="医药制造业", address="哈尔滨市道里区新址 1 号", reason="登记时录入错误"),
    )
    assert response.status_code == 302
    data = _last_correction()
    assert data["corrected"] == ["address", "industry"] and data["reason"] == "登记时录入错误"
    assert (data["industry"], data["previous_industry"]) == ("医药制造业", "化学原料和化学制品制造业")
    assert "address" not in data and "新址" not in str(data)


def test_a_natural_persons_name_and_id_number_never_enter_the_ledger(client, world):
    person = make_party(
        world.harbin, kind=PartyKind.NATURAL_PERSON, name="王某", uscc="", id_number="11010519491231002X"
    )
    client.force_login(world.people.head)
    response = client.post(
        reverse("cases:party-correct", args=[person.pk]), _form(person, name="王某某", reason="身份证核对更正")
    )
    assert response.status_code == 302
    data = _last_correction()
    assert data["corrected"] == ["name"] and "王某" not in str(data)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"uscc": "91230100MA1234567X"}, "uscc", "统一社会信用代码"),
        ({"reason": "  "}, "reason", ""),
        ({}, None, "没有需要更正的内容"),
        ({"kind": PartyKind.NATURAL_PERSON}, "uscc", "自然人不填写统一社会信用代码"),
    ],
)
def test_a_bad_correction_is_refused_in_chinese_and_changes_nothing(client, world, changes, field, message):
    party = make_party(world.harbin)
    client.force_login(world.people.officer)
    response = client.post(reverse("cases:party-correct", args=[party.pk]), _form(party, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (field or "__all__") in errors and message in str(errors)
    assert Party.objects.get(pk=party.pk).uscc == party.uscc
    assert not Entry.objects.filter(action="party.correct").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("head", 200), ("reviewer", 403), ("clerk", 403), ("admin", 403), ("outsider", 404)],
)
def test_the_api_corrects_a_party_under_the_same_gate(world, persona, status):
    party = make_party(world.harbin)
    api = APIClient()
    api.force_authenticate(getattr(world.people, persona))
    body = _form(party, industry="医药制造业")
    response = api.post(f"/api/v1/parties/{party.pk}/correct", body, format="json")
    assert response.status_code == status
    assert (Party.objects.get(pk=party.pk).industry == "医药制造业") is (status == 200)
    assert Entry.objects.filter(action="party.correct").exists() is (status == 200)
    if status == 200:
        assert response.json()["industry"] == "医药制造业"
        data = _last_correction()
        assert data["corrected"] == ["industry"] and data["previous_industry"] == party.industry
        again = api.post(f"/api/v1/parties/{party.pk}/correct", body, format="json")
        assert again.status_code == 400 and "没有需要更正的内容" in again.json()["error"]["message"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"uscc": "91230100MA1234567X"}, "uscc"), ({"reason": "  "}, "reason"), ({"name": ["某公司"]}, "name")],
)
def test_a_bad_correction_over_the_api_names_the_field_and_changes_nothing(world, changes, field):
    party = make_party(world.harbin)
    api = APIClient()
    api.force_authenticate(world.people.officer)
    response = api.post(f"/api/v1/parties/{party.pk}/correct", _form(party, **changes), format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert Party.objects.get(pk=party.pk).name == party.name
    assert not Entry.objects.filter(action="party.correct").exists()
