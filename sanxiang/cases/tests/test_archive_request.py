"""An archive request handed to the background worker: asked for once while it runs, asked for again once it has
gone stale (a worker killed mid-packing), and archived once however many times the work runs."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.cases import hooks, services, tasks
from sanxiang.cases.models import Case, Stage
from sanxiang.ledger.models import Entry
from sanxiang.testing.cases import DISCOVERED, at, open_case

DIGEST = "ab" * 32


@pytest.fixture
def ended_case(world):
    """A clue not filed: archivable at once, with no document to render as PDF."""
    case = open_case(world)
    with at(DISCOVERED):
        return services.case_not_file(actor=world.people.head, case=case, reason="不属于环境违法行为")


@pytest.fixture
def packed(monkeypatch):
    """The evidence app's packer, counted, without LibreOffice."""
    calls = []

    def pack(*, case):
        calls.append(case.pk)
        return DIGEST

    monkeypatch.setattr(hooks.case_file_packer, "_handlers", [pack])
    return calls


@pytest.fixture
def queued(monkeypatch):
    jobs = []
    monkeypatch.setattr(tasks, "archive_case_file", lambda *args: jobs.append(args))
    return jobs


def test_a_stale_archive_request_is_offered_and_queued_again(client, world, ended_case, queued, settings):
    settings.ARCHIVE_REQUEST_STALE_AFTER = dt.timedelta(minutes=60)
    client.force_login(world.people.clerk)
    page = reverse("cases:case-detail", args=[ended_case.pk])
    action = reverse("cases:case-action", args=[ended_case.pk, "archive"])
    with at(DISCOVERED + dt.timedelta(days=1), hour=9):
        assert client.post(action, {"version": ended_case.version}).status_code == 302
        asked = Case.objects.get(pk=ended_case.pk).archive_requested_at
    with at(DISCOVERED + dt.timedelta(days=1), hour=9) as clock:
        clock.shift(dt.timedelta(minutes=59))
        assert action not in client.get(page).content.decode()
        services.case_file_archive(actor=world.people.clerk, case=ended_case)
        assert len(queued) == 1 and Case.objects.get(pk=ended_case.pk).archive_requested_at == asked
        clock.shift(dt.timedelta(minutes=2))  # the worker never came back
        body = client.get(page).content.decode()
        assert action in body and "正在归档" not in body
        assert client.post(action, {"version": ended_case.version}).status_code == 302
    case = Case.objects.get(pk=ended_case.pk)
    assert len(queued) == 2 and case.archive_requested_at > asked and case.stage == Stage.NOT_FILED


def test_the_archive_job_run_twice_archives_once(world, ended_case, queued, packed):
    with at(DISCOVERED + dt.timedelta(days=1)):
        services.case_file_archive(actor=world.people.clerk, case=ended_case)
        first = services.case_file_pack_and_archive(
            actor=world.people.clerk, case=ended_case, version=ended_case.version
        )
        again = services.case_file_pack_and_archive(
            actor=world.people.clerk, case=ended_case, version=ended_case.version
        )
    assert first.stage == again.stage == Stage.ARCHIVED and again.archive_sha256 == DIGEST
    assert packed == [ended_case.pk]
    assert Entry.objects.filter(action="case.archive", subject_id=str(ended_case.pk)).count() == 1


def test_a_job_that_finds_the_case_archived_after_packing_leaves_it(world, ended_case, queued, monkeypatch):
    """The first worker was slow, not dead: it archives while the second packs; the second changes nothing."""

    def pack_while_the_other_finishes(*, case):
        services.case_archive(actor=world.people.clerk, case=case, bag_sha256=DIGEST)
        return "cd" * 32

    monkeypatch.setattr(hooks.case_file_packer, "_handlers", [pack_while_the_other_finishes])
    with at(DISCOVERED + dt.timedelta(days=1)):
        case = services.case_file_pack_and_archive(actor=world.people.clerk, case=ended_case)
    assert case.stage == Stage.ARCHIVED and case.archive_sha256 == DIGEST
    assert Entry.objects.filter(action="case.archive", subject_id=str(ended_case.pk)).count() == 1
