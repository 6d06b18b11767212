"""The powers catalogue (执法事项库 / 权责清单): kept by the agency's system administrators, every change a public
ledger entry naming what changed; withdrawn, never deleted; read by staff, published on the portal while in force."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.powers import services
from sanxiang.powers.models import Power, PowerKind
from sanxiang.testing.catalogues import PUBLISHED, make_item, make_power

FIELDS = {
    "code": "230100-CF-001",
    "kind": PowerKind.PENALTY,
    "name": "对超标排放大气污染物的处罚",
    "basis": "《中华人民共和国大气污染防治法》第九十九条",
    "unit": "执法支队",
    "published_on": PUBLISHED,
}


def _data(action: str) -> dict:
    entry = Entry.objects.filter(action=action).latest("index")
    return entry_json(entry)["data"] | {"public": entry.public}


def test_a_power_added_by_the_agencys_system_administrator_is_a_public_entry_with_its_basis(world):
    power = services.power_create(actor=world.people.admin, agency=world.harbin, **FIELDS)
    data = _data("power.create")
    assert data["public"] and data["code"] == "230100-CF-001" and data["kind"] == "penalty"
    assert data["basis"] == FIELDS["basis"] and data["published_on"] == "2026-01-05"
    assert Power.objects.get() == power and power.agency == world.harbin


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("province_admin", True),
        ("officer", False),
        ("head", False),
        ("reviewer", False),
        ("clerk", False),
        ("security", False),
        ("outsider", False),
    ],
)
def test_only_the_system_administrators_of_the_agency_or_above_keep_its_catalogue(world, persona, allowed):
    actor = getattr(world.people, persona)
    if allowed:
        services.power_create(actor=actor, agency=world.harbin, **FIELDS)
    else:
        with pytest.raises(PermissionDenied):
            services.power_create(actor=actor, agency=world.harbin, **FIELDS)
    assert Power.objects.exists() is allowed and Entry.objects.filter(action="power.create").exists() is allowed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"basis": "大气污染防治法第九十九条"}, "basis"),
        ({"code": "CF 001"}, "code"),
        ({"kind": "seizure"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "对\u202e排放的处罚"}, "name"),
    ],
)
def test_a_power_without_a_cited_law_or_with_a_bad_code_kind_or_name_is_refused_and_nothing_written(
    world, changes, field
):
    with pytest.raises(ValidationError) as error:
        services.power_create(actor=world.people.admin, agency=world.harbin, **(FIELDS | changes))
    assert field in error.value.message_dict
    assert not Power.objects.exists() and not Entry.objects.filter(action="power.create").exists()


def test_a_code_is_given_once_per_agency_but_another_agency_may_use_it(world):
    services.power_create(actor=None, agency=world.harbin, **FIELDS)
    with pytest.raises(ValidationError) as error:
        services.power_create(actor=None, agency=world.harbin, **FIELDS)
    assert "已有编码" in error.value.message_dict["code"][0]
    services.power_create(actor=None, agency=world.qiqihar, **FIELDS)
    assert Power.objects.count() == 2


def test_a_correction_names_each_changed_field_with_its_old_and_new_value(world):
    power = make_power(world.harbin, PowerKind.PENALTY, name="旧名称")
    services.power_update(actor=world.people.admin, power=power, name="新名称", unit="大气环境处")
    data = _data("power.update")
    assert data["public"] and (data["name"], data["previous_name"]) == ("新名称", "旧名称")
    assert (data["unit"], data["previous_unit"]) == ("大气环境处", "执法支队") and "basis" not in data
    with pytest.raises(ValidationError) as error:
        services.power_update(actor=world.people.admin, power=power, name="新名称")
    assert error.value.code == "unchanged"


def test_a_withdrawn_power_keeps_its_record_leaves_the_portal_and_is_changed_no_more(client, world):
    power = make_power(world.harbin, PowerKind.PENALTY, name="对某违法行为的处罚")
    services.power_withdraw(actor=world.people.admin, power=power, reason="所依据的条款已修订")
    power.refresh_from_db()
    assert power.withdrawn_on is not None and _data("power.withdraw")["reason"] == "所依据的条款已修订"
    with pytest.raises(ValidationError):
        services.power_update(actor=world.people.admin, power=power, name="再改")
    with pytest.raises(ValidationError):
        services.power_withdraw(actor=world.people.admin, power=power, reason="再取消")
    page = client.get(reverse("portal:powers", args=[world.harbin.code])).content.decode()
    assert "对某违法行为的处罚" not in page


def test_a_power_is_not_withdrawn_while_inspection_items_in_force_hang_on_it(world):
    power = make_power(world.harbin)
    make_item(power)
    with pytest.raises(ValidationError) as error:
        services.power_withdraw(actor=world.people.admin, power=power, reason="职权调整")
    assert error.value.code == "items_in_force"
    assert Power.objects.get().withdrawn_on is None and not Entry.objects.filter(action="power.withdraw").exists()


def test_the_portal_lists_the_powers_in_force_by_kind_to_anyone(client, world):
    make_power(world.harbin, PowerKind.LICENSING, name="排污许可证核发")
    make_power(world.harbin, PowerKind.COERCION, name="查封扣押排污设施", published_on=dt.date(2099, 1, 1))
    make_power(world.qiqihar, PowerKind.PENALTY, name="齐齐哈尔的处罚事项")
    response = client.get(reverse("portal:powers", args=[world.harbin.code]))
    page = response.content.decode()
    assert response.status_code == 200 and "排污许可证核发" in page and "《排污许可管理条例》" in page
    assert "查封扣押排污设施" not in page and "齐齐哈尔的处罚事项" not in page
    assert client.get(reverse("portal:powers", args=["999999"])).status_code == 404
    api = APIClient().get(f"/api/v1/public/agencies/{world.harbin.code}/powers/").json()
    assert [row["name"] for row in api] == ["排污许可证核发"]


@pytest.mark.parametrize("persona", ["officer", "head", "reviewer", "clerk", "admin", "auditor"])
def test_every_member_of_staff_reads_the_catalogue_and_only_keepers_are_offered_changes(client, world, persona):
    power = make_power(world.harbin, PowerKind.PENALTY)
    client.force_login(getattr(world.people, persona))
    listed = client.get(reverse("powers:list")).content.decode()
    detail = client.get(reverse("powers:detail", args=[power.pk]))
    keeper = persona == "admin"
    assert power.name in listed and detail.status_code == 200
    assert (reverse("powers:create") in listed) is keeper
    assert (reverse("powers:update", args=[power.pk]) in detail.content.decode()) is keeper
    assert client.get(reverse("powers:create")).status_code == (200 if keeper else 403)
    assert client.get(reverse("powers:import")).status_code == (200 if keeper else 403)
    response = client.post(reverse("powers:withdraw", args=[power.pk]), {"reason": "职权调整"})
    assert response.status_code == (302 if keeper else 403)
    assert (Power.objects.get().withdrawn_on is not None) is keeper


def test_another_agencys_power_is_not_found(client, world):
    power = make_power(world.qiqihar)
    client.force_login(world.people.officer)
    assert client.get(reverse("powers:detail", args=[power.pk])).status_code == 404
    client.force_login(world.people.province_admin)
    assert client.get(reverse("powers:detail", args=[power.pk])).status_code == 200


def test_a_power_is_added_from_the_page_and_a_refusal_shows_the_form_again_in_chinese(client, world):
    client.force_login(world.people.admin)
    form = FIELDS | {"agency": world.harbin.pk, "published_on": "2026-01-05"}
    refused = client.post(reverse("powers:create"), form | {"basis": "没有引用"})
    assert refused.status_code == 200 and "请写明依据" in refused.content.decode() and not Power.objects.exists()
    response = client.post(reverse("powers:create"), form)
    power = Power.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("powers:detail", args=[power.pk])


@pytest.mark.parametrize(("persona", "status"), [("admin", 201), ("officer", 403), ("outsider", 400)])
def test_the_api_adds_a_power_for_its_keepers_only(world, persona, status):
    api = APIClient()
    api.force_authenticate(getattr(world.people, persona))
    body = FIELDS | {"agency": world.harbin.pk, "published_on": "2026-01-05"}
    response = api.post("/api/v1/powers/", body, format="json")
    assert response.status_code == status
    assert Power.objects.exists() is (status == 201)
    if status != 201:
        error = response.json()["error"]
        assert error["code"] in ("permission_denied", "validation_error") and error["message"]


def test_the_api_refuses_a_bad_power_naming_the_field_and_reads_what_hangs_on_it(world):
    api = APIClient()
    api.force_authenticate(world.people.admin)
    body = FIELDS | {"agency": world.harbin.pk, "published_on": "2026-01-05", "basis": "无"}
    response = api.post("/api/v1/powers/", body, format="json")
    assert response.status_code == 400 and "basis" in response.json()["error"]["fields"]
    power = make_power(world.harbin)
    item = make_item(power)
    detail = api.get(f"/api/v1/powers/{power.pk}/").json()
    assert detail["inspection_items"] == [{"id": item.pk, "code": item.code, "name": item.name}]
    assert detail["violations"] == [] and detail["review_rules"] == []
    response = api.post(f"/api/v1/powers/{power.pk}/withdraw", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
