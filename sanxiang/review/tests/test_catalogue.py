"""The catalogue of major decisions that need legal review (法制审核目录清单), as agency data: which lines a case
meets, a city's own list replacing the province's, and the command that builds one."""

from decimal import Decimal

import pytest

from sanxiang.cases.models import PartyKind
from sanxiang.powers.models import PowerKind
from sanxiang.review.catalogue import catalogue_for, review_reasons
from sanxiang.review.models import ReviewRule
from sanxiang.testing.cases import make_party, open_case
from sanxiang.testing.catalogues import make_power


@pytest.mark.parametrize(
    ("kind", "fine", "kinds", "expected"),
    [
        (PartyKind.LEGAL_PERSON, "199999", ["fine"], set()),
        (PartyKind.LEGAL_PERSON, "200000", ["fine"], {"fine_organisation"}),
        (PartyKind.NATURAL_PERSON, "5000", ["fine"], {"fine_citizen"}),
        (PartyKind.LEGAL_PERSON, "20000", ["fine", "revoke_licence"], {"penalty_kind"}),
    ],
)
def test_the_review_catalogue_rules(world, kind, fine, kinds, expected):
    extra = {"uscc": "", "id_number": "11010519491231002X"} if kind == PartyKind.NATURAL_PERSON else {}
    party = make_party(world.harbin, kind=kind, **extra)
    case = open_case(world, party=party)
    case.proposed_kinds, case.proposed_fine = kinds, Decimal(fine)
    assert {reason["kind"] for reason in review_reasons(case)} == expected


def test_a_city_catalogue_replaces_the_provinces(world):
    ReviewRule.objects.create(
        agency_code="230100",
        kind="fine_organisation",
        value="50000",
        description="对法人罚款五万元以上",
        citation="哈尔滨市重大执法决定法制审核目录清单",
    )
    assert [rule.description for rule in catalogue_for(world.daoli)] == ["对法人罚款五万元以上"]
    assert len(catalogue_for(world.qiqihar)) == 15


def test_an_agency_builds_its_own_catalogue_from_the_command_line(world):
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "catalogue",
        "--agency",
        "230100",
        "review-add",
        "fine_organisation",
        "--value",
        "50000",
        "--description",
        "对法人罚款五万元以上",
        "--citation",
        "哈尔滨市重大执法决定法制审核目录清单第二项",
        stdout=StringIO(),
    )
    lines = catalogue_for(world.harbin)
    assert len(lines) == 16 and all(line.agency_code == "230100" for line in lines)  # copied, then extended
    assert len(catalogue_for(world.qiqihar)) == 15
    out = StringIO()
    call_command(
        "catalogue",
        "--agency",
        "230100",
        "factor-add",
        "超标倍数",
        "--level",
        "0.5倍以下=5",
        "--level",
        "0.5—1倍=15",
        "--citation",
        "哈尔滨市裁量基准",
        "--violation",
        "DQ-99",
        stdout=out,
    )
    call_command("catalogue", "--agency", "230100", "factors", "DQ-99", stdout=out)
    assert "超标倍数\t0.5倍以下=5; 0.5—1倍=15" in out.getvalue()


def test_a_licence_line_is_added_from_the_command_line_under_a_licensing_power(world):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    power = make_power(world.harbin, PowerKind.LICENSING, code="XK-PW-01")
    line = ["catalogue", "--agency", "230100", "review-add", "licence", "--description", "作出排污许可决定"]
    line += ["--citation", "哈环规〔2026〕5号"]
    for missing in ([], ["--power", "XK-NONE"]):
        with pytest.raises(CommandError, match="行政许可事项|没有该执法事项"):
            call_command(*line, *missing, stdout=StringIO())
    call_command(*line, "--power", power.code, stdout=StringIO())
    assert [rule.power for rule in catalogue_for(world.harbin) if rule.kind == ReviewRule.Kind.LICENCE] == [power]
