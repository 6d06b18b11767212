"""A 个体工商户 is a natural person (《民法典》第五十四条): the amounts set for citizens apply to it — the simple
procedure's 200 yuan, the hearing's 5,000 yuan 较大数额, the review catalogue's 5,000 yuan — unless the agency's own
rule reads it as an organisation; the reading is named wherever the amount decides."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanxiang.agencies.services import rule_set
from sanxiang.cases.models import OnSitePenalty, PartyKind, Violation
from sanxiang.cases.tests.test_measures import onsite
from sanxiang.review.catalogue import review_reasons
from sanxiang.testing.cases import make_party, open_case, walk
from sanxiang.testing.checks import refused


@pytest.fixture
def shop(world):
    return make_party(world.harbin, kind=PartyKind.INDIVIDUAL_BUSINESS, name="道里区某某汽车修理部")


def read_as_organisation(world):
    rule_set(
        actor=None,
        key="party.individual_business_as_citizen",
        agency=world.harbin,
        value=0,
        citation="哈尔滨市生态环境局行政处罚裁量规定第八条",
    )


def dust_case(world, shop):
    """扬尘 (《大气污染防治法》第一百一十七条, 10,000–100,000 yuan): an individual business's typical case."""
    return open_case(world, party=shop, violation=Violation.objects.get(code="DQ-117"))


def test_an_on_the_spot_fine_above_200_yuan_is_refused_for_an_individual_business(world, shop):
    error = refused("simple_procedure_limit", lambda: onsite(world, shop, fine=Decimal("500")))
    assert "200" in error.messages[0] and "个体工商户按公民适用数额标准" in error.citation
    assert not OnSitePenalty.objects.exists()
    assert onsite(world, shop, fine=Decimal("200")).fine == Decimal("200")


def test_the_agencys_reading_restores_the_organisation_amounts(world, shop):
    read_as_organisation(world)
    assert onsite(world, shop, fine=Decimal("3000")).fine == Decimal("3000")


def test_ten_thousand_yuan_for_an_individual_business_gives_the_right_to_a_hearing(world, shop):
    case = walk(world, dust_case(world, shop), "notified", fine=Decimal("10000"))
    assert case.hearing_offered


def test_the_hearing_threshold_follows_the_agencys_reading(world, shop):
    read_as_organisation(world)
    case = walk(world, dust_case(world, shop), "notified", fine=Decimal("10000"))
    assert not case.hearing_offered


def test_the_review_catalogue_counts_an_individual_business_as_a_citizen(world, shop):
    case = open_case(world, party=shop)
    case.proposed_kinds, case.proposed_fine = ["fine"], Decimal("5000")
    [reason] = review_reasons(case)
    assert reason["kind"] == "fine_citizen" and "第五十四条" in reason["citation"]
    read_as_organisation(world)
    assert review_reasons(case) == []


def test_a_reading_is_yes_or_no(world):
    with pytest.raises(ValidationError) as error:
        rule_set(
            actor=None, key="party.individual_business_as_citizen", agency=world.harbin, value="0.5", citation="某规定"
        )
    assert "1（是）或 0（否）" in error.value.message_dict["value"][0]


def test_the_case_page_names_the_reading(world, shop, client):
    case = open_case(world, party=shop)
    client.force_login(world.people.officer)
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "个体工商户按公民适用数额标准" in page
