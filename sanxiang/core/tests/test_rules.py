import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.core.models import Rule
from sanxiang.core.rules import deadline, rule
from sanxiang.core.rules_data import DEFAULT_RULES
from sanxiang.ledger.models import Entry


def test_every_default_rule_is_stored_with_a_citation(db):
    assert Rule.objects.filter(agency_code="").count() == len(DEFAULT_RULES)
    assert not Rule.objects.filter(citation="").exists()
    assert rule("hearing.request_workdays").citation == "《行政处罚法》第六十四条第一项、第八十五条"


def test_an_agency_sets_its_own_value_which_its_counties_inherit(world):
    call_command(
        "rules",
        "set",
        "hearing.large_fine_organisation",
        "100000",
        "--agency",
        "230100",
        "--citation",
        "《哈尔滨市生态环境行政处罚听证规定》第五条",
        stdout=StringIO(),
    )
    assert rule("hearing.large_fine_organisation", world.daoli).value == Decimal("100000")
    assert rule("hearing.large_fine_organisation", world.qiqihar).value == Decimal("200000")
    assert Entry.objects.filter(action="rule.set", public=True).exists()
    out = StringIO()
    call_command("rules", "list", "--agency", "230102", stdout=out)
    assert "hearing.large_fine_organisation\t100000 yuan\t230100" in out.getvalue()


def test_period_rules_run_through_the_calendar(db):
    # 8, 9, 10 (Saturday, adjusted), 12, 13 October
    assert deadline("hearing.request_workdays", dt.date(2026, 9, 30)).date == dt.date(2026, 10, 13)
    assert deadline("payment.days", dt.date(2026, 9, 20)).date == dt.date(2026, 10, 8)
    assert deadline("litigation.months", dt.date(2026, 8, 31)).date == dt.date(2027, 3, 1)


def test_a_local_value_needs_its_citation(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rules", "set", "payment.days", "20", "--agency", "230100", "--citation", " ")
