"""Demo 双随机 plan of 哈尔滨 for the year, replayed through the services on its dates: two recusals declared, the
plan drafted by an officer and approved by the head (committed to the ledger), drawn from the next signed
checkpoint, three targets inspected by their drawn pairs — two results published within 20 working days, one
recorded and left unpublished past its deadline (the head's home page shows it) — and no case opened, so the portal
shows a zero among the counts.

It draws from whatever enterprises 哈尔滨 and its branches have registered with their tiers, and uses the
random-inspection items 哈尔滨 has published; when the catalogue has none yet it adds one with its frequencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.agencies.models import Agency, User
from sanxiang.cases import services as cases
from sanxiang.cases.models import Party
from sanxiang.demo.story import Story
from sanxiang.inspections import approvals, draw_results, draws, feedback
from sanxiang.inspections.models import InspectionItem
from sanxiang.inspections.plan_models import Plan, Result
from sanxiang.inspections.plan_selectors import items_for_plan
from sanxiang.inspections.services import frequency_set, item_create
from sanxiang.ledger.services import checkpoint_create
from sanxiang.powers.models import PowerKind
from sanxiang.powers.services import power_create

# 抽查比例 of the demo item per tier, as a city's 抽查工作细则 might set them [C2: local practice, docs/domain.md §13]
FREQUENCIES = {"key": Decimal("100"), "general": Decimal("30"), "positive": Decimal("5")}
RULES = "哈尔滨市生态环境局“双随机、一公开”抽查工作细则（演示）"


def _items(harbin: Agency, day: dt.date) -> list[InspectionItem]:
    items = list(items_for_plan(harbin)[:3])
    if items:
        return items
    # Written through the catalogues' services, each with its ledger entry, as a person keeping them would.
    power = power_create(
        actor=None,
        agency=harbin,
        code="HRB-XC-001",
        kind=PowerKind.INSPECTION,
        name="对排污单位执行排污许可制度情况的监督检查",
        basis="《中华人民共和国环境保护法》第二十四条",
        unit="生态环境保护综合行政执法支队",
        published_on=day,
    )
    item = item_create(
        actor=None,
        agency=harbin,
        power=power,
        code="HRB-SJ-001",
        name="排污单位排污许可证执行情况检查",
        basis="《中华人民共和国环境保护法》第二十四条（现场检查）",
        subject="本市持有排污许可证或者实行排污登记的排污单位",
        published_on=day,
    )
    for tier, percent in FREQUENCIES.items():
        frequency_set(actor=None, item=item, tier=tier, draw_percent=percent, yearly_cap=4, citation=RULES)
    return [item]


def load_draws(*, today: dt.date) -> int:
    """The demo plan and its draw, unless a plan exists already; the number of targets drawn."""
    harbin = Agency.objects.get(code="230100")
    if Plan.objects.filter(agency=harbin).exists():
        return 0
    staff = {user.username: user for user in User.objects.filter(agency=harbin)}
    parties = list(Party.objects.filter(agency__path__startswith=harbin.path).exclude(uscc="").order_by("pk"))
    story, state = Story(today), {}
    drafted = story.day(205)
    approved, drawn = story.later(drafted, 2), story.later(drafted, 3)

    def recusals():
        draw_results.recusal_declare(actor=staff["hrb.officer3"], party=parties[0], reason="其配偶在该企业财务部门任职")
        draw_results.recusal_record_kinship(
            actor=staff["hrb.head"], officer=staff["hrb.officer4"], party=parties[1], reason="其兄为该企业法定代表人"
        )

    def draft():
        state["plan"] = draws.plan_create(
            actor=staff["hrb.officer1"],
            agency=harbin,
            title=f"{drafted.year}年度排污单位“双随机”抽查计划",
            period_start=drafted,
            period_end=drafted + dt.timedelta(days=364),
            items=_items(harbin, drafted),
            percents={"general": "40"},
        )

    story.add(drafted, recusals)
    story.add(drafted, draft)
    story.add(approved, lambda: draws.plan_approve(actor=staff["hrb.head"], plan=state["plan"]))
    story.add(approved, checkpoint_create)  # the next signed checkpoint: its root is the draw's seed
    story.add(drawn, lambda: draws.draw_perform(actor=staff["hrb.officer1"], plan=state["plan"]))
    for rank, days_ago, result in ((1, 150, Result.NO_PROBLEM), (2, 120, Result.ORDERED_TO_CORRECT), (3, 40, None)):
        day = story.day(days_ago)
        story.add(
            day,
            lambda rank=rank, result=result: _inspect(
                state["plan"], rank, result or Result.NO_PROBLEM, staff["hrb.head"]
            ),
        )
        if result is not None:  # the third waits past its deadline
            story.add(
                story.later(day, 5), lambda: draws.draw_results_publish(actor=staff["hrb.clerk"], plan=state["plan"])
            )
    story.run()
    return Plan.objects.get(agency=harbin).targets.count()


def _inspect(plan: Plan, rank: int, result: str, head: User) -> None:
    """The head approves the inspection of the target of `rank` (行政检查审批, with its 通知书 and 扫码入企 code),
    the drawn pair inspects it, and the first of them records the result."""
    target = plan.targets.select_related("party", "first_certificate__holder", "second_certificate__holder").get(
        rank=rank
    )
    if target.first_certificate is None:
        return
    officers = [target.first_certificate.holder, target.second_certificate.holder]
    now, found = timezone.now(), result != Result.NO_PROBLEM
    started = now - dt.timedelta(hours=1, minutes=30)
    request = approvals.approval_for_target(actor=officers[0], target=target)
    approval = approvals.approval_approve(actor=head, approval=request)
    inspection = cases.inspection_start(
        actor=officers[0],
        agency=plan.agency,
        party=target.party,
        place=target.party.address,
        started_at=started,
        officers=officers,
        approval=approval,
    )
    inspection = cases.inspection_complete(
        actor=officers[0],
        inspection=inspection,
        ended_at=now - dt.timedelta(minutes=20),
        findings=(
            "危险废物贮存场所未按规定设置识别标志，台账记录不完整，已责令限期改正。"
            if found
            else "排污许可证载明的污染防治设施正常运行，自行监测和台账记录完整，未发现问题。"
        ),
        violation_found=found,
        signature="signed",
    )
    draw_results.draw_target_record_result(actor=officers[0], target=target, inspection=inspection, result=result)
    _feedback(approval, target.party.uscc, rank)


# 扫码入企: what the enterprises of the first two drawn targets said through their codes (read by hlj.supervisor).
FEEDBACK = {
    1: {"stars": 5, "comment": "检查人员出示执法证和通知书，程序规范，用时短。", "complaint": None},
    2: {
        "stars": 4,
        "comment": "指出的问题具体，整改要求清楚。",
        "complaint": ("repeated", "本季度已接受区分局同类检查，此次检查事项与之重复，希望合并检查。"),
    },
}


def _feedback(approval, uscc: str, rank: int) -> None:
    said = FEEDBACK.get(rank)
    if said is None:
        return
    feedback.rating_submit(approval=approval, uscc=uscc, stars=said["stars"], comment=said["comment"])
    if said["complaint"]:
        category, text = said["complaint"]
        feedback.complaint_submit(approval=approval, uscc=uscc, category=category, text=text)
