"""Jurisdiction follows the place of the act (《行政处罚法》第二十二条), not where the party is registered: an agency files
only what happened in its area, and sends any other clue to the agency of that place (移送管辖), on the record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies.services import agency_update
from sanxiang.cases import services
from sanxiang.cases.models import Case, Stage, Transfer
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import DISCOVERED, FILED, at, make_party, open_case
from sanxiang.testing.checks import refused


def file(world, case, head):
    with at(FILED):
        return services.case_file(
            actor=head, case=case, investigators=[world.people.officer, world.people.partner], opinion="同意立案"
        )


def test_an_act_outside_the_area_is_not_filed_and_is_transferred_to_the_agency_of_its_place(world, client):
    case = open_case(world, act_place="齐齐哈尔市富拉尔基区钢厂路 9 号", act_division="230206")
    error = refused("not_competent", lambda: file(world, case, world.people.head))
    assert "230206" in error.messages[0] and "第二十二条" in error.messages[0]
    with at(DISCOVERED + dt.timedelta(days=1)):
        refused(
            "not_competent",
            lambda: services.case_transfer(
                actor=world.people.head, case=case, to_agency=world.daoli, reason="发生地在齐齐哈尔市"
            ),
        )
        case = services.case_transfer(
            actor=world.people.head, case=case, to_agency=world.qiqihar, reason="违法行为发生地在齐齐哈尔市富拉尔基区"
        )
    transfer = Transfer.objects.get(case=case)
    assert (transfer.from_agency, transfer.to_agency, case.agency, case.stage) == (
        world.harbin,
        world.qiqihar,
        world.qiqihar,
        Stage.CLUE,
    )
    assert Entry.objects.filter(action="case.transfer", subject_id=str(case.pk)).exists()


def test_a_party_registered_elsewhere_is_filed_where_it_acted(world):
    elsewhere = make_party(world.harbin, name="大庆某运输公司", address="大庆市龙凤区")
    case = open_case(world, party=elsewhere, act_place="哈尔滨市松北区化工路", act_division="230109")
    assert file(world, case, world.people.head).stage == Stage.INVESTIGATING


def test_only_the_head_transfers(world):
    case = open_case(world, act_division="230206")
    with at(DISCOVERED):
        refused(
            "head_approval_required",
            lambda: services.case_transfer(
                actor=world.people.officer, case=case, to_agency=world.qiqihar, reason="发生地在齐齐哈尔市"
            ),
        )


def test_a_closed_agency_is_neither_offered_nor_accepted_for_a_transfer(world, client):
    case = open_case(world, act_place="齐齐哈尔市富拉尔基区钢厂路 9 号", act_division="230206")
    agency_update(actor=None, agency=world.qiqihar, is_active=False)
    with at(DISCOVERED + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.case_transfer(
                actor=world.people.head, case=case, to_agency=world.qiqihar, reason="发生地在齐齐哈尔市"
            )
        assert "已停用" in error.value.message_dict["to_agency"][0]
        client.force_login(world.people.head)
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
        assert world.qiqihar.name not in page and world.daoli.name in page
        api = APIClient()
        api.force_authenticate(world.people.head)
        response = api.post(
            f"/api/v1/cases/{case.pk}/transfer", {"to_agency": world.qiqihar.pk, "reason": "发生地"}, format="json"
        )
    assert response.status_code == 400 and "to_agency" in response.json()["error"]["fields"]
    case.refresh_from_db()
    assert case.agency == world.harbin and not Transfer.objects.exists()
    assert not Entry.objects.filter(action="case.transfer").exists()


def _unplaced(world):
    """A clue registered before the place of the act was asked for."""
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(act_place="", act_division="")
    case.refresh_from_db()
    return case


def test_a_clue_without_its_place_is_neither_filed_nor_transferred(world):
    case = _unplaced(world)
    with pytest.raises(ValidationError) as error:
        file(world, case, world.people.head)
    assert "act_division" in error.value.message_dict
    with at(DISCOVERED), pytest.raises(ValidationError) as error:
        services.case_transfer(actor=world.people.head, case=case, to_agency=world.qiqihar, reason="发生地不明")
    assert "act_division" in error.value.message_dict


def test_the_head_registers_the_place_of_the_act_and_the_clue_can_then_be_filed(world, client):
    case = _unplaced(world)
    client.force_login(world.people.head)
    url = reverse("cases:case-detail", args=[case.pk])
    with at(DISCOVERED):
        assert "登记违法行为发生地" in client.get(url).content.decode()
        bad = client.post(
            reverse("cases:case-action", args=[case.pk, "record_act_place"]),
            {"act_place": "道里区", "act_division": "2301", "version": case.version},
        )
        assert bad.status_code == 400 and "6 位数字" in bad.content.decode()
        response = client.post(
            reverse("cases:case-action", args=[case.pk, "record_act_place"]),
            {"act_place": "哈尔滨市道里区工农大街 1 号", "act_division": "230102", "version": case.version},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.act_place, case.act_division, case.stage) == ("哈尔滨市道里区工农大街 1 号", "230102", Stage.CLUE)
    entry = Entry.objects.get(action="case.record_act_place", subject_id=str(case.pk))
    assert b'"act_division":"230102"' in bytes(entry.body) and b'"previous":""' in bytes(entry.body)
    assert file(world, case, world.people.head).stage == Stage.INVESTIGATING


@pytest.mark.parametrize("persona", ["officer", "reviewer", "clerk"])
def test_only_the_head_registers_the_place_and_the_api_offers_it(world, persona):
    case = _unplaced(world)
    api = APIClient()
    api.force_authenticate(getattr(world.people, persona))
    body = {"act_place": "齐齐哈尔市富拉尔基区", "act_division": "230206", "version": case.version}
    with at(DISCOVERED):
        assert api.post(f"/api/v1/cases/{case.pk}/record_act_place", body, format="json").status_code == 403
        api.force_authenticate(world.people.head)
        response = api.post(f"/api/v1/cases/{case.pk}/record_act_place", body, format="json")
        assert response.status_code == 200, response.json()
        case.refresh_from_db()
        assert case.act_division == "230206"
        case = services.case_transfer(actor=world.people.head, case=case, to_agency=world.qiqihar, reason="发生地")
    assert case.agency == world.qiqihar
    assert Entry.objects.filter(action="case.record_act_place").count() == 1
