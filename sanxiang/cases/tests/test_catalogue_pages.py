"""The violation catalogue and the agency's discretion benchmark in the workbench: every member of staff reads them,
the province's system administrators keep the shared catalogue, an agency's system administrators its benchmark
(copied from the one it inherits on its first change); bad input is refused in Chinese and leaves nothing behind."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sanxiang.cases import services
from sanxiang.cases.discretion import factors_for, own_or_inherited
from sanxiang.cases.models import DiscretionFactor, Violation
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.catalogue import FACTOR, NEW_VIOLATION


def _latest(action: str) -> dict:
    return entry_json(Entry.objects.filter(action=action).latest("index"))


@pytest.mark.parametrize("persona", ["officer", "reviewer", "clerk", "head", "admin", "province_admin"])
def test_every_member_of_staff_reads_the_catalogue_and_sees_only_the_links_they_may_use(client, world, persona):
    user = getattr(world.people, persona)
    client.force_login(user)
    page = client.get(reverse("cases:catalogue")).content.decode()
    assert "DQ-99" in page and "《大气污染防治法》第九十九条" in page
    assert (reverse("cases:violation-create") in page) is (persona == "province_admin")
    assert (reverse("cases:factor-add") in page) is (persona in ("admin", "province_admin"))
    menu = client.get(reverse("web:home")).content.decode()
    assert reverse("cases:catalogue") in menu and reverse("review:catalogue") in menu


@pytest.mark.parametrize(
    ("persona", "status"), [("province_admin", 302), ("admin", 403), ("head", 403), ("officer", 403)]
)
def test_only_the_provinces_system_administrators_add_a_violation(client, world, persona, status):
    client.force_login(getattr(world.people, persona))
    assert client.get(reverse("cases:violation-create")).status_code == (200 if status == 302 else 403)
    response = client.post(reverse("cases:violation-create"), NEW_VIOLATION)
    assert response.status_code == status
    assert Violation.objects.filter(code="TR-94").exists() is (status == 302)
    if status == 302:
        entry = _latest("violation.create")
        assert entry["data"]["public"] and entry["data"]["code"] == "TR-94" and entry["data"]["fine_max"] == "200000.00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fine_min": "300000"}, "fine_min"),  # above the maximum
        ({"fine_max": ""}, "fine_max"),  # a range fine without its maximum
        ({"fine_basis": "multiple"}, "multiple_min"),  # a multiple without its multiples
        ({"fine_basis": "none"}, "fine_basis"),  # no fine, yet amounts
        ({"start_percent": "120"}, "start_percent"),
        ({"code": "DQ-99"}, "code"),  # taken
        ({"basis": ""}, "basis"),
    ],
)
def test_a_violation_outside_the_law_is_refused_in_chinese(client, world, changes, field):
    client.force_login(world.people.province_admin)
    count = Violation.objects.count()
    response = client.post(reverse("cases:violation-create"), NEW_VIOLATION | changes)
    assert response.status_code == 200 and field in response.context["form"].errors
    message = " ".join(response.context["form"].errors[field])
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message
    assert Violation.objects.count() == count and not Entry.objects.filter(action="violation.create").exists()


def test_a_violation_is_corrected_with_its_old_and_new_range_in_the_ledger(client, world):
    air = Violation.objects.get(code="DQ-99")
    client.force_login(world.people.province_admin)
    form = client.get(reverse("cases:violation-update", args=[air.pk])).context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()} | {"start_percent": "15"}
    response = client.post(reverse("cases:violation-update", args=[air.pk]), data)
    assert response.status_code == 302
    air.refresh_from_db()
    assert air.start_percent == Decimal("15") and air.code == "DQ-99"
    facts = _latest("violation.update")["data"]
    assert (facts["start_percent"], facts["previous_start_percent"]) == ("15.00", "10.00")


@pytest.mark.parametrize(("persona", "status"), [("admin", 302), ("head", 403), ("officer", 403), ("reviewer", 403)])
def test_only_the_agencys_system_administrators_set_its_discretion_factors(client, world, persona, status):
    client.force_login(getattr(world.people, persona))
    response = client.post(reverse("cases:factor-add"), FACTOR)
    assert response.status_code == status
    names = [factor.name for factor in own_or_inherited(world.harbin)]
    assert ("污染面积" in names) is (status == 302)
    if status == 302:
        assert _latest("discretion_factor.add")["data"]["levels"] == ["一百平方米以下 0%", "一百平方米以上 15%"]


def test_the_first_change_copies_the_inherited_benchmark_which_stays_as_it_was(client, world):
    inherited = own_or_inherited(world.harbin)
    first = inherited[0]
    client.force_login(world.people.admin)
    edit = {"name": first.name, "levels": "轻微=0\n一般=5\n严重=20", "citation": "哈环规〔2026〕3号"}
    assert client.post(reverse("cases:factor-update", args=[first.pk]), edit).status_code == 302
    own = own_or_inherited(world.harbin)
    assert [factor.name for factor in own] == [factor.name for factor in inherited]
    assert {factor.agency_code for factor in own} == {"230100"}
    changed = own[0]
    assert [level["weight"] for level in changed.levels] == [0, 5, 20]
    assert DiscretionFactor.objects.get(pk=first.pk).levels == first.levels  # the default is untouched
    air = Violation.objects.get(code="DQ-99")
    assert changed in factors_for(air, world.daoli)  # the county applies its city's benchmark
    assert first in factors_for(air, world.qiqihar)
    client.post(reverse("cases:factor-add"), FACTOR)
    assert [factor.name for factor in own_or_inherited(world.harbin)][-1] == "污染面积"
    assert client.post(reverse("cases:factor-update", args=[first.pk]), edit).status_code == 404  # now a copy
    client.post(reverse("cases:factor-remove", args=[changed.pk]))
    assert first.name not in [factor.name for factor in own_or_inherited(world.harbin)]
    assert _latest("discretion_factor.remove")["data"]["public"]


@pytest.mark.parametrize(
    ("levels", "message"),
    [("只有一档=0", "至少两个情节档次"), ("轻微=0\n严重=120", "0 到 100"), ("轻微=0\n严重", "第 2 行")],
)
def test_bad_levels_are_refused_in_chinese_and_nothing_is_copied(client, world, levels, message):
    client.force_login(world.people.admin)
    response = client.post(reverse("cases:factor-add"), FACTOR | {"levels": levels})
    assert response.status_code == 200 and message in str(response.context["form"].errors)
    assert not DiscretionFactor.objects.filter(agency_code="230100").exists()


def test_another_agencys_factor_is_not_found(client, world):
    services.discretion_factor_add(
        actor=None,
        agency=world.qiqihar,
        name="齐市因素",
        levels=[("a", 0), ("b", 5)],
        citation="齐环规",
        violation=None,
    )
    theirs = DiscretionFactor.objects.get(name="齐市因素")
    client.force_login(world.people.admin)
    assert client.get(reverse("cases:factor-update", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("cases:factor-remove", args=[theirs.pk])).status_code == 404
    assert DiscretionFactor.objects.filter(pk=theirs.pk).exists()
