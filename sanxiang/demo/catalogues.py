"""The demo's powers catalogues (权责清单) of 哈尔滨 and 齐齐哈尔, the violations hung on their penalty powers, their
双随机 inspection items with a share and yearly cap per tier, and their working rules (抽查工作细则) — entered by each
bureau's system administrator through the services a year before the demo's today, so that the portal publishes
them as 事前公开 items 2 and 5 and a case names the power it is exercised under.

The powers cite the articles that confer them. The shares and caps are each demo bureau's own published figures
(what its working rules set), not national rules: 国办发〔2024〕54号 leaves them to each area to publish.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.agencies.models import Agency, User
from sanxiang.cases.models import Violation
from sanxiang.cases.services import power_violations_set
from sanxiang.demo import disclosure_texts as texts
from sanxiang.demo.story import Story
from sanxiang.inspections.models import Method
from sanxiang.inspections.services import frequency_set, item_create, rules_set
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.services import power_create

ENV, AIR, WATER, WASTE = (
    "《中华人民共和国环境保护法》",
    "《中华人民共和国大气污染防治法》",
    "《中华人民共和国水污染防治法》",
    "《中华人民共和国固体废物污染环境防治法》",
)
PERMITS, EIA = "《排污许可管理条例》", "《中华人民共和国环境影响评价法》"
PENALTY, COERCION, INSPECTION, LICENSING = (
    PowerKind.PENALTY,
    PowerKind.COERCION,
    PowerKind.INSPECTION,
    PowerKind.LICENSING,
)
ENFORCEMENT, APPROVAL = "生态环境保护综合行政执法支队", "行政审批科"

# code, kind, name, basis, unit, violations of the catalogue it punishes
POWERS = [
    (
        "CF-001",
        PENALTY,
        "对无证、超标、超总量或者以逃避监管的方式排放大气污染物的行政处罚",
        f"{AIR}第九十九条",
        ENFORCEMENT,
        ["DQ-99"],
    ),
    (
        "CF-002",
        PENALTY,
        "对未按规定监测、安装自动监测设备或者设置大气污染物排放口的行政处罚",
        f"{AIR}第一百条",
        ENFORCEMENT,
        ["DQ-100"],
    ),
    (
        "CF-003",
        PENALTY,
        "对挥发性有机物废气未按规定收集、处理的行政处罚",
        f"{AIR}第一百零八条",
        ENFORCEMENT,
        ["DQ-108"],
    ),
    (
        "CF-004",
        PENALTY,
        "对未采取措施防治扬尘污染、恶臭气体排放的行政处罚",
        f"{AIR}第一百一十七条",
        ENFORCEMENT,
        ["DQ-117"],
    ),
    (
        "CF-005",
        PENALTY,
        "对无证、超标或者以逃避监管的方式排放水污染物的行政处罚",
        f"{WATER}第八十三条",
        ENFORCEMENT,
        ["SW-83"],
    ),
    (
        "CF-006",
        PENALTY,
        "对未按规定自行监测或者安装水污染物排放自动监测设备的行政处罚",
        f"{WATER}第八十二条",
        ENFORCEMENT,
        ["SW-82"],
    ),
    (
        "CF-007",
        PENALTY,
        "对违反危险废物管理规定的行政处罚",
        f"{WASTE}第一百一十二条",
        ENFORCEMENT,
        ["GF-112A", "GF-112B"],
    ),
    ("CF-008", PENALTY, "对未取得排污许可证排放污染物的行政处罚", f"{PERMITS}第三十三条", ENFORCEMENT, ["PX-33"]),
    (
        "CF-009",
        PENALTY,
        "对超过许可排放浓度、许可排放量排放污染物的行政处罚",
        f"{PERMITS}第三十四条",
        ENFORCEMENT,
        ["PX-34"],
    ),
    ("QZ-001", COERCION, "查封、扣押造成污染物排放的设施、设备", f"{ENV}第二十五条", ENFORCEMENT, []),
    ("QZ-002", COERCION, "查封、扣押排放大气污染物的有关设施、设备、物品", f"{AIR}第三十条", ENFORCEMENT, []),
    ("JC-001", INSPECTION, "对排放污染物的企业事业单位和其他生产经营者的现场检查", f"{ENV}第二十四条", ENFORCEMENT, []),
    ("XK-001", LICENSING, "排污许可证核发", f"{ENV}第四十五条；{PERMITS}第十二条", APPROVAL, []),
    ("XK-002", LICENSING, "建设项目环境影响报告书、报告表审批", f"{EIA}第二十二条", APPROVAL, []),
    ("XK-003", LICENSING, "危险废物经营许可证核发（权限内）", f"{WASTE}第八十条", APPROVAL, []),
]

# code, name, basis, subject, method, drawn at random, {tier: (share %, yearly cap)}
ITEMS = [
    (
        "SJ-001",
        "排污单位污染物排放情况检查",
        f"{ENV}第二十四条；{AIR}第九十九条；{WATER}第八十三条",
        "重点排污单位及其他实行排污许可管理的单位",
        Method.ON_SITE,
        True,
        {"key": ("100", 4), "general": ("10", 2), "positive": ("3", 1)},
    ),
    (
        "SJ-002",
        "排污许可证执行情况检查",
        f"{ENV}第二十四条、第四十五条；{PERMITS}第三十四条、第三十六条",
        "持有排污许可证的排污单位",
        Method.DOCUMENTS,
        True,
        {"key": ("100", 2), "general": ("5", 1), "positive": ("3", 1)},
    ),
    (
        "SJ-003",
        "自动监测设备安装、联网和运行情况检查",
        f"{AIR}第二十四条；{WATER}第二十三条",
        "应当安装自动监测设备的重点排污单位",
        Method.OFF_SITE,
        True,
        {"key": ("100", 4)},
    ),
    (
        "SJ-004",
        "危险废物规范化环境管理检查",
        f"{ENV}第二十四条；{WASTE}第一百一十二条",
        "危险废物产生单位和经营单位",
        Method.ON_SITE,
        True,
        {"key": ("100", 4), "general": ("10", 2)},
    ),
    (
        "SJ-005",
        "建设项目防治污染设施“三同时”情况检查",
        f"{ENV}第二十四条、第四十一条；《建设项目环境保护管理条例》第二十三条",
        "在建和新投入生产的建设项目",
        Method.ON_SITE,
        False,
        {"general": ("5", 1)},
    ),
]

# The bureau, its administrator, its rules' number, and the days ago it adopted its catalogue and items.
BUREAUS = [
    ("230000", "hlj.admin", "黑环发〔{year}〕8号", 380),
    ("230100", "hrb.admin", "哈环发〔{year}〕12号", 372),
    ("230200", "qqhr.admin", "齐环发〔{year}〕5号", 360),
]


def load_catalogues(*, today: dt.date) -> int:
    """Both bureaus' catalogues and items, once; returns how many powers were added."""
    if Power.objects.exists():
        return 0
    story = Story(today)
    for code, admin, number, days_ago in BUREAUS:
        agency = Agency.objects.get(code=code)
        actor = User.objects.get(username=admin)
        day = story.day(days_ago)
        story.add(day, lambda agency=agency, actor=actor, day=day: _powers(agency, actor, day))
        adopted = story.later(day, 3)
        story.add(
            adopted, lambda agency=agency, actor=actor, day=adopted, number=number: _items(agency, actor, day, number)
        )
    story.run()
    return Power.objects.count()


