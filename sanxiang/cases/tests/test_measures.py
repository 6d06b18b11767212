"""The simple procedure and the coercive measures, each gate tried."""

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import OnSitePenalty, PartyKind
from sanxiang.core.errors import RuleViolation
from sanxiang.testing.cases import at, make_party

NOON = dt.datetime(2026, 9, 8, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def onsite(world, party, **overrides):
    values = {
        "officers": [world.people.officer, world.people.partner],
        "decided_at": NOON,
        "place": "松北区化工路",
        "facts": "露天焚烧废弃包装物",
        "basis": "《大气污染防治法》第一百一十九条",
        "kind": "fine",
    }
    values.update(overrides)
    with at(NOON.date(), hour=13):  # recorded the day it was decided
        return services.onsite_penalty_decide(actor=world.people.officer, agency=world.harbin, party=party, **values)


@pytest.mark.parametrize(
    ("kind", "fine", "allowed"),
    [
        (PartyKind.NATURAL_PERSON, "200", True),
        (PartyKind.NATURAL_PERSON, "201", False),
        (PartyKind.LEGAL_PERSON, "3000", True),
        (PartyKind.LEGAL_PERSON, "3000.01", False),
    ],
)
def test_the_simple_procedure_stops_at_200_and_3000_yuan(world, kind, fine, allowed):
    extra = {"uscc": "", "id_number": "11010519491231002X"} if kind == PartyKind.NATURAL_PERSON else {}
    party = make_party(world.harbin, kind=kind, **extra)
    if allowed:
        penalty = onsite(world, party, fine=Decimal(fine))
        assert penalty.number.startswith("哈环当罚〔2026〕")
    else:
        with pytest.raises(RuleViolation) as error:
            onsite(world, party, fine=Decimal(fine))
        assert error.value.code == "simple_procedure_limit" and "第五十一条" in error.value.messages[0]
        assert not OnSitePenalty.objects.exists()


def test_the_simple_procedure_also_needs_two_certified_officers(world):
    with pytest.raises(RuleViolation):
        onsite(world, make_party(world.harbin), officers=[world.people.officer], fine=Decimal("100"))
