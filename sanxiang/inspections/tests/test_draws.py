"""双随机 plans: drafted, approved by a head (frozen, committed to the ledger with the population and the officer
pool), drawn once from the first signed checkpoint after the commitment — and every bad input refused without a
change or a ledger entry."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.agencies import services as agencies
from sanxiang.agencies.models import Role
from sanxiang.cases.models import Tier
from sanxiang.inspections import drawing, draws
from sanxiang.inspections import services as inspection_items
from sanxiang.inspections.plan_models import Draw, DrawTarget, Plan, PlanCommitment
from sanxiang.inspections.plan_selectors import effective_percents
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import log_size
from sanxiang.ledger.services import checkpoint_create
from sanxiang.testing.checks import refused
from sanxiang.testing.draws import approved, drawn, make_enterprises, make_item, make_plan
from sanxiang.testing.factories import make_certificate, make_staff


@pytest.fixture
def pool(world):
    """Four more 哈尔滨 officers with valid certificates, and three whose certificates are not valid."""
    people = [make_staff(agency=world.harbin, roles=[Role.OFFICER]) for _ in range(7)]
    certificates = [make_certificate(holder=person) for person in people]
    agencies.certificate_suspend(actor=None, certificate=certificates[4], reason="调查期间暂扣")
    agencies.certificate_revoke(actor=None, certificate=certificates[5], reason="离开执法岗位")
    certificates[6].expires_on = dt.date.today() - dt.timedelta(days=1)
    certificates[6].issued_on = dt.date.today() - dt.timedelta(days=700)
    certificates[6].save()
    return certificates


def test_STRATA_are_the_tiers():
    assert drawing.STRATA == tuple(Tier.values)


@given(
    pool=st.integers(min_value=0, max_value=12),
    barred=st.sets(st.integers(min_value=0, max_value=11)),
    code=st.integers(min_value=0, max_value=10**6),
)
def test_a_pair_is_drawn_from_the_pool_without_the_barred_as_the_algorithm_states(pool, barred, code):
    officers = [f"2301{n:08d}" for n in range(pool)]
    barred = sorted(position for position in barred if position < pool)
    eligible = [number for position, number in enumerate(officers) if position not in barred]
    prefix, uscc = hashlib.sha256(b"seed").digest() * 2, f"{code:018d}"
    drawn = drawing.pair(prefix, uscc, officers, barred)
    if len(eligible) < 2:
        assert drawn is None
        return
    base = prefix + uscc.encode()
    i = int.from_bytes(hashlib.sha256(base + b"\x01").digest(), "big") % len(eligible)
    j = int.from_bytes(hashlib.sha256(base + b"\x02").digest(), "big") % (len(eligible) - 1)
    assert drawn == (eligible[i], eligible[j + 1 if j >= i else j])


def test_a_draft_takes_its_percents_from_the_items_unless_it_sets_its_own(world):
    strict = make_item(world.harbin, percents={Tier.KEY: 30, Tier.GENERAL: 10, Tier.POSITIVE: 3})
    mild = make_item(world.harbin, percents={Tier.KEY: 20, Tier.GENERAL: 15})
    plan = make_plan(world, items=[strict, mild])
    assert effective_percents(plan) == {"key": "30.00", "general": "15.00", "positive": "3.00"}
    plan = make_plan(world, items=[strict], percents={"key": "100", "general": ""})
    assert effective_percents(plan) == {"key": "100.00", "general": "10.00", "positive": "3.00"}
    entry = Entry.objects.filter(action="plan.create").order_by("-index").first()
    assert json.loads(entry.body)["data"]["percents"] == {"key": "100.00"}


def test_approving_commits_the_population_and_the_officer_pool_of_that_day(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 3, Tier.GENERAL: 5})
    make_enterprises(world.harbin, {Tier.GENERAL: 2}, division="230103")  # outside the plan's area
    make_enterprises(world.qiqihar, {Tier.GENERAL: 2}, division="230102")  # another agency's enterprises
    plan = make_plan(world, divisions=["230102"])
    commitment = draws.plan_approve(actor=world.people.head, plan=plan)
    content = json.loads(bytes(commitment.body))
    assert {tier: len(codes) for tier, codes in content["population"].items()} == {
        "key": 3,
        "general": 5,
        "positive": 0,
    }
    assert commitment.population == 8
    assert all(codes == sorted(codes) for codes in content["population"].values())
    expected = sorted(
        [world.certificates.officer.number, world.certificates.partner.number] + [c.number for c in pool[:4]]
    )
    assert content["officers"] == expected  # suspended, revoked and expired certificates stay out
    assert commitment.digest == hashlib.sha256(bytes(commitment.body)).hexdigest()
    entry = Entry.objects.get(index=commitment.ledger_index)
    assert entry.action == "plan.approve" and entry.public
    assert json.loads(entry.body)["data"]["plan_digest"] == commitment.digest
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED


def test_an_approved_plan_keeps_the_percents_it_was_approved_with(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 2, Tier.GENERAL: 3})
    item = make_item(world.harbin, percents={Tier.KEY: 30, Tier.GENERAL: 10, Tier.POSITIVE: 3})
    plan = approved(world, make_plan(world, items=[item], percents={"key": "100"}))
    frozen = {"key": "100.00", "general": "10.00", "positive": "3.00"}
    assert plan.percents == frozen and effective_percents(plan) == frozen
    item.frequencies.filter(tier=Tier.GENERAL).update(draw_percent=80)  # the items' frequencies change later
    item.frequencies.filter(tier=Tier.POSITIVE).delete()
    plan = Plan.objects.get(pk=plan.pk)
    assert effective_percents(plan) == frozen
    assert json.loads(bytes(plan.commitment.body))["percents"] == frozen


def test_only_a_head_approves(world, pool):
    make_enterprises(world.harbin, {Tier.GENERAL: 3})
    plan = make_plan(world)
    size = log_size()
    with pytest.raises(PermissionDenied):
        draws.plan_approve(actor=world.people.officer, plan=plan)
    assert log_size() == size and Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    assert not PlanCommitment.objects.exists()


def test_a_plan_changed_after_its_commit_is_refused_and_nothing_is_written(world, pool):
    make_enterprises(world.harbin, {Tier.GENERAL: 3})
    plan = approved(world, make_plan(world), sign=False)
    frozen, size = dict(plan.percents), log_size()
    error = refused(
        "invalid_transition",
        lambda: draws.plan_update(
            actor=world.people.head,
            plan=plan,
            title="改过的计划",
            period_start=plan.period_start,
            period_end=plan.period_end,
            items=list(plan.items.all()),
            percents={"key": "100"},
        ),
    )
    assert "已批准" in error.messages[0]
    plan.refresh_from_db()
    assert plan.title != "改过的计划" and plan.percents == frozen and log_size() == size


def test_a_commitment_altered_in_the_database_is_refused_at_the_draw(world, pool):
    make_enterprises(world.harbin, {Tier.GENERAL: 20})
    plan = approved(world, make_plan(world))
    body = json.loads(bytes(plan.commitment.body))
    body["population"]["general"] = body["population"]["general"][:1]  # keeps only the one someone wants drawn
    PlanCommitment.objects.filter(plan=plan).update(body=json.dumps(body).encode())
    size = log_size()
    refused("commitment_mismatch", lambda: draws.draw_perform(actor=world.people.head, plan=plan))
    # the digest changed to match: still not what the ledger committed to
    PlanCommitment.objects.filter(plan=plan).update(digest=hashlib.sha256(json.dumps(body).encode()).hexdigest())
    refused("commitment_mismatch", lambda: draws.draw_perform(actor=world.people.head, plan=plan))
    assert log_size() == size and not DrawTarget.objects.exists() and not Draw.objects.exists()
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED


def test_the_draw_waits_for_the_next_signed_checkpoint(world, pool):
    make_enterprises(world.harbin, {Tier.GENERAL: 10})
    checkpoint_create()  # a checkpoint before the commitment is no seed
    plan = approved(world, make_plan(world), sign=False)
    size = log_size()
    error = refused("awaiting_checkpoint", lambda: draws.draw_perform(actor=world.people.officer, plan=plan))
    assert "等待下一个签名检查点" in error.messages[0]
    assert log_size() == size and not DrawTarget.objects.exists()
    checkpoint = checkpoint_create()
    assert checkpoint.size > plan.commitment.ledger_index
    draw = draws.draw_perform(actor=world.people.officer, plan=plan)
    assert (draw.checkpoint_size, draw.seed) == (checkpoint.size, bytes(checkpoint.root).hex())


def test_an_inspector_who_left_after_the_approval_is_left_out_of_the_draw(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 6})
    plan = approved(world, make_plan(world))
    left = pool[0]
    assert left.number in json.loads(bytes(plan.commitment.body))["officers"]
    agencies.staff_set_active(actor=None, staff=left.holder, active=False)
    draw = draws.draw_perform(actor=world.people.head, plan=plan)
    assert draw.lapsed == [left.number]
    assert not DrawTarget.objects.filter(plan=plan, first_certificate=left).exists()
    assert not DrawTarget.objects.filter(plan=plan, second_certificate=left).exists()


def test_a_draw_follows_the_tiers_percents_rounding_up(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 3, Tier.GENERAL: 11, Tier.POSITIVE: 7})
    plan = drawn(world, make_plan(world))  # 50 / 20 / 5 %
    tiers = list(plan.targets.order_by("rank").values_list("tier", flat=True))
    assert tiers == ["key"] * 2 + ["general"] * 3 + ["positive"] * 1
    assert plan.status == Plan.Status.DRAWN and plan.published_counts == {"targets": 6}
    for target in plan.targets.select_related("first_certificate", "second_certificate", "party"):
        assert target.first_certificate.holder_id != target.second_certificate.holder_id
        assert target.party.uscc == target.uscc and target.party.tier == target.tier
    entry = Entry.objects.get(index=plan.draw.ledger_index)
    facts = json.loads(entry.body)["data"]
    assert entry.action == "plan.draw" and entry.public
    assert (
        facts["seed"] == plan.draw.seed and facts["targets"] == 6 and facts["result_digest"] == plan.draw.result_digest
    )


def test_a_draw_is_made_once_and_never_again_with_another_seed(world, pool):
    make_enterprises(world.harbin, {Tier.GENERAL: 30})
    plan = drawn(world, make_plan(world))
    first = list(plan.targets.values_list("rank", "uscc", "first_certificate", "second_certificate"))
    checkpoint_create()  # a later checkpoint would give another seed
    for _attempt in range(2):
        size = log_size()
        refused("invalid_transition", lambda: draws.draw_perform(actor=world.people.head, plan=plan))
        assert log_size() == size
    assert list(plan.targets.values_list("rank", "uscc", "first_certificate", "second_certificate")) == first
    assert Draw.objects.filter(plan=plan).count() == 1


def test_another_seed_would_have_drawn_other_targets(world, pool):
    make_enterprises(world.harbin, {Tier.GENERAL: 200})
    plan = drawn(world, make_plan(world))
    body = bytes(plan.commitment.body)
    ours = drawing.draw(body, bytes.fromhex(plan.draw.seed))
    other = drawing.draw(body, hashlib.sha256(b"another seed").digest())
    assert [row.uscc for row in ours] == list(plan.targets.order_by("rank").values_list("uscc", flat=True))
    assert len(ours) == len(other) == 40
    assert {row.uscc for row in ours} != {row.uscc for row in other}


def test_approval_needs_enterprises_in_scope_and_two_certified_officers(world):
    make_enterprises(world.harbin, {Tier.GENERAL: 3})
    plan = make_plan(world, industries=["造纸"])
    refused("empty_population", lambda: draws.plan_approve(actor=world.people.head, plan=plan))
    agencies.certificate_suspend(actor=None, certificate=world.certificates.partner, reason="调查期间暂扣")
    plan = make_plan(world)
    refused("too_few_officers", lambda: draws.plan_approve(actor=world.people.head, plan=plan))
    assert not PlanCommitment.objects.exists()


def test_a_plan_names_only_its_agencys_items_drawn_at_random(world):
    other = make_item(world.qiqihar)
    not_random = make_item(world.harbin, random=False)
    withdrawn = inspection_items.item_withdraw(actor=None, item=make_item(world.harbin), reason="并入其他检查事项")
    for item in (other, not_random, withdrawn):
        with pytest.raises(ValidationError) as error:
            make_plan(world, items=[item])
        assert "items" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_plan(world, divisions=["哈尔滨"], percents={"key": "101"}, period_end=dt.date(2020, 1, 1))
    assert {"divisions", "percent_key", "period_end"} <= set(error.value.message_dict)
    assert not Plan.objects.exists()


def test_a_stale_version_is_a_conflict(world, pool):
    plan = make_plan(world)
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
    refused("conflict", lambda: draws.plan_approve(actor=world.people.head, plan=plan, version=plan.version))


@pytest.mark.parametrize("field", ["title", "industries"])
def test_a_plan_with_a_control_character_is_refused_and_nothing_is_written(world, field):
    items = [make_item(world.harbin)]
    size = log_size()
    overrides = {"title": "2026年度抽查\u202e计划"} if field == "title" else {"industries": ["化工\x00"]}
    with pytest.raises(ValidationError) as error:
        make_plan(world, items=items, **overrides)
    assert "控制字符" in error.value.message_dict[field][0]
    assert not Plan.objects.exists() and log_size() == size
    plan = make_plan(world)
    version, size = plan.version, log_size()
    with pytest.raises(ValidationError):
        draws.plan_update(
            actor=world.people.officer,
            plan=plan,
            period_start=plan.period_start,
            period_end=plan.period_end,
            items=list(plan.items.all()),
            **({"title": "改\x1b过"} if field == "title" else {"title": plan.title, "industries": ["化\u200b工"]}),
        )
    plan.refresh_from_db()
    assert plan.version == version and plan.industries == [] and "改" not in plan.title and log_size() == size
