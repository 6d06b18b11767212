"""Demo pre-disclosure (事前公开) of 哈尔滨 and 齐齐哈尔, replayed through the services on their dates: each item
collected by one person, reviewed by another and published; one corrected by a second version; one draft that
is still waiting for review and so stays off the portal."""

from __future__ import annotations

import datetime as dt

from sanxiang.agencies.models import Agency, User
from sanxiang.demo import disclosure_texts as texts
from sanxiang.demo.story import ENTERPRISES, Story
from sanxiang.disclosures import services
from sanxiang.disclosures.models import Disclosure

C = Disclosure.Category
HARBIN_OFFICES = (
    "办公室、政策法规处、综合规划与财务处、大气环境处、水生态环境处、土壤生态环境处、固体废物与化学品处、"
    "环境影响评价与排放管理处、生态环境监测处、宣传教育处"
)
QIQIHAR_OFFICES = (
    "办公室、法规与标准科、大气环境科、水生态环境科、土壤与固体废物科、环境影响评价与排放管理科、生态环境监测科"
)


def _plan(today: dt.date, agencies: dict[str, Agency]) -> list[tuple]:
    """(agency, category, order, title, body, collector, reviewer, publisher, days ago); a step left None is not
    taken yet."""
    harbin, qiqihar = agencies["230100"], agencies["230200"]
    plan_year = (today + dt.timedelta(days=60)).year  # next year's plan is drafted in the last weeks of a year
    polluters = [name for code, name, _industry, key, *_rest in ENTERPRISES if code == harbin.code and key]
    old_remedy = f"黑龙江省生态环境厅或者{texts.government(harbin)}"
    return [
        (
            harbin,
            C.NORMS,
            1,
            "生态环境保护法律、法规和规章目录",
            texts.LAWS,
            "hrb.reviewer",
            "hrb.head",
            "hrb.clerk",
            340,
        ),
        (harbin, C.NORMS, 2, "执法常用生态环境标准目录", texts.STANDARDS, "hrb.reviewer", "hrb.head", "hrb.clerk", 340),
        (
            harbin,
            C.ORGANISATION,
            1,
            "机构设置和工作职责",
            texts.organisation(harbin, HARBIN_OFFICES),
            "hrb.admin",
            "hrb.clerk",
            "hrb.clerk",
            335,
        ),
        (
            harbin,
            C.ORGANISATION,
            3,
            "行政执法主体资格",
            texts.subject(harbin),
            "hrb.admin",
            "hrb.clerk",
            "hrb.clerk",
            335,
        ),
        (
            harbin,
            C.PROCEDURES,
            1,
            "排污许可证核发办事指南",
            texts.permit_guide(harbin),
            "hrb.admin",
            "hrb.head",
            "hrb.clerk",
            330,
        ),
        (
            harbin,
            C.PROCEDURES,
            2,
            "建设项目环境影响评价文件审批办事指南",
            texts.EIA_GUIDE,
            "hrb.admin",
            "hrb.head",
            "hrb.clerk",
            330,
        ),
        (
            harbin,
            C.SUPERVISION,
            1,
            "监督方式和救济渠道",
            texts.supervision(harbin, reconsideration_body=old_remedy),
            "hrb.admin",
            "hrb.head",
            "hrb.clerk",
            330,
        ),
        (
            harbin,
            C.OTHER,
            1,
            f"{today.year}年度重点排污单位名录",
            texts.key_polluters(today.year, polluters),
            "hrb.admin",
            "hrb.clerk",
            "hrb.head",
            40,
        ),
        (
            harbin,
            C.RANDOM,
            3,
            f"{plan_year}年度“双随机、一公开”抽查工作计划",
            texts.random_plan(plan_year),
            "hrb.officer1",
            None,
            None,
            2,
        ),
        (
            qiqihar,
            C.ORGANISATION,
            1,
            "机构设置和工作职责",
            texts.organisation(qiqihar, QIQIHAR_OFFICES),
            "qqhr.admin",
            "qqhr.head",
            "qqhr.head",
            300,
        ),
        (
            qiqihar,
            C.PROCEDURES,
            1,
            "排污许可证核发办事指南",
            texts.permit_guide(qiqihar),
            "qqhr.admin",
            "qqhr.head",
            "qqhr.head",
            300,
        ),
        (
            qiqihar,
            C.SUPERVISION,
            1,
            "监督方式和救济渠道",
            texts.supervision(qiqihar, reconsideration_body=texts.government(qiqihar)),
            "qqhr.admin",
            "qqhr.head",
            "qqhr.head",
            300,
        ),
    ]


def load_disclosures(*, today: dt.date) -> int:
    if Disclosure.objects.exists():
        return 0
    agencies = {agency.code: agency for agency in Agency.objects.filter(code__in=["230100", "230200"])}
    staff = {user.username: user for user in User.objects.filter(agency__in=agencies.values())}
    story, items = Story(today), {}
    for agency, category, order, title, body, collector, reviewer, publisher, days_ago in _plan(today, agencies):
        day, key = story.day(days_ago), (agency.code, title)

        def collect(
            agency=agency, category=category, order=order, title=title, body=body, collector=collector, key=key
        ):
            items[key] = services.disclosure_collect(
                actor=staff[collector], agency=agency, category=category, order=order, title=title, body=body
            ).disclosure

        story.add(day, collect)
        _approve(story, staff, items, key, day, reviewer, publisher)
    _correct(story, staff, items, agencies["230100"])
    story.run()
    return Disclosure.objects.count()


def _approve(story, staff, items, key, day: dt.date, reviewer: str | None, publisher: str | None) -> None:
    """审核 on the next working day, 发布 on the one after; a None step waits."""
    if reviewer:
        story.add(story.later(day, 1), lambda: services.disclosure_review(actor=staff[reviewer], disclosure=items[key]))
    if reviewer and publisher:
        story.add(
            story.later(day, 2), lambda: services.disclosure_publish(actor=staff[publisher], disclosure=items[key])
        )


def _correct(story, staff, items, harbin: Agency) -> None:
    """The remedy text named the department as a review body; since 2024 only the city government hears it."""
    key, day = (harbin.code, "监督方式和救济渠道"), story.day(60)
    body = texts.supervision(harbin, reconsideration_body=texts.government(harbin))
    story.add(
        day,
        lambda: services.disclosure_collect(
            actor=staff["hrb.clerk"],
            disclosure=items[key],
            title=key[1],
            body=body,
            note="更正行政复议机关：2024年1月1日起施行的修订后《行政复议法》由市人民政府统一受理对本局行政行为的复议申请，"
            "删去“黑龙江省生态环境厅”。",
        ),
    )
    _approve(story, staff, items, key, day, "hrb.head", "hrb.clerk")
