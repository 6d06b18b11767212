"""Discretion calculator and statutory ranges, as agency data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanxiang.cases import services
from sanxiang.cases.discretion import calculate, factors_for
from sanxiang.cases.gates import fine_in_range
from sanxiang.cases.models import DiscretionFactor, Violation
from sanxiang.core.errors import RuleViolation
from sanxiang.review.catalogue import review_reasons
from sanxiang.testing.cases import at, open_case, walk


def test_the_seed_catalogue_holds_the_25_common_violations_with_their_ranges(db):
    assert Violation.objects.count() == 25
    air = Violation.objects.get(code="DQ-99")
    assert (air.fine_min, air.fine_max, air.basis) == (
        Decimal("100000"),
        Decimal("1000000"),
        "《大气污染防治法》第九十九条",
    )


def test_the_calculator_adds_weights_to_the_start_and_scales_the_maximum(world):
    air = Violation.objects.get(code="DQ-99")
    factors = {factor.name: factor for factor in factors_for(air, world.harbin)}
    choices = {
        str(factors["违法行为的具体方式或手段"].pk): 0,
        str(factors["违法行为危害的具体对象"].pk): 1,  # sensitive area +10
        str(factors["初犯或再犯"].pk): 1,  # once within a year +10
        str(factors["环境污染或生态破坏程度及社会影响"].pk): 1,  # general +10
    }
    result = calculate(air, world.harbin, choices)
    assert result["percent"] == "40.00" and result["fine"] == "400000"  # 10 + 10 + 10 + 10 = 40 % of 100万


def test_the_calculator_never_leaves_the_statutory_range(world):
    small = Violation.objects.get(code="DQ-117")  # 1万–10万
    assert calculate(small, world.harbin, {})["fine"] == "10000"  # 10 % of 10万 = 1万, the minimum
    everything = {str(factor.pk): len(factor.levels) - 1 for factor in factors_for(small, world.harbin)}
    assert calculate(small, world.harbin, everything)["fine"] == "100000"  # capped at 100 %


def test_multiple_based_fines_need_their_base_and_keep_the_floor(world):
    eia = Violation.objects.get(code="HP-31A")  # 1 %–5 % of total investment
    with pytest.raises(ValidationError):
        calculate(eia, world.harbin, {})
    low, high = calculate(eia, world.harbin, {}, base=Decimal("20000000"))["range"]
    assert (Decimal(low), Decimal(high)) == (Decimal("200000"), Decimal("1000000"))
    waste = Violation.objects.get(code="GF-112B")  # 3–5 × disposal cost, not below 3 × 20万
    with pytest.raises(RuleViolation):
        fine_in_range(waste, Decimal("300000"), base=Decimal("100000"))


def test_an_agency_replaces_the_default_factors_with_its_own(world):
    air = Violation.objects.get(code="DQ-99")
    DiscretionFactor.objects.create(
        agency_code="230100",
        violation=air,
        name="超标倍数",
        order=0,
        citation="哈尔滨市生态环境局裁量基准",
        levels=[{"label": "0.5倍以下", "weight": 5}, {"label": "0.5—1倍", "weight": 15}],
    )
    assert [factor.name for factor in factors_for(air, world.harbin)] == ["超标倍数"]
    assert [factor.name for factor in factors_for(air, world.daoli)] == ["超标倍数"]  # counties inherit
    assert len(factors_for(air, world.qiqihar)) == 6


def test_a_fine_that_departs_from_the_calculation_needs_a_reason_and_flags_review(world):
    case = walk(world, open_case(world), "filed")
    discretion = {"fine": "400000", "lines": [], "percent": "40"}
    with at(dt.date(2026, 9, 20)):
        with pytest.raises(ValidationError) as error:
            services.case_submit(
                actor=world.people.officer,
                case=case,
                facts="事实",
                evidence="证据",
                basis="依据",
                kinds=["fine"],
                fine=Decimal("150000"),
                discretion=discretion,
            )
        assert "departure_reason" in error.value.message_dict
        case = services.case_submit(
            actor=world.people.officer,
            case=case,
            facts="事实",
            evidence="证据",
            basis="依据",
            kinds=["fine"],
            fine=Decimal("150000"),
            discretion=discretion,
            departure_reason="当事人主动消除危害后果，依法从轻（《行政处罚法》第三十二条）",
        )
    assert case.departs_from_benchmark
    assert any(reason["kind"] == "discretion" for reason in review_reasons(case))


def test_a_fine_outside_the_range_is_refused_at_submission(world):
    case = walk(world, open_case(world), "filed")
    with at(dt.date(2026, 9, 20)), pytest.raises(RuleViolation) as error:
        services.case_submit(
            actor=world.people.officer,
            case=case,
            facts="事实",
            evidence="证据",
            basis="依据",
            kinds=["fine"],
            fine=Decimal("50000"),
        )
    assert "第九十九条" in error.value.messages[0]
