"""Every commit is covered by a signed checkpoint within LEDGER_CHECKPOINT_SECONDS, signed by the process that
made it: no background worker runs in any of these tests."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from sanxiang.agencies import services as agency_services
from sanxiang.ledger import cadence
from sanxiang.ledger.cadence import AfterCommit
from sanxiang.ledger.models import Checkpoint, LogHead
from sanxiang.ledger.selectors import checkpoint_due_in, unsigned_tail
from sanxiang.ledger.services import checkpoint_create, checkpoint_if_due
from sanxiang.testing.processes import run


class FakeTimer:
    """Stands in for threading.Timer: records what was armed, fires only when the test says so."""

    armed: list["FakeTimer"] = []

    def __init__(self, wait, function, kwargs):
        self.wait, self.function, self.kwargs, self.alive = wait, function, kwargs, False
        FakeTimer.armed.append(self)

    def start(self):
        self.alive = True

    def is_alive(self):
        return self.alive

    def cancel(self):
        self.alive = False

    def fire(self):
        self.alive = False
        self.function(**self.kwargs)


@pytest.fixture
def timer(settings, monkeypatch):
    settings.LEDGER_CHECKPOINT_TIMER = True
    settings.LEDGER_CHECKPOINT_SECONDS = 60
    FakeTimer.armed = []
    monkeypatch.setattr(cadence.threading, "Timer", FakeTimer)
    monkeypatch.setattr(cadence, "_timer", None)
    monkeypatch.setattr(cadence, "_exit_hook", lambda: None)  # no atexit registration from a test
    monkeypatch.setattr(cadence.connections, "close_all", lambda: None)  # the test's own connection stays open
    return FakeTimer


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the block, as a commit would. The fixtures wrote their entries in the same
    test transaction, whose pending callback would stand for the block's (one per transaction): drop it."""
    connection.run_on_commit[:] = [item for item in connection.run_on_commit if not isinstance(item[1], AfterCommit)]
    return lambda: django_capture_on_commit_callbacks(execute=True)


def suspend(world, certificate="partner"):
    return agency_services.certificate_suspend(
        actor=None, certificate=getattr(world.certificates, certificate), reason="调查"
    )


def test_the_first_commit_is_signed_as_soon_as_it_commits(world, commits):
    Checkpoint.objects.all().delete()  # the fixtures' own commits were never signed in the test transaction
    with commits():
        suspend(world)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.size == LogHead.objects.get().size and unsigned_tail() is None


def test_a_commit_soon_after_a_checkpoint_is_signed_when_the_bound_has_passed(world, timer, commits):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = checkpoint_create()
        clock.shift(dt.timedelta(seconds=20))
        with commits():
            suspend(world)
            suspend(world, "officer")
        assert Checkpoint.objects.count() == 1 and unsigned_tail()["count"] == 2
        [armed] = timer.armed  # one timer for the transaction's two entries, due when the checkpoint turns 60 s
        assert armed.wait == pytest.approx(40)
        clock.shift(dt.timedelta(seconds=40))
        armed.fire()
    latest = Checkpoint.objects.order_by("-size").first()
    assert latest.size == first.size + 2 == LogHead.objects.get().size and unsigned_tail() is None


def test_a_commit_while_a_timer_is_armed_asks_the_database_nothing_and_is_signed_by_it(
    world, timer, commits, django_assert_num_queries
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        checkpoint_create()
        clock.shift(dt.timedelta(seconds=20))
        with commits():
            suspend(world)
        [armed] = timer.armed
        suspend(world, "officer")
        with django_assert_num_queries(0):
            AfterCommit(checkpoint_due_in, checkpoint_create)()
        assert timer.armed == [armed] and unsigned_tail()["count"] == 2
        clock.shift(dt.timedelta(seconds=40))
        armed.fire()
    assert unsigned_tail() is None


def test_a_rolled_back_transaction_asks_for_no_checkpoint(world, timer, commits):
    checkpoint_create()
    with commits() as callbacks:
        try:
            with transaction.atomic():
                suspend(world)
                raise RuntimeError("abandoned")
        except RuntimeError:
            pass
    assert callbacks == [] and timer.armed == [] and unsigned_tail() is None


def test_a_timer_that_finds_a_newer_checkpoint_waits_for_the_new_due_time(world, timer):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        checkpoint_create()
        suspend(world)
        cadence.sign_later(60, due_in=checkpoint_due_in, sign=checkpoint_create)
        clock.shift(dt.timedelta(seconds=30))
        checkpoint_create()  # another process signed meanwhile
        suspend(world, "officer")
        clock.shift(dt.timedelta(seconds=30))
        timer.armed[0].fire()
        assert len(timer.armed) == 2 and timer.armed[1].wait == pytest.approx(30)
        assert unsigned_tail()["count"] == 1


def test_the_backstop_task_signs_only_when_entries_are_unsigned_and_the_bound_passed(world):
    checkpoint_create()
    assert checkpoint_if_due() is None  # nothing unsigned
    suspend(world)
    assert checkpoint_if_due(now=timezone.now()) is None  # too soon after the last one
    later = checkpoint_if_due(now=timezone.now() + dt.timedelta(seconds=61))
    assert later.size == LogHead.objects.get().size


def test_a_process_without_the_worker_leaves_every_commit_signed(fresh_database):
    """`sanxiang shell` stands for any process that serves without --with-worker: the first commit is signed at
    once, the second (inside the bound) by the timer the process arms, here as the process exits."""
    env = fresh_database
    run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", TWO_COMMITS)
    report = json.loads(run(env, "-m", "sanxiang", "ledger", "verify", "--json"))
    assert report["ok"] and report["size"] == 2 and report["tail"] is None, report


TWO_COMMITS = (
    "from django.db import transaction\n"
    "from sanxiang.ledger.services import ledger_append\n"
    "for n in range(2):\n"
    "    with transaction.atomic():\n"
    "        ledger_append(actor=None, agency='', action='test.append', subject=('test.thing', str(n)))\n"
)


def test_a_checkpoint_dated_ahead_by_another_clock_never_delays_signing_past_the_bound(world):
    checkpoint_create()
    suspend(world)
    assert checkpoint_due_in(now=timezone.now() - dt.timedelta(hours=3)) == pytest.approx(60)
