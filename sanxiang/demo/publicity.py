"""Demo publicity (公示): each bureau's publicity clerk going through the decisions waiting to be published, every
working day of the year, through the publicity services.

Most decisions are masked the next working day, confirmed by a second person and published the day after — well
within the seven working days. The exceptions are what a desk and a portal must show: one published late, one not
yet published and overdue, one corrected, one withdrawn the day an administrative reconsideration revoked it (demo.cases), one
withheld as a commercial secret, one ended early after credit repair, and a 2025 decision whose year on the portal
has run out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from sanxiang.core.calendar import work_calendar
from sanxiang.publicity import services
from sanxiang.publicity.models import Publication

DRAFT, PUBLISHED = Publication.Status.DRAFT, Publication.Status.PUBLISHED


@dataclass(frozen=True)
class Plan:
    """What happens to the publications of one party's decisions, in working days after the decision (publish) or
    after the first publication (correct). A withdrawal follows the 复议 that revoked the decision (demo.cases)."""

    publish: int | None = 2  # None: not yet published
    correct: int | None = None
    withhold: str = ""
    repair_months: int | None = None  # credit repair ends the publication this many months after the decision


PLANS = {
    "哈尔滨龙泉皮革制品厂": Plan(publish=9),  # the clerk was on leave: two working days late
    "哈尔滨市新阳建材有限公司": Plan(publish=None),  # overdue, first on the desk
    "哈尔滨北方精细化工有限公司": Plan(correct=6),
    "齐齐哈尔鹤城乳业有限公司": Plan(
        withhold="该决定的主要事实涉及当事人的配方和生产工艺，属于商业秘密，依法不在网上公开"
    ),
    "大庆市萨尔图区顺达洗车行": Plan(repair_months=5),
}
CORRECTION = (
    "规范所引法律的全称并补充修正年份",
    "《大气污染防治法》",
    "《中华人民共和国大气污染防治法》（2018年修正）",
)
REPAIR = "当事人已履行行政处罚决定并完成整改，经“信用中国”信用修复，停止公示"

# bureau code: (the clerk who masks and publishes, the second person who confirms)
BUREAUS = {
    "230100": ("hrb.clerk", "hrb.head"),
    "230200": ("qqhr.clerk", "qqhr.head"),
    "230600": ("dq.clerk", "dq.head"),
}


# Licence decisions made outside the case system (环评审批, 排污许可) and entered by hand: (days ago, party, document
# title, licence name, number, content, years valid; 0 = long-term)
LICENCES = [
    (
        200,
        "哈尔滨松江热电有限责任公司",
        "关于热电联产机组超低排放改造项目环境影响报告书的批复",
        "",
        "哈环审〔2026〕21号",
        "同意该项目按照报告书所列性质、规模、地点和环境保护对策措施建设",
        0,
    ),
    (
        120,
        "哈尔滨北方精细化工有限公司",
        "排污许可证变更决定",
        "排污许可证",
        "91230100MA0003005T001P",
        "变更排放口位置及大气污染物许可排放量，重点管理",
        5,
    ),
    (
        35,
        "哈尔滨冰城汽车修配有限公司",
        "排污许可证核发决定",
        "排污许可证",
        "91230100MA0003007P001Q",
        "核发排污许可证，简化管理，许可排放挥发性有机物",
        5,
    ),
]


def licences(story, staff, parties) -> None:
    """The clerk enters each licence decision the day it is made; the daily round publishes it."""
    for days_ago, name, title, certificate, number, content, years in LICENCES:
        day = story.day(days_ago)
        party = parties[name]
        fields = {
            "行政相对人名称": party.name,
            "行政相对人类别": "法人及非法人组织",
            "行政相对人代码_1(统一社会信用代码)": party.uscc,
            "法定代表人": party.legal_representative,
            "行政许可决定文书名称": title,
            "行政许可决定文书号": number if not certificate else "",
            "许可类别": "普通",
            "许可证书名称": certificate,
            "许可编号": number,
            "许可内容": content,
            "许可决定日期": day,
            "有效期自": day,
            "有效期至": _months_after(day, 12 * years) - dt.timedelta(days=1) if years else dt.date(2099, 12, 31),
        }
        story.add(
            day,
            lambda fields=fields, agency=party.agency: services.publication_enter(
                actor=staff["hrb.clerk"], agency=agency, fields=fields
            ),
        )


def rounds(story, staff, parties) -> None:
    """The clerks' daily round, and the nightly end of display periods, every working day of the story."""
    calendar, day = work_calendar(), story.day(430)
    while day <= story.today:
        if calendar.is_workday(day):
            for code, (clerk, checker) in BUREAUS.items():
                story.add(
                    day,
                    lambda code=code, clerk=clerk, checker=checker, day=day: _round(
                        code, staff[clerk], staff[checker], day
                    ),
                )
        story.add(day, lambda day=day: services.publications_expire(today=day))
        day += dt.timedelta(days=1)


def _round(code: str, clerk, checker, today: dt.date) -> None:
    calendar = work_calendar()
    records = (
        Publication.objects.filter(agency__code=code)
        .filter(Q(status=DRAFT) | Q(status=PUBLISHED))
        .select_related("agency")
        .order_by("id")
    )
    for publication in records:
        plan = PLANS.get(publication.party_name, Plan())
        since_decision = calendar.working_days_between(publication.decided_on, today)
        waiting = publication.versions.filter(published_at__isnull=True).order_by("-number").first()
        if publication.status == DRAFT and plan.withhold:
            services.publication_withhold(actor=clerk, publication=publication, reason=plan.withhold)
        elif waiting is not None and (
            publication.status == PUBLISHED or (plan.publish is not None and since_decision >= plan.publish - 1)
        ):
            _advance(
                publication,
                waiting,
                clerk,
                checker,
                publish=publication.status == PUBLISHED or since_decision >= plan.publish,
            )
        elif publication.status == PUBLISHED:
            _after(publication, plan, clerk, calendar.working_days_between(publication.published_on, today), today)


def _advance(publication, waiting, clerk, checker, *, publish: bool) -> None:
    """Mask (keeping the suggested masks) on the first day, then confirm and publish."""
    if waiting.prepared_by_id is None:
        services.publication_redact(actor=clerk, publication=publication, masks=waiting.masks)
        if not publish:
            return
    if waiting.confirmed_at is None:
        services.publication_confirm(actor=checker, publication=publication)
    services.publication_publish(actor=clerk, publication=publication)


def _after(publication, plan: Plan, clerk, since_publication: int, today: dt.date) -> None:
    if plan.correct is not None and since_publication == plan.correct and publication.versions.count() == 1:
        reason, old, new = CORRECTION
        original = publication.versions.get().original
        services.publication_correct(
            actor=clerk,
            publication=publication,
            reason=reason,
            original=original.replace(old, new) if old in original else original + "\n" + new,
        )
    elif plan.repair_months is not None and today >= _months_after(publication.decided_on, plan.repair_months):
        services.publication_end(actor=clerk, publication=publication, reason=REPAIR)


def _months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, as a licence's validity or a display period counts it (not moved off rest days)."""
    return work_calendar().add_months(day, months, moves=False).date
