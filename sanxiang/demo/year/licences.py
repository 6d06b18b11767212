"""The licence applications of the generated year (环评报告表 and 报告书审批): each bureau publishes its types as
哈尔滨 does (demo.licensing), then the window takes applications through the year — most approved, some refused with
their reasons, the latest still under examination — every step through the licensing services on its day."""

from __future__ import annotations

import datetime as dt
import random

from sanxiang.demo.licensing import SAMPLE, TYPES
from sanxiang.licensing import services
from sanxiang.licensing.models import Application, LicenceType
from sanxiang.powers.models import Power

PROJECTS = [
    "锅炉超低排放改造项目",
    "污水处理站提标改造项目",
    "年产5万吨饲料生产线项目",
    "喷涂车间挥发性有机物治理项目",
    "原料库房扩建项目",
    "余热回收利用项目",
    "新建物料封闭堆棚项目",
    "生产线技术改造项目",
]
REFUSALS = [
    "项目选址位于城镇集中式饮用水水源保护区内，依法不得建设排放污染物的建设项目",
    "项目所在区域大气环境质量未达标且未提出有效的区域削减措施，不符合环境准入要求",
    "报告表对主要污染物的排放量核算依据不足，经一次告知补正后仍未补正",
]


def types(story, bureau, day: dt.date) -> None:
    """The bureau's 环评 types (the first two of demo.licensing's), published by its administrator."""
    if LicenceType.objects.filter(agency=bureau.agency).exists():
        return
    window = f"{bureau.agency.name}行政审批窗口"

    def publish():
        for row in TYPES[:2]:
            code, power, name, category, basis, days, unit, citation, extendable, hearing, expert, site, years, ms = row
            kind = services.licence_type_save(
                actor=bureau.admin,
                agency=bureau.agency,
                code=f"{bureau.code}-{code}",
                name=name,
                power=Power.objects.get(agency=bureau.agency, code=f"{bureau.code}-{power}"),
                category=category,
                basis=basis,
                decision_days=days,
                decision_unit=unit,
                decision_citation=citation,
                promised_days=None,
                extendable=extendable,
                hearing=hearing,
                expert_review=expert,
                site_check=site,
                validity_years=years,
                renewable=bool(years),
                window=window,
            )
            services.licence_type_materials(
                actor=bureau.admin,
                licence_type=kind,
                materials=[
                    {"code": c, "name": n, "required": r, "sample": SAMPLE if c == "M1" else ""} for c, n, r in ms
                ],
            )

    story.add(day, publish)


def applications(story, bureau, rng: random.Random, count: int) -> None:
    begin, end = dt.date(story.today.year, 2, 1), story.today - dt.timedelta(days=2)
    span = (end - begin).days
    for number in range(count):
        submitted = begin + dt.timedelta(days=int(span * (number + rng.random()) / count))
        while not story.calendar.is_workday(submitted):
            submitted += dt.timedelta(days=1)
        party = bureau.parties[-1 - number % len(bureau.parties)]
        _desk(story, bureau, rng, party, submitted, refuse=rng.random() < 0.15)


def _desk(story, bureau, rng, party, submitted: dt.date, *, refuse: bool) -> None:
    state: dict = {}
    officer, head = rng.choice(bureau.officers), bureau.head
    code = f"{bureau.code}-HP-BGB"
    project, reason, method = rng.choice(PROJECTS), rng.choice(REFUSALS), rng.choice(["window", "direct", "mail"])
    later = story.later

    def app() -> Application | None:
        application = state.get("app")
        if application is not None:
            application.refresh_from_db()
        return application

    def submit():
        kind = LicenceType.objects.get(code=code)
        state["app"] = services.application_submit(
            actor=officer,
            licence_type=kind,
            channel="window",
            applicant_name=party.name,
            applicant_uscc=party.uscc,
            applicant_address=party.address,
            contact_name=party.legal_representative or "联系人",
            phone=party.phone or "0451-84600000",
            project=project,
            request=f"申请{kind.name}：{project}",
            materials=["M1", "M2"],
        )

    accepted = later(submitted, rng.randint(0, 2))
    examined = later(accepted, rng.randint(3, 8))
    decided = later(examined, rng.randint(2, 8))
    story.add(submitted, submit)
    story.add(accepted, lambda: services.application_accept(actor=officer, application=app()))
    story.add(
        examined,
        lambda: services.application_examine(
            actor=officer,
            application=app(),
            kind="materials",
            findings="报告表编制规范，污染防治措施可行" if not refuse else "项目选址与环境准入要求不符",
        ),
    )
    if refuse:
        story.add(decided, lambda: services.application_refuse(actor=head, application=app(), reason=reason))
    else:
        story.add(
            decided,
            lambda: services.application_grant(
                actor=head, application=app(), content="同意该项目按报告表所列性质、规模、地点和环境保护措施建设"
            ),
        )
    served = later(decided, rng.randint(1, 3))
    story.add(served, lambda: services.application_serve(actor=officer, application=app(), method=method))
