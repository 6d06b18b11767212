"""The 双随机 inspections of the generated year: each bureau's catalogue and items (as demo.catalogues enters them
for 哈尔滨 and 齐齐哈尔), its annual plan drafted in February and approved by its head, drawn from the next signed
checkpoint, and the drawn pairs inspecting their targets through the year — each on the head's approval, with its
现场检查笔录 — the results recorded and published in batches."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.demo import catalogues
from sanxiang.inspections import approvals, draw_results, draws
from sanxiang.inspections.plan_models import Plan, Result
from sanxiang.inspections.plan_selectors import items_for_plan
from sanxiang.ledger.services import checkpoint_create
from sanxiang.powers.models import Power

FINDINGS = {
    Result.NO_PROBLEM: "污染防治设施正常运行，自行监测和台账记录完整，未发现问题。",
    Result.ORDERED_TO_CORRECT: "危险废物贮存场所识别标志不全、环境管理台账记录不完整，已当场责令限期改正。",
}


def catalogue(story, bureau, day: dt.date) -> None:
    """The bureau's powers, its items and its working rules, entered by its administrator (once)."""
    if Power.objects.filter(agency=bureau.agency).exists():
        return
    number = f"{bureau.agency.abbreviation}发〔{{year}}〕{3 + int(bureau.code[2:4])}号"
    story.add(day, lambda: catalogues._powers(bureau.agency, bureau.admin, day))
    adopted = story.later(day, 3)
    story.add(adopted, lambda: catalogues._items(bureau.agency, bureau.admin, adopted, number))


def plan(story, bureau, rng: random.Random, drafted: dt.date, percents: dict[str, str]) -> None:
    """The bureau's plan for the rest of the year and its inspections, run on their days."""
    state: dict = {}
    approved, drawn = story.later(drafted, 2), story.later(drafted, 3)
    officer = bureau.officers[0]

    def draft():
        state["plan"] = draws.plan_create(
            actor=officer,
            agency=bureau.agency,
            title=f"{drafted.year}年度排污单位“双随机”抽查计划（{bureau.city}）",
            period_start=drafted,
            period_end=dt.date(drafted.year, 12, 31),
            items=list(items_for_plan(bureau.agency)[:3]),
            percents=percents,
        )

    story.add(drafted, draft)
    story.add(approved, lambda: draws.plan_approve(actor=bureau.head, plan=state["plan"]))
    story.add(approved, checkpoint_create)  # its root seeds the draws committed before it
    story.add(drawn, lambda: draws.draw_perform(actor=officer, plan=state["plan"]))
    # the targets are known only once drawn; their days and results are fixed now, by rank
    first, last = story.later(drawn, 10), story.today - dt.timedelta(days=2)
    visits = [
        (rank, first + dt.timedelta(days=rng.randrange((last - first).days)), rng.random()) for rank in range(1, 201)
    ]
    for rank, day, chance in visits:
        while not story.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        if chance < 0.88:  # a few drawn targets are still to be visited
            result = Result.NO_PROBLEM if chance < 0.68 else Result.ORDERED_TO_CORRECT
            story.add(day, lambda rank=rank, result=result: _inspect(state, bureau, rank, result))
    # the results are published every month or so, the last batch still waiting
    for month in range(drafted.month + 1, story.today.month + 1):
        day = dt.date(drafted.year, month, 1) + dt.timedelta(days=rng.randint(3, 12))
        if day < story.today:
            story.add(day, lambda: _publish(state, bureau))


def _publish(state, bureau) -> None:
    if state["plan"].targets.awaiting_publication().exists():
        draws.draw_results_publish(actor=bureau.clerk, plan=state["plan"])


def _inspect(state, bureau, rank: int, result: str) -> None:
    plan = state.get("plan")
    if plan is None or plan.status != Plan.Status.DRAWN:
        plan = state["plan"] = Plan.objects.get(pk=plan.pk)
    # two hundred ranks are scheduled before the draw says how many it drew: the ranks it drew are read once it has
    # drawn (they never change), rather than a query of each day's visit asking for a rank that is not there
    if not state.get("ranks"):
        state["ranks"] = set(plan.targets.values_list("rank", flat=True))
    if rank not in state["ranks"]:
        return
    target = (
        plan.targets.select_related("party", "first_certificate__holder", "second_certificate__holder")
        .filter(rank=rank)
        .first()
    )
    if target is None or target.first_certificate is None or target.inspection_id is not None:
        return
    officers = [target.first_certificate.holder, target.second_certificate.holder]
    now = timezone.now()
    request = approvals.approval_for_target(actor=officers[0], target=target)
    reason = "该单位本年已被检查，此次系随机抽中且群众投诉不断，经负责人批准再次检查" if request.exceeds_cap else ""
    approval = approvals.approval_approve(actor=bureau.head, approval=request, cap_reason=reason)
    inspection = cases.inspection_start(
        actor=officers[0],
        agency=plan.agency,
        party=target.party,
        place=target.party.address,
        started_at=now - dt.timedelta(hours=1, minutes=40),
        officers=officers,
        approval=approval,
    )
    inspection = cases.inspection_complete(
        actor=officers[0],
        inspection=inspection,
        ended_at=now - dt.timedelta(minutes=15),
        findings=FINDINGS[result],
        violation_found=result != Result.NO_PROBLEM,
        signature="signed",
    )
    draw_results.draw_target_record_result(actor=officers[0], target=target, inspection=inspection, result=result)
