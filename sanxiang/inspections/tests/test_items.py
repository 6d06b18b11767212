"""Inspection items (检查事项清单): each under a 行政检查 power of its agency, with its share and yearly cap per tier
and the document that sets them, kept by the agency's system administrators, every change a public entry; published
on the portal while in force, beside the agency's 抽查工作细则 (事前公开 item 5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.inspections import services
from sanxiang.inspections.models import InspectionItem, InspectionRules, ItemFrequency
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.powers.models import PowerKind
from sanxiang.powers.services import power_withdraw
from sanxiang.testing.catalogues import PUBLISHED, make_item, make_power

ITEM = {
    "code": "230100-JC-001",
    "name": "排污单位污染物排放情况检查",
    "basis": "《中华人民共和国环境保护法》第二十四条",
    "subject": "重点排污单位",
    "published_on": PUBLISHED,
}
RULES = {
    "title": "“双随机、一公开”抽查工作细则",
    "document_number": "哈环发〔2026〕3号",
    "adopted_on": dt.date(2026, 1, 5),
    "text": "第一条 为规范“双随机、一公开”监管，制定本细则。\n第二条 检查对象和执法检查人员均随机抽取。",
}


def _data(action: str) -> dict:
    entry = Entry.objects.filter(action=action).latest("index")
    return entry_json(entry)["data"] | {"public": entry.public}


def test_an_item_hangs_on_an_inspection_power_and_its_frequencies_are_public_entries(world):
    power = make_power(world.harbin)
    item = services.item_create(actor=world.people.admin, agency=world.harbin, power=power, **ITEM)
    created = _data("inspection_item.create")
    assert created["public"] and (created["code"], created["power"], created["method"]) == (
        item.code,
        power.code,
        "on_site",
    )
    services.frequency_set(
        actor=world.people.admin,
        item=item,
        tier="key",
        draw_percent=Decimal("100"),
        yearly_cap=4,
        citation="哈环发〔2026〕1号",
    )
    services.frequency_set(
        actor=world.people.admin,
        item=item,
        tier="key",
        draw_percent=Decimal("50"),
        yearly_cap=4,
        citation="哈环发〔2026〕1号",
    )
    data = _data("inspection_item.frequency_set")
    assert data["public"] and (data["draw_percent"], data["previous_draw_percent"]) == ("50.00", "100.00")
    assert "previous_yearly_cap" not in data and ItemFrequency.objects.get().draw_percent == Decimal("50.00")


@pytest.mark.parametrize("kind", [PowerKind.PENALTY, PowerKind.LICENSING])
def test_an_item_under_a_power_that_is_not_an_inspection_power_is_refused(world, kind):
    with pytest.raises(ValidationError) as error:
        services.item_create(actor=None, agency=world.harbin, power=make_power(world.harbin, kind), **ITEM)
    assert "power" in error.value.message_dict and not InspectionItem.objects.exists()


def test_an_item_under_another_agencys_or_a_withdrawn_power_is_refused(world):
    with pytest.raises(ValidationError):
        services.item_create(actor=None, agency=world.harbin, power=make_power(world.qiqihar), **ITEM)
    withdrawn = make_power(world.harbin)
    power_withdraw(actor=None, power=withdrawn, reason="职权调整")
    with pytest.raises(ValidationError):
        services.item_create(actor=None, agency=world.harbin, power=withdrawn, **ITEM)
    assert not InspectionItem.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"draw_percent": Decimal("100.5")}, "draw_percent"),
        ({"draw_percent": Decimal("-1")}, "draw_percent"),
        ({"draw_percent": Decimal("NaN")}, "draw_percent"),
        ({"yearly_cap": 0}, "yearly_cap"),
        ({"yearly_cap": 1000}, "yearly_cap"),
        ({"citation": " "}, "citation"),
        ({"tier": "gold"}, "tier"),
    ],
)
def test_a_share_outside_0_to_100_a_cap_below_one_or_no_citation_is_refused(world, values, field):
    item = make_item(make_power(world.harbin))
    frequency = {"tier": "general", "draw_percent": Decimal("10"), "yearly_cap": 2, "citation": "哈环发〔2026〕1号"}
    with pytest.raises(ValidationError) as error:
        services.frequency_set(actor=None, item=item, **(frequency | values))
    assert field in error.value.message_dict
    assert not ItemFrequency.objects.exists() and not Entry.objects.filter(action__contains="frequency").exists()


@pytest.mark.parametrize("persona", ["officer", "head", "reviewer", "clerk", "outsider"])
def test_only_the_agencys_system_administrators_keep_its_items_and_rules(world, persona):
    actor = getattr(world.people, persona)
    power = make_power(world.harbin)
    with pytest.raises(PermissionDenied):
        services.item_create(actor=actor, agency=world.harbin, power=power, **ITEM)
    item = make_item(power)
    with pytest.raises(PermissionDenied):
        services.frequency_set(actor=actor, item=item, tier="key", draw_percent=Decimal(1), yearly_cap=1, citation="x")
    with pytest.raises(PermissionDenied):
        services.item_withdraw(actor=actor, item=item, reason="调整")
    with pytest.raises(PermissionDenied):
        services.rules_set(actor=actor, agency=world.harbin, **RULES)
    assert not InspectionRules.objects.exists() and InspectionItem.objects.get().withdrawn_on is None


def test_a_withdrawn_item_leaves_the_portal_and_changes_no_more(client, world):
    item = make_item(make_power(world.harbin), name="已取消的检查事项")
    make_item(make_power(world.harbin), name="明年才公布的检查事项", published_on=dt.date(2099, 1, 1))
    make_item(make_power(world.harbin), name="现行检查事项", frequencies={"key": ("100", 4), "positive": ("3", 1)})
    services.item_withdraw(actor=world.people.admin, item=item, reason="检查事项合并")
    with pytest.raises(ValidationError):
        services.item_update(actor=world.people.admin, item=item, name="改名")
    services.rules_set(actor=world.people.admin, agency=world.harbin, **RULES)
    page = client.get(reverse("portal:inspection-items", args=[world.harbin.code])).content.decode()
    assert "现行检查事项" in page and "已取消的检查事项" not in page and "明年才公布的检查事项" not in page
    assert (
        "100%" in page
        and "正面清单" in page
        and "哈环发〔2026〕3号" in page
        and "检查对象和执法检查人员均随机抽取" in page
    )
    public = APIClient().get(f"/api/v1/public/agencies/{world.harbin.code}/inspection-items/").json()
    assert [row["name"] for row in public["items"]] == ["现行检查事项"] and public["rules"]["title"] == RULES["title"]
    assert len(public["items"][0]["frequencies"]) == 2


def test_the_pre_disclosure_page_feeds_item_2_and_item_5_from_the_catalogues(client, world):
    make_item(make_power(world.harbin), name="危险废物规范化环境管理检查")
    make_power(world.harbin, PowerKind.PENALTY)
    services.rules_set(actor=None, agency=world.harbin, **RULES)
    page = client.get(reverse("public-disclosures:agency", args=[world.harbin.code])).content.decode()
    assert "危险废物规范化环境管理检查" in page and reverse("portal:inspection-items", args=[world.harbin.code]) in page
    assert (
        "行政处罚 1 项" in page
        and "行政检查 1 项" in page
        and reverse("portal:powers", args=[world.harbin.code]) in page
    )
    assert RULES["title"] in page


def test_working_rules_are_published_as_a_public_entry_and_a_new_text_replaces_the_old(client, world):
    services.rules_set(actor=world.people.admin, agency=world.harbin, **RULES)
    services.rules_set(actor=world.people.admin, agency=world.harbin, **(RULES | {"text": "修订后的细则全文。"}))
    with pytest.raises(ValidationError):
        services.rules_set(actor=world.people.admin, agency=world.harbin, **(RULES | {"text": "修订后的细则全文。"}))
    assert InspectionRules.objects.get().text == "修订后的细则全文。"
    assert Entry.objects.filter(action="inspection_rules.set", public=True).count() == 2
    client.force_login(world.people.officer)
    page = client.get(reverse("inspections:rules")).content.decode()
    assert "修订后的细则全文。" in page and 'name="text"' not in page
    client.force_login(world.people.admin)
    response = client.post(reverse("inspections:rules"), RULES | {"adopted_on": "2026-02-01", "text": "第三版"})
    assert response.status_code == 302 and InspectionRules.objects.get().text == "第三版"


@pytest.mark.parametrize("persona", ["officer", "head", "reviewer", "clerk", "admin", "auditor"])
def test_every_member_of_staff_reads_the_items_and_only_keepers_are_offered_changes(client, world, persona):
    item = make_item(make_power(world.harbin), frequencies={"general": ("10", 2)})
    client.force_login(getattr(world.people, persona))
    keeper = persona == "admin"
    listed = client.get(reverse("inspections:item-list")).content.decode()
    detail = client.get(reverse("inspections:item-detail", args=[item.pk])).content.decode()
    assert item.name in listed and "一般监管" in detail
    assert (reverse("inspections:item-create") in listed) is keeper
    assert (reverse("inspections:frequency-set", args=[item.pk]) in detail) is keeper
    assert client.get(reverse("inspections:item-create")).status_code == (200 if keeper else 403)
    response = client.post(
        reverse("inspections:frequency-set", args=[item.pk]),
        {"tier": "key", "draw_percent": "100", "yearly_cap": "4", "citation": "哈环发〔2026〕1号"},
    )
    assert response.status_code == (302 if keeper else 403)
    assert item.frequencies.filter(tier="key").exists() is keeper


def test_a_refused_frequency_shows_the_item_again_with_what_was_typed(client, world):
    item = make_item(make_power(world.harbin))
    client.force_login(world.people.admin)
    response = client.post(
        reverse("inspections:frequency-set", args=[item.pk]),
        {"tier": "key", "draw_percent": "120", "yearly_cap": "0", "citation": ""},
    )
    assert response.status_code == 400 and 'value="120"' in response.content.decode()
    assert not ItemFrequency.objects.exists()


def test_the_api_adds_an_item_sets_a_frequency_and_publishes_the_rules_for_keepers(world):
    power = make_power(world.harbin)
    api = APIClient()
    api.force_authenticate(world.people.officer)
    body = ITEM | {"power": power.pk, "method": "on_site", "random": True, "published_on": "2026-01-05"}
    assert api.post("/api/v1/inspection-items/", body, format="json").status_code == 403
    api.force_authenticate(world.people.admin)
    response = api.post("/api/v1/inspection-items/", body, format="json")
    assert response.status_code == 201 and response.json()["power"] == power.code
    item_id = response.json()["id"]
    response = api.post(
        f"/api/v1/inspection-items/{item_id}/frequencies",
        {"tier": "key", "draw_percent": "101", "yearly_cap": 4, "citation": "x"},
        format="json",
    )
    assert response.status_code == 400 and "draw_percent" in response.json()["error"]["fields"]
    response = api.post(
        f"/api/v1/inspection-items/{item_id}/frequencies",
        {"tier": "key", "draw_percent": "100", "yearly_cap": 4, "citation": "哈环发〔2026〕1号"},
        format="json",
    )
    assert response.json()["frequencies"][0]["yearly_cap"] == 4
    assert api.get(f"/api/v1/agencies/{world.harbin.pk}/inspection-rules/").status_code == 404
    rules = RULES | {"adopted_on": "2026-01-05"}
    assert api.post(f"/api/v1/agencies/{world.harbin.pk}/inspection-rules/", rules, format="json").status_code == 200
    assert api.get(f"/api/v1/agencies/{world.harbin.pk}/inspection-rules/").json()["title"] == RULES["title"]
    api.force_authenticate(world.people.officer)
    response = api.post(f"/api/v1/agencies/{world.harbin.pk}/inspection-rules/", rules, format="json")
    assert response.status_code == 403
