"""Who may do what, from one table: each move of the case, inspection and on-the-spot machines names its roles, the
services refuse anyone else (403) and the workbench and API offer each step to exactly those roles. Every case
step is tried through both interfaces by every persona, inside and outside the agency; 查审分离: reviewers and
publicity clerks never create an enforcement record."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.cases import services
from sanxiang.cases.actions import WORKFLOW
from sanxiang.cases.models import Inspection, OnSitePenalty
from sanxiang.cases.services.base import CASE
from sanxiang.cases.services.onsite import ONSITE
from sanxiang.cases.services.parties import INSPECTION
from sanxiang.evidence.services import evidence_annotate, evidence_ingest
from sanxiang.testing.approvals import EMERGENCY
from sanxiang.testing.cases import at, make_party, open_case, walk
from sanxiang.testing.checks import refused

PERSONAS = ("officer", "reviewer", "counsel", "head", "clerk", "admin", "outsider")
# Moves that create or change an enforcement record: never a reviewer's or a publicity clerk's (查审分离).
ENFORCEMENT = {
    "open",
    "file",
    "preserve",
    "calculate_discretion",
    "submit",
    "notify",
    "statement",
    "waive",
    "request_hearing",
    "reconsider",
    "decide",
    "serve",
    "pay",
    "remind",
    "apply_court",
    "seize",
    "propose_seizure",
    "order_correction",
    "daily_penalty",
    "limit_production",
    "propose_closure",
}
# The one move the platform makes itself: the legal review's result, written by the review workflow.
PLATFORM_MOVES = {"record_review"}


def test_every_move_names_who_may_take_it_and_no_reviewer_or_clerk_creates_enforcement_records():
    for machine in (CASE, INSPECTION, ONSITE):
        for name, move in machine.moves.items():
            assert move.roles or name in PLATFORM_MOVES, f"{machine.prefix}.{name}"
    for name in ENFORCEMENT:
        assert not CASE.moves[name].roles & {"reviewer", "publicity_clerk"}, name
    for machine in (INSPECTION, ONSITE):
        assert all(not move.roles & {"reviewer", "publicity_clerk"} for move in machine.moves.values())


def test_the_interfaces_offer_each_case_step_to_the_roles_the_machine_accepts():
    for action in WORKFLOW:
        assert action.roles == CASE.moves[action.name].roles, action.name


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_case_step_answers_each_persona_as_the_table_says_through_api_and_workbench(client, world, persona):
    case = walk(world, open_case(world), "reconsidered")
    user = getattr(world.people, persona)
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)
    for action in WORKFLOW:
        allowed = bool(action.roles & user.roles)
        answers = (
            api.post(f"/api/v1/cases/{case.pk}/{action.name}", {}, format="json").status_code,
            client.post(reverse("cases:case-action", args=[case.pk, action.name]), {}).status_code,
        )
        if persona == "outsider":
            assert answers == (404, 404), action.name
        elif allowed:
            assert 403 not in answers and 500 not in answers, (action.name, answers)
        else:
            assert answers == (403, 403), (action.name, answers)


def test_a_service_refuses_a_role_its_move_does_not_name_and_writes_nothing(world):
    case = walk(world, open_case(world), "filed")
    for persona in ("reviewer", "clerk"):
        with at(dt.date(2026, 9, 20)), pytest.raises(PermissionDenied) as error:
            services.case_suspend(
                actor=getattr(world.people, persona), case=case, kind="monitoring", started_on=dt.date(2026, 9, 20)
            )
        assert "执法人员、负责人" in str(error.value) or "负责人、执法人员" in str(error.value)
    case.refresh_from_db()
    assert not case.suspensions.exists()


NOON = dt.datetime(2026, 9, 8, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.parametrize("persona", ["clerk", "reviewer", "counsel", "head"])
def test_only_an_officer_present_decides_on_the_spot_or_inspects(world, persona):
    actor = getattr(world.people, persona)
    party = make_party(world.harbin)
    officers = [world.people.officer, world.people.partner]
    with at(NOON.date(), hour=13), pytest.raises(PermissionDenied):
        services.onsite_penalty_decide(
            actor=actor,
            agency=world.harbin,
            party=party,
            officers=officers,
            decided_at=NOON,
            place="厂区门口",
            facts="露天焚烧",
            basis="《大气污染防治法》第一百一十九条",
            kind="fine",
            fine=Decimal("500"),
        )
    with at(NOON.date(), hour=13), pytest.raises(PermissionDenied):
        services.inspection_start(
            actor=actor, agency=world.harbin, party=party, place="厂区", started_at=NOON, officers=officers, **EMERGENCY
        )
    assert not OnSitePenalty.objects.exists() and not Inspection.objects.exists()


def test_an_officer_records_only_in_his_own_name(world):
    party = make_party(world.harbin)
    others = [world.people.partner, world.people.county_officer]
    start = services.inspection_start
    with at(NOON.date(), hour=13):
        refused(
            "not_acting_officer",
            lambda: start(
                actor=world.people.officer,
                agency=world.harbin,
                party=party,
                place="厂区",
                started_at=NOON,
                officers=others,
                **EMERGENCY,
            ),
        )
        inspection = start(
            actor=world.people.partner,
            agency=world.harbin,
            party=party,
            place="厂区",
            started_at=NOON,
            officers=others,
            **EMERGENCY,
        )
        refused(
            "not_acting_officer",
            lambda: services.inspection_complete(
                actor=world.people.officer,
                inspection=inspection,
                ended_at=NOON + dt.timedelta(minutes=30),
                findings="未见异常",
                violation_found=False,
                signature="signed",
            ),
        )


def test_only_those_taking_part_record_or_correct_evidence(world):
    case = walk(world, open_case(world), "filed")
    item = evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(b"clip"),
        original_name="录像.mp4",
        act="inspection",
        kind="video",
        recorded_by=world.people.officer,
        case=case,
        description="现场检查录像",
    )
    for persona in ("clerk", "reviewer", "county_officer"):
        with pytest.raises(PermissionDenied):
            evidence_annotate(actor=getattr(world.people, persona), item=item, description="改写", reason="试图改写")
        with pytest.raises(PermissionDenied):
            evidence_ingest(
                actor=getattr(world.people, persona),
                source=io.BytesIO(b"other"),
                original_name="其他.mp4",
                act="inspection",
                kind="video",
                recorded_by=getattr(world.people, persona),
                case=case,
                description="他人录像",
            )
    evidence_annotate(actor=world.people.head, item=item, description="补充说明", reason="负责人补正")
    assert item.annotations.count() == 2
