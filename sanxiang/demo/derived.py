"""Demo decisions derived from an earlier case (services.derived, services.seizures): the heat plant that kept its
boiler's emissions above the standard after the order to correct — a 按日连续处罚 opened on the re-inspection and
taken through notice, the waived hearing, legal review and decision — and the hazardous-waste yard found leaking,
sealed on the spot and reviewed and approved the same morning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.cases import services
from sanxiang.demo import reviews
from sanxiang.demo.story import record_act, walk

COMMON = {
    "agency_code": "230100",
    "officers": ["hrb.officer1", "hrb.officer3"],
    "head": "hrb.head",
    "reviewer": "hrb.reviewer",
}
FINE = Decimal("100000")


def boiler(story, staff, parties) -> None:
    start = 130
    origin = walk(
        story,
        staff,
        parties["哈尔滨松江热电有限责任公司"],
        title="锅炉烟气二氧化硫超标排放案",
        violation="DQ-99",
        fine=str(FINE),
        levels={},
        start=start,
        until="close",
        **COMMON,
    )
    # walk's own dates: filed 2, notified 12, reconsidered 6 and decided 1 working day(s) after each other
    decided = story.later(story.later(story.later(story.later(story.day(start), 2), 12), 6), 1)
    officers = [staff[name] for name in COMMON["officers"]]
    state: dict = {}

    def order():
        state["order"] = services.correction_order_issue(
            actor=officers[0],
            case=origin["case"],
            content="立即停止超标排放，对脱硫设施进行检修并保证正常运行",
            served_on=timezone.localdate(),
            correct_by=timezone.localdate(),
        )

    def reinspect():
        state["case"] = services.daily_penalty_open(
            actor=staff["hrb.head"],
            case=origin["case"],
            order=state["order"],
            reinspected_on=timezone.localdate(),
            investigators=officers,
        )
        record_act(state["case"], officers[0], "inspection", timezone.localdate())

    reinspected = story.later(decided, 7)
    story.add(decided, order)
    story.add(reinspected, reinspect)
    _procedure(story, staff, state, reinspected)


def _procedure(story, staff, state, opened) -> None:
    """The derived case from the investigators' report to service: the computed fine, the hearing offered and
    waived, the reconsideration, the catalogue's legal review (a fine above 200,000 yuan), the decision."""
    officer = staff["hrb.officer1"]

    def submit():
        case = state["case"]
        state["case"] = services.case_submit(
            actor=officer,
            case=case,
            facts=case.summary,
            evidence="复查现场检查笔录、在线监测数据、执法记录仪录像",
            basis="《中华人民共和国环境保护法》第五十九条；《中华人民共和国大气污染防治法》第一百二十三条",
            kinds=["fine"],
            fine=case.daily_penalty.amount,
        )

    def review():
        state["case"] = services.case_review(
            actor=staff["hrb.reviewer"],
            case=state["case"],
            opinion="复查事实清楚，计罚日数准确，同意告知。",
            approve_case=True,
        )

    def notify():
        state["case"] = services.case_notify(actor=officer, case=state["case"], served_on=timezone.localdate())

    def waive():
        state["case"] = services.case_record_waiver(actor=officer, case=state["case"], waived_on=timezone.localdate())

    def reconsider():
        case = state["case"]
        state["case"] = services.case_reconsider(
            actor=officer,
            case=case,
            kinds=["fine"],
            fine=case.proposed_fine,
            confiscation=None,
            note="当事人书面放弃陈述申辩和听证，维持告知的按日连续处罚。",
        )

    def decide():
        state["case"] = services.case_decide(actor=staff["hrb.head"], case=state["case"], outcome="penalty")

    def serve():
        state["case"] = services.case_serve(
            actor=officer, case=state["case"], served_on=timezone.localdate(), method="direct"
        )

    submitted = story.later(opened, 2)
    notified = story.later(submitted, 3)
    reconsidered = story.later(notified, 2)
    for day, step in (
        (submitted, submit),
        (story.later(submitted, 2), review),
        (notified, notify),
        (story.later(notified, 1), waive),
        (reconsidered, reconsider),
    ):
        story.add(day, step)
    cleared = reviews.agreed("hrb.counsel")(story, state, staff, "hrb.officer1", reconsidered)
    story.add(story.later(cleared, 1), decide)
    story.add(story.later(cleared, 2), serve)


def leaking_yard(story, staff, parties) -> None:
    """An emergency seizure (《行政强制法》第十九条): the officers seal the leaking storage at 9:30, film it, and the
    seizure is legally reviewed and approved by the head before noon — well within 24 hours."""
    origin = walk(
        story,
        staff,
        parties["哈尔滨兴达危废处置有限公司"],
        title="危险废物贮存场所渗漏线索",
        violation="GF-112A",
        fine=None,
        start=14,
        until="file",
        **COMMON,
    )
    day = story.day(10)
    officers = [staff[name] for name in COMMON["officers"]]
    state: dict = {}

    def seal():
        record_act(origin["case"], officers[0], "seizure", day)
        state["case"] = services.seizure_propose(
            actor=officers[0],
            case=origin["case"],
            kind="seal",
            items="危险废物暂存库 1 座（含渗漏的废矿物油桶 42 只）",
            place="哈尔滨市双城区新兴工业园 3 号危废暂存库",
            reasons="危险废物暂存库地面防渗层破损，废矿物油渗漏至库外雨水沟，可能造成严重土壤和水污染",
            officers=officers,
            days=30,
            emergency=True,
            started_at=dt.datetime.combine(day, dt.time(9, 30), tzinfo=timezone.get_default_timezone()),
        )

    def approve():
        state["case"] = services.case_decide(actor=staff["hrb.head"], case=state["case"], outcome="measure")

    story.add(day, seal)
    reviews.agreed_at_once("hrb.counsel")(story, state, staff, "hrb.officer1", day)
    story.add(day, approve)
