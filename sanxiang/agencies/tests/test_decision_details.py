"""What every decision of an agency names — 复议机关, the court of a suit, how a fine is paid — entered by the
agency's own head or the province's administrator, checked, ledgered, and shown on the agency page and in API v1."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency
from sanxiang.ledger.models import Entry

DETAILS = {
    "reconsideration_body": "哈尔滨市人民政府",
    "court": "哈尔滨铁路运输法院",
    "payment_bank": "中国工商银行哈尔滨分行营业部",
    "payment_account_name": "哈尔滨市财政局非税收入汇缴结算户",
    "payment_account_number": "3500 0411 0900 0000 001",
    "payment_online": "",
}
PERSONAS = ["officer", "reviewer", "head", "clerk", "admin", "province_admin", "outsider"]
MAY_SET = {"head", "province_admin"}


def test_the_agency_head_sets_what_its_decisions_name_with_a_public_ledger_entry(world):
    agency = services.agency_set_decision_details(actor=world.people.head, agency=world.harbin, **DETAILS)
    stored = Agency.objects.get(pk=agency.pk)
    assert (stored.reconsideration_body, stored.court) == ("哈尔滨市人民政府", "哈尔滨铁路运输法院")
    assert stored.payment_channel == (
        "缴至中国工商银行哈尔滨分行营业部（户名：哈尔滨市财政局非税收入汇缴结算户；账号：3500 0411 0900 0000 001）"
    )
    entry = Entry.objects.filter(action="agency.decision_details", subject_id=str(agency.pk)).last()
    assert entry.public and entry.actor == f"staff:{world.people.head.pk}"
    assert "哈尔滨铁路运输法院" in bytes(entry.body).decode()


def test_an_e_payment_description_alone_is_a_payment_channel_and_both_are_joined():
    agency = Agency(payment_online="通过非税收入电子缴款系统缴纳")
    assert agency.payment_channel == "通过非税收入电子缴款系统缴纳"
    agency.payment_bank, agency.payment_account_name, agency.payment_account_number = "某银行", "某户", "123"
    assert agency.payment_channel == "缴至某银行（户名：某户；账号：123）；或者通过非税收入电子缴款系统缴纳"


@pytest.mark.parametrize("persona", ["officer", "reviewer", "clerk", "admin"])
def test_other_staff_of_the_agency_may_not_set_them(world, persona):
    before = Agency.objects.get(pk=world.harbin.pk).court
    with pytest.raises(PermissionDenied):
        services.agency_set_decision_details(actor=getattr(world.people, persona), agency=world.harbin, **DETAILS)
    assert Agency.objects.get(pk=world.harbin.pk).court == before


def test_a_city_head_may_not_set_those_of_its_county_branch(world):
    with pytest.raises(PermissionDenied):
        services.agency_set_decision_details(actor=world.people.head, agency=world.daoli, **DETAILS)
    services.agency_set_decision_details(actor=world.people.province_admin, agency=world.daoli, **DETAILS)
    assert Agency.objects.get(pk=world.daoli.pk).reconsideration_body == "哈尔滨市人民政府"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"court": "哈尔滨市中院"}, "court"),
        ({"payment_account_number": ""}, "payment_bank"),
        ({"payment_bank": "", "payment_account_name": ""}, "payment_bank"),
        ({"payment_account_number": "账号待定"}, "payment_account_number"),
    ],
)
def test_a_half_entered_account_or_a_court_that_is_no_court_is_refused_and_nothing_changes(world, change, field):
    before = Agency.objects.get(pk=world.harbin.pk)
    entries = Entry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.agency_set_decision_details(actor=world.people.head, agency=world.harbin, **(DETAILS | change))
    assert field in error.value.message_dict
    after = Agency.objects.get(pk=world.harbin.pk)
    assert (after.court, after.payment_channel) == (before.court, before.payment_channel)
    assert Entry.objects.count() == entries


def test_the_database_refuses_half_a_bank_account(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=world.harbin.pk).update(payment_account_number="")


def test_the_agency_page_shows_them_and_warns_when_they_are_missing(client, world):
    client.force_login(world.people.head)
    page = client.get(reverse("agencies:agency-detail", args=[world.harbin.pk])).content.decode()
    assert world.harbin.court in page and "尚未登记齐全" not in page
    assert reverse("agencies:agency-decision-details", args=[world.harbin.pk]) in page
    services.agency_set_decision_details(actor=None, agency=world.harbin, reconsideration_body="", court="")
    page = client.get(reverse("agencies:agency-detail", args=[world.harbin.pk])).content.decode()
    assert "尚未登记齐全" in page and "《行政处罚法》第五十九条" in page


def test_the_form_saves_them_and_shows_a_refusal_in_chinese(client, world):
    client.force_login(world.people.head)
    url = reverse("agencies:agency-decision-details", args=[world.harbin.pk])
    page = client.get(url).content.decode()
    assert "行政复议机关" in page and "《行政复议法》（2023）第二十四条" in page
    response = client.post(url, DETAILS | {"court": "铁路法庭"})
    assert response.status_code == 200 and "请填写法院的全称" in response.content.decode()
    response = client.post(url, DETAILS)
    assert response.status_code == 302 and Agency.objects.get(pk=world.harbin.pk).court == "哈尔滨铁路运输法院"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_sets_them_for_the_head_and_the_province_administrator_only(world, persona):
    api = APIClient()
    api.force_authenticate(user=getattr(world.people, persona))
    response = api.post(f"/api/v1/agencies/{world.harbin.pk}/decision-details/", DETAILS, format="json")
    court = Agency.objects.get(pk=world.harbin.pk).court
    if persona in MAY_SET:
        assert response.status_code == 200 and response.json()["court"] == court == "哈尔滨铁路运输法院"
        assert response.json()["payment_channel"].startswith("缴至中国工商银行")
    else:
        assert response.status_code == (404 if persona == "outsider" else 403)
        assert court != "哈尔滨铁路运输法院"


def test_the_api_lists_field_errors_by_field(world):
    api = APIClient()
    api.force_authenticate(user=world.people.head)
    response = api.post(
        f"/api/v1/agencies/{world.harbin.pk}/decision-details/", DETAILS | {"payment_bank": ""}, format="json"
    )
    error = response.json()["error"]
    assert response.status_code == 400 and "payment_bank" in error["fields"]


def test_the_public_pre_disclosure_page_names_the_routes_and_the_payment_channel(client, world):
    page = client.get(reverse("public-disclosures:agency", args=[world.harbin.code])).content.decode()
    assert world.harbin.reconsideration_body in page and world.harbin.court in page
    assert world.harbin.payment_channel in page
