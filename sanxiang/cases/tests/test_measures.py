"""The simple procedure and the coercive measures, each gate tried."""

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import OnSitePenalty, PartyKind, Seizure
from sanxiang.core.errors import RuleViolation
from sanxiang.testing.cases import at, make_party, open_case, walk
from sanxiang.testing.measures import record, seizure

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


def test_a_seizure_lasts_at_most_thirty_days_and_is_extended_once(world):
    case = walk(world, open_case(world), "filed")
    with pytest.raises(RuleViolation) as error:
        seizure(world, case)
    assert error.value.code == "audiovisual_required" and "112号" in error.value.messages[0]
    clip = record(world, case)
    with pytest.raises(RuleViolation) as error:
        seizure(world, case, days=31)
    assert "第二十五条" in error.value.messages[0]
    with pytest.raises(RuleViolation):
        seizure(world, case, approver=world.people.officer)  # not a head
    sealed = seizure(world, case)
    assert sealed.ends_on == dt.date(2026, 10, 8)
    clip.refresh_from_db()
    assert clip.seizure == sealed
    with at(dt.date(2026, 10, 5)):
        sealed = services.seizure_extend(actor=world.people.head, seizure=sealed, days=30, reason="需检测鉴定")
        with pytest.raises(RuleViolation):
            services.seizure_extend(actor=world.people.head, seizure=sealed, days=10, reason="再延长")
    assert sealed.ends_on == dt.date(2026, 11, 9)  # thirty days end on Saturday 7 November: moved to Monday
    with at(dt.date(2026, 10, 20)):
        sealed = services.seizure_release(
            actor=world.people.officer, seizure=sealed, released_on=dt.date(2026, 10, 20), reason="已完成整改"
        )
    assert sealed.released_on == dt.date(2026, 10, 20)


def test_an_emergency_seizure_must_be_reported_within_24_hours(world):
    case = walk(world, open_case(world), "filed")
    record(world, case)
    urgent = seizure(world, case, approver=None, emergency=True)
    late = dt.datetime(2026, 9, 10, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with pytest.raises(RuleViolation) as error:
        services.seizure_report_emergency(
            actor=world.people.officer, seizure=urgent, approver=world.people.head, reported_at=late
        )
    assert "第十九条" in error.value.messages[0]
    in_time = dt.datetime(2026, 9, 8, 22, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    urgent = services.seizure_report_emergency(
        actor=world.people.officer, seizure=urgent, approver=world.people.head, reported_at=in_time
    )
    assert Seizure.objects.get(pk=urgent.pk).approved_by == world.people.head
