"""Recusals the draw honours (declared conflicts, kinship, the previous pair), targets without two eligible
officers reported, results recorded from the drawn pair's inspection and published within the [C2] deadline,
with zero counts kept — and every refusal leaving nothing behind."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.agencies.models import Role
from sanxiang.cases import services as cases
from sanxiang.cases.models import Tier
from sanxiang.core.calendar import add_working_days
from sanxiang.inspections import draw_results, draws
from sanxiang.inspections.plan_models import DrawTarget, Plan, Recusal, Result
from sanxiang.inspections.plan_selectors import result_counts, results_due
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import log_size
from sanxiang.testing.cases import at
from sanxiang.testing.checks import refused
from sanxiang.testing.draws import drawn, inspect, make_enterprises, make_plan
from sanxiang.testing.factories import make_certificate, make_staff


@pytest.fixture
def officers(world):
    people = [make_staff(agency=world.harbin, roles=[Role.OFFICER]) for _ in range(4)]
    for person in people:
        make_certificate(holder=person)
    return [world.people.officer, world.people.partner, *people]


def pair_of(target: DrawTarget) -> set[int]:
    return {target.first_certificate.holder_id, target.second_certificate.holder_id}


def test_no_pair_holds_an_officer_recused_for_its_enterprise(world, officers):
    enterprises = make_enterprises(world.harbin, {Tier.KEY: 12})
    for party in enterprises[:6]:
        draw_results.recusal_declare(actor=officers[2], party=party, reason="曾在该企业任职")
    for party in enterprises[3:]:
        draw_results.recusal_record_kinship(actor=world.people.head, officer=officers[3], party=party, reason="近亲属")
    plan = drawn(world, make_plan(world, percents={"key": "100"}))
    barred = {party.pk: set() for party in enterprises}
    for recusal in Recusal.objects.all():
        barred[recusal.party_id].add(recusal.officer_id)
    targets = list(plan.targets.select_related("first_certificate", "second_certificate"))
    assert len(targets) == 12
    for target in targets:
        assert not pair_of(target) & barred[target.party_id]
    entries = Entry.objects.filter(action__startswith="recusal.")
    assert entries.count() == 15 and not entries.filter(public=True).exists()


def test_an_enterprise_never_gets_the_same_officer_twice_running(world, officers):
    make_enterprises(world.harbin, {Tier.KEY: 8})
    first = drawn(world, make_plan(world, percents={"key": "100"}))
    second = drawn(world, make_plan(world, percents={"key": "100"}))
    before = {t.uscc: pair_of(t) for t in first.targets.select_related("first_certificate", "second_certificate")}
    for target in second.targets.select_related("first_certificate", "second_certificate"):
        assert not pair_of(target) & before[target.uscc]


def test_a_target_without_two_eligible_officers_is_reported_not_half_staffed(world):
    enterprises = make_enterprises(world.harbin, {Tier.KEY: 3})
    draw_results.recusal_declare(actor=world.people.officer, party=enterprises[0], reason="其子为该企业股东")
    plan = drawn(world, make_plan(world, percents={"key": "100"}))  # the pool: officer and partner only
    short = plan.targets.get(uscc=enterprises[0].uscc)
    assert short.first_certificate is None and short.second_certificate is None
    assert plan.draw.shortfalls == 1
    assert json.loads(Entry.objects.get(index=plan.draw.ledger_index).body)["data"]["shortfalls"] == 1
    assert plan.targets.filter(first_certificate__isnull=False).count() == 2


def test_recusals_are_declared_by_the_officer_and_kinship_recorded_by_a_head(world, officers):
    party = make_enterprises(world.harbin, {Tier.GENERAL: 1})[0]
    with pytest.raises(PermissionDenied):
        draw_results.recusal_declare(actor=world.people.head, party=party, reason="利害关系")
    with pytest.raises(PermissionDenied):
        draw_results.recusal_record_kinship(actor=officers[1], officer=officers[2], party=party, reason="近亲属")
    with pytest.raises(ValidationError) as error:  # an officer of 齐齐哈尔 on an enterprise of 哈尔滨
        draw_results.recusal_declare(actor=world.people.outsider, party=party, reason="利害关系")
    assert "party" in error.value.message_dict
    draw_results.recusal_declare(actor=officers[2], party=party, reason="曾在该企业任职")
    refused("duplicate", lambda: draw_results.recusal_declare(actor=officers[2], party=party, reason="再次申报"))
    assert Recusal.objects.count() == 1 and Recusal.objects.get().kind == Recusal.Kind.DECLARED


# The plan is drawn on a Monday and its targets inspected the week after, inside the plan's year.
DRAW_DAY, INSPECTION_DAY = dt.date(2026, 3, 2), dt.date(2026, 3, 10)


@pytest.fixture
def drawn_plan(world, officers):
    make_enterprises(world.harbin, {Tier.KEY: 4})
    with at(DRAW_DAY):
        return drawn(
            world, make_plan(world, percents={"key": "100"}, period_start=DRAW_DAY, period_end=dt.date(2026, 6, 30))
        )


@pytest.fixture(autouse=True)
def _inspection_week(request):
    """Tests of results run in the week after the draw (the draw itself is made on DRAW_DAY)."""
    if "drawn_plan" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("drawn_plan")
    with at(INSPECTION_DAY):
        yield


def test_a_result_is_recorded_from_the_drawn_pairs_inspection_with_its_deadline(world, drawn_plan):
    target = drawn_plan.targets.first()
    inspection = inspect(world, target)
    officer = target.first_certificate.holder
    draw_results.draw_target_record_result(
        actor=officer, target=target, inspection=inspection, result=Result.NO_PROBLEM
    )
    target.refresh_from_db()
    assert target.status == DrawTarget.Status.RECORDED and target.inspected_on == INSPECTION_DAY
    assert target.publish_due_on == add_working_days(INSPECTION_DAY, 20).date == dt.date(2026, 4, 8)
    entry = Entry.objects.filter(action="draw_target.record").get()
    assert json.loads(entry.body)["data"]["result"] == "no_problem" and not entry.public


def test_bad_results_are_refused_and_write_nothing(world, drawn_plan, officers):
    first, second = drawn_plan.targets.select_related("first_certificate__holder", "second_certificate__holder")[:2]
    others = [person for person in officers if person.pk not in pair_of(first)]
    by_others = inspect(world, first, officers=others[:2])
    of_another = inspect(world, second)
    found = inspect(world, first, violation_found=True)
    size = log_size()
    record = draw_results.draw_target_record_result
    head = world.people.head  # who may record any target: the inspection is still to be the drawn pair's
    refused("not_drawn_pair", lambda: record(actor=head, target=first, inspection=by_others, result="no_problem"))
    with pytest.raises(PermissionDenied):  # who may record is checked first: nothing about the inspection is told
        record(actor=others[0], target=first, inspection=of_another, result="no_problem")
    with pytest.raises(ValidationError) as error:
        record(actor=first.first_certificate.holder, target=first, inspection=of_another, result="no_problem")
    assert "inspection" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(actor=first.first_certificate.holder, target=first, inspection=found, result="no_problem")
    assert "result" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(actor=first.first_certificate.holder, target=first, inspection=found, result="case_opened")
    assert "result" in error.value.message_dict  # no case was opened from that inspection
    with pytest.raises(PermissionDenied):
        record(actor=others[0], target=first, inspection=found, result="ordered_to_correct")
    assert log_size() == size
    assert not DrawTarget.objects.filter(status=DrawTarget.Status.RECORDED).exists()


def test_an_officer_whose_certificate_lapsed_cannot_inspect_for_the_draw(world, drawn_plan):
    from sanxiang.agencies import services as agencies

    target = drawn_plan.targets.select_related("first_certificate__holder").first()
    agencies.certificate_suspend(actor=None, certificate=target.first_certificate, reason="调查期间暂扣")
    size = log_size()
    error = refused("officer_not_certified", lambda: inspect(world, target))
    assert "没有有效的执法证" in error.messages[0] and log_size() == size


def record_all(world, plan, results):
    for target, result in zip(plan.targets.order_by("rank"), results, strict=False):
        inspection = inspect(world, target, violation_found=result != Result.NO_PROBLEM)
        if result == Result.CASE_OPENED:
            cases.case_open(
                actor=target.first_certificate.holder,
                agency=world.harbin,
                party=target.party,
                title="超标排放水污染物案",
                source="inspection",
                act_date=inspection.started_at.date(),
                discovered_on=inspection.started_at.date(),
                inspection=inspection,
            )
        draw_results.draw_target_record_result(
            actor=world.people.head, target=target, inspection=inspection, result=result
        )


def test_publishing_counts_every_result_with_zeros_and_ledgers_it_publicly(world, drawn_plan):
    record_all(world, drawn_plan, [Result.NO_PROBLEM, Result.CASE_OPENED])
    assert [
        (plan.pk, count)
        for plan, count, _due in results_due(world.people.clerk, today=dt.date.today() + dt.timedelta(days=40))
    ] == [(drawn_plan.pk, 2)]
    assert results_due(world.people.officer, today=dt.date.today() + dt.timedelta(days=40)) == []
    with pytest.raises(PermissionDenied):
        draws.draw_results_publish(actor=world.people.officer, plan=drawn_plan)
    assert draws.draw_results_publish(actor=world.people.clerk, plan=drawn_plan) == 2
    plan = Plan.objects.get(pk=drawn_plan.pk)
    assert plan.published_counts == {
        "targets": 4,
        "inspected": 2,
        "no_problem": 1,
        "ordered_to_correct": 0,
        "case_opened": 1,
    }
    assert plan.published_counts == result_counts(plan, published_only=True)
    entry = Entry.objects.filter(action="plan.publish").get()
    assert entry.public and json.loads(entry.body)["data"]["published"] == 2
    refused("nothing_to_publish", lambda: draws.draw_results_publish(actor=world.people.clerk, plan=plan))


def test_a_plan_closes_once_results_are_published_saying_why_targets_were_not_inspected(world, drawn_plan):
    record_all(world, drawn_plan, [Result.ORDERED_TO_CORRECT])
    refused("results_unpublished", lambda: draws.plan_close(actor=world.people.head, plan=drawn_plan))
    draws.draw_results_publish(actor=world.people.head, plan=drawn_plan)
    with pytest.raises(ValidationError) as error:
        draws.plan_close(actor=world.people.head, plan=drawn_plan)
    assert "note" in error.value.message_dict
    plan = draws.plan_close(actor=world.people.head, plan=drawn_plan, note="三家企业停产，无法检查")
    assert plan.status == Plan.Status.CLOSED
    target = plan.targets.filter(status=DrawTarget.Status.DRAWN).first()
    refused(
        "plan_closed",
        lambda: draw_results.draw_target_record_result(
            actor=world.people.head, target=target, inspection=inspect(world, target), result="no_problem"
        ),
    )


@pytest.mark.parametrize("mark", ["\x07", "\u202e", "\u200b"])
def test_a_closing_note_with_a_control_character_is_refused_and_nothing_is_written(world, drawn_plan, mark):
    size = log_size()
    with pytest.raises(ValidationError) as error:
        draws.plan_close(actor=world.people.head, plan=drawn_plan, note=f"三家企业停产{mark}无法检查")
    assert "控制字符" in error.value.message_dict["note"][0]
    plan = Plan.objects.get(pk=drawn_plan.pk)
    assert plan.status == Plan.Status.DRAWN and plan.closing_note == "" and log_size() == size
    plan = draws.plan_close(actor=world.people.head, plan=plan, note="三家企业停产，\r\n无法检查")  # lines are fine
    assert plan.status == Plan.Status.CLOSED
