"""查封、扣押 is decided in a case of its own: proposed by officers, legally reviewed as the catalogue's coercive measure
(the same gate as any decision), approved by the head and carried out with its camera record; an emergency seizure
is carried out first and must be reviewed and approved within 24 hours, or lifted — the case says which."""

import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import Case, CaseKind, Seizure, Stage
from sanxiang.documents.models import Document
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import at, open_case, walk
from sanxiang.testing.checks import refused
from sanxiang.testing.measures import SEIZED, propose, record, seizure
from sanxiang.testing.reviews import pass_review

TZ = dt.timezone(dt.timedelta(hours=8))
NINE = dt.datetime(2026, 9, 8, 9, tzinfo=TZ)


def filed(world):
    return walk(world, open_case(world), "filed")


def decide(world, case, person=None):
    return services.case_decide(actor=person or world.people.head, case=case, outcome="measure")


def test_a_seizure_is_proposed_reviewed_approved_and_carried_out(world):
    case = filed(world)
    refused("seizure_too_long", lambda: propose(world, case, days=31))
    proposed = propose(world, case)
    assert (proposed.kind, proposed.origin, proposed.stage) == (CaseKind.SEIZURE, case, Stage.DECIDING)
    assert any(reason["kind"] == "coercive" for reason in proposed.review_reasons)
    seizure_row = proposed.seizures.get()
    assert seizure_row.started_on is None and not Document.objects.filter(doc_type="seizure_decision").exists()
    with at(SEIZED):
        refused("legal_review_required", lambda: decide(world, proposed))
        record(world, case)  # the grounds and the act filmed on the case that found the violation
        pass_review(world, proposed)
        refused("head_approval_required", lambda: decide(world, proposed, world.people.officer))
        proposed = decide(world, proposed)
    seizure_row.refresh_from_db()
    assert proposed.stage == Stage.DECIDED and seizure_row.approved_by == world.people.head
    assert (seizure_row.started_on, seizure_row.ends_on) == (SEIZED, dt.date(2026, 10, 8))
    assert seizure_row.recordings.exists() and proposed.decision_number.startswith("哈环封〔2026〕")
    assert Publication.objects.get(case=proposed).kind == "coercive"


def test_the_camera_record_is_required_before_it_is_carried_out(world):
    proposed = propose(world, filed(world))
    with at(SEIZED):
        pass_review(world, proposed)
        refused("audiovisual_required", lambda: decide(world, proposed))
    assert proposed.seizures.get().started_on is None


def test_an_extended_seizure_is_extended_once_and_its_release_ends_the_case(world):
    case = filed(world)
    record(world, case)
    sealed = seizure(world, case)
    with at(dt.date(2026, 10, 5)):
        sealed = services.seizure_extend(actor=world.people.head, seizure=sealed, days=30, reason="需检测鉴定")
        refused(
            "seizure_extended_twice",
            lambda: services.seizure_extend(actor=world.people.head, seizure=sealed, days=10, reason="再延长"),
        )
    assert sealed.ends_on == dt.date(2026, 11, 9)  # thirty days end on Saturday 7 November: moved to Monday
    with at(dt.date(2026, 10, 20)):
        services.seizure_release(
            actor=world.people.officer, seizure=sealed, released_on=dt.date(2026, 10, 20), reason="已完成整改"
        )
    assert Case.objects.get(pk=sealed.case_id).stage == Stage.CLOSED
    assert Document.objects.filter(doc_type="seizure_release", subject_id=str(sealed.pk)).exists()


def emergency(world, case):
    record(world, case)
    return propose(world, case, emergency=True, started_at=NINE)


def test_an_emergency_seizure_takes_effect_at_once_and_is_approved_after_review_within_24_hours(world, client):
    proposed = emergency(world, filed(world))
    seizure_row = proposed.seizures.get()
    assert proposed.stage == Stage.DECIDING and seizure_row.started_on == SEIZED
    assert Document.objects.filter(doc_type="seizure_decision", subject_id=str(seizure_row.pk)).exists()
    client.force_login(world.people.head)
    with at(SEIZED, hour=15):
        page = client.get(f"/workbench/cases/{proposed.pk}/").content.decode()
        assert "须于 2026-09-09 09:00 前经法制审核并由负责人补办批准" in page
        refused("legal_review_required", lambda: decide(world, proposed))
        pass_review(world, proposed)
        proposed = decide(world, proposed)
    seizure_row.refresh_from_db()
    assert proposed.stage == Stage.DECIDED and seizure_row.approved_by == world.people.head
    assert "补办批准" in client.get(f"/workbench/cases/{proposed.pk}/").content.decode()


def test_an_emergency_seizure_not_approved_within_24_hours_must_be_lifted(world, client):
    proposed = emergency(world, filed(world))
    late = dt.date(2026, 9, 9)
    with at(late, hour=10):
        pass_review(world, proposed)
        error = refused("emergency_report_late", lambda: decide(world, proposed))
        assert "应当立即解除" in error.messages[0] and "第十九条" in error.messages[0]
        services.seizure_release(
            actor=world.people.officer,
            seizure=proposed.seizures.get(),
            released_on=late,
            reason="未在二十四小时内补办批准手续",
        )
    assert Case.objects.get(pk=proposed.pk).stage == Stage.CLOSED
    client.force_login(world.people.head)
    assert "未在二十四小时内补办批准手续，已解除" in client.get(f"/workbench/cases/{proposed.pk}/").content.decode()


def test_an_emergency_seizure_is_filmed(world):
    case = filed(world)
    refused("audiovisual_required", lambda: propose(world, case, emergency=True, started_at=NINE))
    assert not Case.objects.filter(kind=CaseKind.SEIZURE).exists() and not Seizure.objects.exists()


@pytest.mark.parametrize("move", ["notify", "serve"])
def test_a_seizure_case_takes_no_step_of_the_penalty_procedure(world, move):
    proposed = propose(world, filed(world))
    call = {
        "notify": lambda: services.case_notify(actor=world.people.officer, case=proposed, served_on=SEIZED),
        "serve": lambda: services.case_serve(
            actor=world.people.officer, case=proposed, method="direct", served_on=SEIZED
        ),
    }[move]
    with at(SEIZED):
        error = refused("invalid_transition", call)
    assert "查封、扣押案件不能" in error.messages[0] or "阶段" in error.messages[0]
