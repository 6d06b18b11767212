"""Helpers for 双随机 tests: an inspection item with its frequencies (testing.catalogues, through the items'
services), enterprises in tiers, a plan approved and drawn, and a target inspected by its pair."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import time_machine
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Party, PartyKind, Tier
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.demo.codes import demo_uscc
from sanxiang.inspections import approvals, draws
from sanxiang.inspections.models import InspectionItem
from sanxiang.inspections.plan_models import DrawTarget, Plan
from sanxiang.ledger.services import checkpoint_create
from sanxiang.testing import catalogues
from sanxiang.testing.approvals import EMERGENCY

_serial = itertools.count(1)
PERCENTS = {Tier.KEY: Decimal("50"), Tier.GENERAL: Decimal("20"), Tier.POSITIVE: Decimal("5")}


def make_item(agency, *, percents: dict | None = None, **overrides) -> InspectionItem:
    """A published item drawn at random under a new inspection power of `agency`, with a share per tier
    (`percents`, 50/20/5 unless given) and a yearly cap of 4."""
    frequencies = {tier: (percent, 4) for tier, percent in (percents or PERCENTS).items()}
    return catalogues.make_item(catalogues.make_power(agency), frequencies=frequencies, **overrides)


def make_enterprises(agency, counts: dict[str, int], *, division: str = "230102", industry: str = "化工") -> list:
    """Enterprises of `agency` by tier, written as rows (a population, not the parties' subject here)."""
    return Party.objects.bulk_create(
        Party(
            agency=agency,
            kind=PartyKind.LEGAL_PERSON,
            name=f"抽查测试企业{serial}有限公司",
            uscc=demo_uscc("91", agency.code, 70_000 + serial),
            address="哈尔滨市道里区测试路 1 号",
            industry=industry,
            division=division,
            tier=tier,
        )
        for tier, count in counts.items()
        for serial in (next(_serial) for _ in range(count))
    )


def make_plan(world, *, items=None, actor=None, **overrides) -> Plan:
    year = timezone.localdate().year
    values = {
        "title": f"{year}年度排污单位“双随机”抽查计划",
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
        "items": items or [make_item(world.harbin)],
    }
    values.update(overrides)
    return draws.plan_create(actor=actor or world.people.officer, agency=world.harbin, **values)


def approved(world, plan: Plan, *, sign: bool = True) -> Plan:
    """`plan` approved by the head, and (unless `sign` is False) the next checkpoint signed."""
    draws.plan_approve(actor=world.people.head, plan=plan)
    if sign:
        checkpoint_create()
    return Plan.objects.get(pk=plan.pk)


def drawn(world, plan: Plan) -> Plan:
    draws.draw_perform(actor=world.people.head, plan=approved(world, plan))
    return Plan.objects.get(pk=plan.pk)


def inspect(world, target: DrawTarget, *, violation_found: bool = False, officers=None, hours_ago: int = 3):
    """The completed on-site inspection of `target` by its drawn pair (or `officers`), recorded by the first."""
    drawn_pair = [target.first_certificate.holder, target.second_certificate.holder]
    officers = officers or drawn_pair
    start = earlier_today(dt.timedelta(hours=hours_ago))  # on its local day, even just after midnight
    approval = None
    if set(officers) <= set(drawn_pair):  # others than the drawn pair inspect on an emergency
        # approved just before the visit began
        with time_machine.travel(earlier_today(dt.timedelta(hours=hours_ago, minutes=10)), tick=False):
            request = approvals.approval_for_target(actor=drawn_pair[0], target=target)
            approval = approvals.approval_approve(actor=world.people.head, approval=request)
    inspection = case_services.inspection_start(
        actor=officers[0],
        agency=target.plan.agency,
        party=target.party,
        place=target.party.address,
        started_at=start,
        officers=officers,
        approval=approval,
        **({} if approval else EMERGENCY),
    )
    return case_services.inspection_complete(
        actor=officers[0],
        inspection=inspection,
        ended_at=halfway_to_now(start),
        findings="污染防治设施正常运行。" if not violation_found else "废水总排口超标排放。",
        violation_found=violation_found,
        signature="signed",
    )
