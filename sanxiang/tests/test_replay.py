"""The fixtures replayed from a recording (sanxiang.testing.replay) give what building them gives, and are built
again whenever the database is not in the state the recording was taken in."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import transaction

from sanxiang.agencies.models import Agency, User
from sanxiang.conftest import _build_world
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.verification import verify_log
from sanxiang.testing import replay
from sanxiang.testing.factories import make_agency


def _recorded(name: str, build) -> tuple:
    """Build and record `name` inside a savepoint rolled back after: the rows it wrote, and its value."""
    point = transaction.savepoint()
    value = replay.replayed(name, build)
    rows = replay._dump()
    transaction.savepoint_rollback(point)
    return rows, value


def test_a_replay_writes_the_rows_a_build_writes_and_the_ledger_verifies(db):
    replay._recordings.pop("probe", None)
    built_rows, built = _recorded("probe", _build_world)
    builds = []
    replayed = replay.replayed("probe", lambda: builds.append(1))
    assert builds == []  # replayed, not built
    assert replay._dump() == built_rows
    assert replayed.people.officer.pk == built.people.officer.pk and replayed.people.officer.full_name == "李明"
    assert isinstance(replayed.harbin, Agency) and replayed.harbin.parent_id == replayed.province.pk
    assert replayed.certificates.officer.holder_id == replayed.people.officer.pk
    assert User.objects.get(username="counsel").check_password("correct-horse-battery-42")
    assert Entry.objects.count() > 20
    assert verify_log(verifier=ledger_signer(create=True).verifier, origin=settings.LEDGER_ORIGIN).ok
    # the database keeps numbering after the replayed rows
    assert make_agency(code="230300").pk > max(Agency.objects.exclude(code="230300").values_list("pk", flat=True))


def test_a_database_not_in_the_recorded_state_is_built_afresh(db):
    replay._recordings.pop("probe", None)
    _recorded("probe", _build_world)
    make_agency(code="239900")  # written before the fixture: its ledger entry moves every later index
    world = replay.replayed("probe", _build_world)
    assert Agency.objects.filter(code__in=["230000", "230100", "230102", "230200", "239900"]).count() == 5
    assert world.harbin.code == "230100"
    assert verify_log(verifier=ledger_signer(create=True).verifier, origin=settings.LEDGER_ORIGIN).ok


def test_another_day_under_time_travel_is_built_afresh(db):
    replay._recordings.pop("probe", None)
    _recorded("probe", _build_world)
    builds = []
    with time_machine.travel(dt.datetime(2031, 5, 6, 10, tzinfo=dt.UTC)):
        replay.replayed("probe", lambda: builds.append(1))
    assert builds == [1]


def test_a_build_that_deletes_is_never_replayed(db):
    replay._recordings.pop("probe", None)
    victim = make_agency(code="239800")
    point = transaction.savepoint()
    replay.replayed("probe", lambda: Agency.objects.filter(pk=victim.pk).delete())
    transaction.savepoint_rollback(point)
    assert replay._recordings["probe"] is None
    builds = []
    replay.replayed("probe", lambda: builds.append(1))
    assert builds == [1]


def test_a_build_writing_a_table_without_an_integer_key_is_never_replayed(db):
    from sanxiang.core.models import CalendarDay, CalendarYear

    replay._recordings.pop("probe", None)
    point = transaction.savepoint()
    replay.replayed(
        "probe",
        lambda: CalendarDay.objects.create(
            date=dt.date(2199, 1, 1),
            calendar_year=CalendarYear.objects.create(year=2199, source="测试"),
            kind="holiday",
        ),
    )
    transaction.savepoint_rollback(point)
    assert replay._recordings["probe"] is None  # its rows are only counted: a day keyed by its date is not replayed


def test_a_fixture_holding_other_containers_of_models_is_refused(db):
    replay._recordings.pop("probe", None)
    with pytest.raises(TypeError, match="namespaces, dicts, lists and tuples"):
        replay.replayed("probe", lambda: {make_agency(code="239700")})


def test_a_replay_writes_the_search_index_rows_a_build_writes(db):
    """A party's registration indexes it (cases.search); a replayed build finds it as the built one did."""
    from sanxiang.cases.search import PARTIES
    from sanxiang.core.textindex import parse
    from sanxiang.testing.cases import make_party

    def build():
        return make_party(make_agency(code="230300", name="鸡西市生态环境局"), name="鸡西市恒山区示例煤矿")

    replay._recordings.pop("probe", None)
    built_rows, built = _recorded("probe", build)
    assert PARTIES.search(parse("恒山"), before=None, limit=5) == []  # rolled back
    builds = []
    replayed = replay.replayed("probe", lambda: builds.append(1))
    assert builds == [] and replay._dump() == built_rows
    assert PARTIES.search(parse("恒山区示例"), before=None, limit=5) == [replayed.pk] == [built.pk]