def _powers(agency: Agency, actor: User, day: dt.date) -> None:
    violations = {violation.code: violation for violation in Violation.objects.all()}
    for code, kind, name, basis, unit, hung in POWERS:
        power = power_create(
            actor=actor,
            agency=agency,
            code=f"{agency.code}-{code}",
            kind=kind,
            name=name,
            basis=basis,
            unit=unit,
            published_on=day,
        )
        if hung:
            power_violations_set(actor=actor, power=power, violations=[violations[number] for number in hung])


def _items(agency: Agency, actor: User, day: dt.date, number: str) -> None:
    document = number.format(year=day.year)
    rules_set(
        actor=actor,
        agency=agency,
        title=f"{agency.name}“双随机、一公开”抽查工作细则",
        document_number=document,
        adopted_on=day,
        text=texts.RANDOM_RULES,
    )
    power = Power.objects.get(agency=agency, code=f"{agency.code}-JC-001")
    citation = f"{document}《“双随机、一公开”抽查工作细则》第三条（本局自定的抽查比例和频次）"
    for code, name, basis, subject, method, random, frequencies in ITEMS:
        item = item_create(
            actor=actor,
            agency=agency,
            code=f"{agency.code}-{code}",
            power=power,
            name=name,
            basis=basis,
            subject=subject,
            method=method,
            random=random,
            published_on=day,
        )
        for tier, (share, cap) in frequencies.items():
            frequency_set(
                actor=actor, item=item, tier=tier, draw_percent=Decimal(share), yearly_cap=cap, citation=citation
            )
