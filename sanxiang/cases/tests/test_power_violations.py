"""挂接: an agency hangs violations of the shared catalogue on its penalty powers, and a case of the agency names the
power it is exercised under through its violation; the review catalogue's lines hang on powers too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.cases import services
from sanxiang.cases.models import Violation
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.powers.models import PowerKind
from sanxiang.review.models import ReviewRule
from sanxiang.review.services import review_rule_add
from sanxiang.testing.cases import open_case
from sanxiang.testing.catalogues import make_power


def test_a_case_names_the_power_of_its_agency_its_violation_hangs_on(client, world):
    harbin = make_power(world.harbin, PowerKind.PENALTY, name="对超标排放大气污染物的处罚")
    qiqihar = make_power(world.qiqihar, PowerKind.PENALTY, name="齐齐哈尔的同类事项")
    violation = Violation.objects.get(code="DQ-99")
    services.power_violations_set(actor=world.people.admin, power=harbin, violations=[violation])
    services.power_violations_set(actor=None, power=qiqihar, violations=[violation])
    data = entry_json(Entry.objects.filter(action="power.violations").earliest("index"))["data"]
    assert data["violations"] == ["DQ-99"] and data["previous_violations"] == []
    assert Entry.objects.filter(action="power.violations", public=True).count() == 2
    case = open_case(world)
    client.force_login(world.people.officer)
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert reverse("powers:detail", args=[harbin.pk]) in page and "齐齐哈尔的同类事项" not in page
    power_page = client.get(reverse("powers:detail", args=[harbin.pk])).content.decode()
    assert violation.name in power_page


def test_a_case_whose_violation_hangs_on_no_power_of_its_agency_says_so(client, world):
    case = open_case(world)
    client.force_login(world.people.officer)
    assert "尚无挂接该违法行为的处罚事项" in client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()


def test_only_penalty_powers_in_force_take_violations_and_only_from_their_keepers(world):
    violation = Violation.objects.get(code="DQ-99")
    inspection = make_power(world.harbin, PowerKind.INSPECTION)
    with pytest.raises(ValidationError):
        services.power_violations_set(actor=world.people.admin, power=inspection, violations=[violation])
    penalty = make_power(world.harbin, PowerKind.PENALTY)
    with pytest.raises(PermissionDenied):
        services.power_violations_set(actor=world.people.officer, power=penalty, violations=[violation])
    assert not penalty.violations.exists() and not Entry.objects.filter(action="power.violations").exists()


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("officer", 403), ("outsider", 404)])
def test_the_page_and_api_hang_violations_for_keepers_only(client, world, persona, status):
    power = make_power(world.harbin, PowerKind.PENALTY)
    violation = Violation.objects.get(code="DQ-99")
    client.force_login(getattr(world.people, persona))
    assert client.get(reverse("cases:power-violations", args=[power.pk])).status_code == status
    api = APIClient()
    api.force_authenticate(getattr(world.people, persona))
    response = api.post(f"/api/v1/powers/{power.pk}/violations", {"violations": [violation.pk]}, format="json")
    assert response.status_code == status
    assert list(power.violations.values_list("code", flat=True)) == (["DQ-99"] if status == 200 else [])


def test_a_review_line_hangs_on_a_penalty_or_coercion_power_of_its_agency(client, world):
    penalty = make_power(world.harbin, PowerKind.PENALTY, name="对超标排放的处罚")
    licence = make_power(world.harbin, PowerKind.LICENSING)
    other = make_power(world.qiqihar, PowerKind.PENALTY)
    for wrong in (licence, other):
        with pytest.raises(ValidationError) as error:
            review_rule_add(
                actor=world.people.admin,
                agency=world.harbin,
                kind="hearing",
                value="",
                description="听证",
                citation="《行政处罚法》第五十八条",
                power=wrong,
            )
        assert "power" in error.value.message_dict
    rule = review_rule_add(
        actor=world.people.admin,
        agency=world.harbin,
        kind="hearing",
        value="",
        description="经过听证程序的",
        citation="《行政处罚法》第五十八条",
        power=penalty,
    )
    assert (
        rule.power == penalty
        and entry_json(Entry.objects.filter(action="review_rule.add").latest("index"))["data"]["power"] == penalty.code
    )
    assert ReviewRule.objects.filter(agency_code=world.harbin.code, power__isnull=True).exists()  # the copied lines
    client.force_login(world.people.officer)
    catalogue = client.get(reverse("review:catalogue")).content.decode()
    assert reverse("powers:detail", args=[penalty.pk]) in catalogue
    assert "经过听证程序的" in client.get(reverse("powers:detail", args=[penalty.pk])).content.decode()
