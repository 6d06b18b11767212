"""Hooks and registries: a lower app's way to have a higher one act without importing it. Each hook is tried on its
own, then the three the case procedure declares, in the transaction of the step that calls them."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from sanxiang.cases import hooks as case_hooks
from sanxiang.cases.models import Case, Stage
from sanxiang.core import hooks
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at, open_case, walk


@pytest.fixture
def declared(monkeypatch):
    """The index of hooks and registries, restored after the test."""
    monkeypatch.setattr(hooks, "_DECLARED", dict(hooks._DECLARED))


def test_a_hook_calls_every_handler_in_order_with_the_callers_arguments(declared):
    hook = hooks.hook("test.called", doc="")
    hook.register(lambda **kwargs: ("first", kwargs))
    hook.register(lambda **kwargs: ("second", kwargs))
    assert hook(case=1) == [("first", {"case": 1}), ("second", {"case": 1})]


def test_registering_the_same_handler_twice_calls_it_once(declared):
    hook, handler = hooks.hook("test.once", doc=""), lambda: "done"
    hook.register(handler)
    hook.register(handler)
    assert hook() == ["done"]


def test_a_required_hook_without_a_handler_is_an_installation_error(declared):
    with pytest.raises(ImproperlyConfigured, match="has no handler"):
        hooks.hook("test.nobody", doc="")()
    assert hooks.hook("test.optional", doc="", required=False)() == []


def test_a_single_hook_takes_one_provider_only(declared):
    hook = hooks.hook("test.gate", doc="", single=True)
    with pytest.raises(ImproperlyConfigured):
        hook.provider  # noqa: B018 - reading it is the test
    first = object()
    hook.register(first)
    with pytest.raises(ImproperlyConfigured, match="already has its provider"):
        hook.register(object())
    assert hook.provider is first
    with pytest.raises(TypeError):
        hook()


def test_a_name_is_declared_once(declared):
    hooks.registry("test.twice", doc="")
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        hooks.hook("test.twice", doc="")


def test_a_registry_refuses_a_key_claimed_with_another_value(declared):
    table = hooks.registry("test.labels", doc="")
    table.register({"case.file": "立案"})
    table.register({"case.file": "立案"})  # the same again changes nothing
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        table.register({"case.file": "不予立案"})
    assert dict(table) == {"case.file": "立案"}


def test_every_hook_that_needs_a_handler_has_one_once_the_apps_are_ready():
    missing = [
        hook.name for hook in hooks.declared() if isinstance(hook, hooks.Hook) and hook.required and not hook.handlers
    ]
    assert missing == []
    assert {hook.name for hook in hooks.declared() if isinstance(hook, hooks.Hook)} >= {
        "cases.decision_issued",
        "cases.case_file_packer",
        "cases.review_gate",
    }


def test_a_decision_whose_publication_record_fails_is_not_made_at_all(world, monkeypatch):
    case = walk(world, open_case(world), "reconsidered")
    size = Entry.objects.count()

    def broken(**kwargs):
        raise DatabaseError("publicity is down")

    monkeypatch.setattr(case_hooks.decision_issued, "_handlers", [broken])
    with at(DECIDED), pytest.raises(DatabaseError):
        walk(world, case, "decided", after="reconsidered")
    case.refresh_from_db()
    assert case.stage == Stage.DECIDING and not case.decision_number
    assert Entry.objects.count() == size and not Publication.objects.exists()


def test_the_decision_tells_the_apps_above_what_was_decided(world, monkeypatch):
    heard = []
    monkeypatch.setattr(case_hooks.decision_issued, "_handlers", [lambda **facts: heard.append(facts)])
    case = walk(world, open_case(world), "decided")
    [facts] = heard
    assert facts["case"] == case and facts["document"].number == case.decision_number
    assert facts["kinds"] == ["fine"] and facts["fine"] == case.decided_fine and facts["actor"] == world.people.head


def test_archiving_records_the_hash_of_the_package_the_packer_made(world, monkeypatch):
    from sanxiang.cases import services

    case = open_case(world)
    with at(dt.date(2026, 9, 2)):
        case = services.case_not_file(actor=world.people.head, case=case, reason="不属于本机关管辖")
    packed = []
    monkeypatch.setattr(case_hooks.case_file_packer, "_handlers", [lambda *, case: packed.append(case.pk) or "ab" * 32])
    with at(dt.date(2026, 9, 3)):
        archived = services.case_file_archive(actor=world.people.clerk, case=case)
    assert packed == [case.pk] and archived.stage == Stage.ARCHIVED and archived.archive_sha256 == "ab" * 32
    data = entry_json(Entry.objects.filter(action="case.archive", subject_id=str(case.pk)).get())["data"]
    assert data["sha256"] == "ab" * 32 and data["previous_stage"] == Stage.NOT_FILED


def test_without_a_review_gate_no_decision_is_made(world, monkeypatch):
    case = walk(world, open_case(world), "reconsidered")
    monkeypatch.setattr(case_hooks.review_gate, "_handlers", [])
    with at(DECIDED), pytest.raises(ImproperlyConfigured):
        walk(world, case, "decided", after="reconsidered")
    assert Case.objects.get(pk=case.pk).stage == Stage.DECIDING
