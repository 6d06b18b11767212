"""The bureaus of the generated year: each city's people (a head, a legal reviewer, a publicity clerk, an
administrator and its officers with their 执法证) and its directory of enterprises, imported from a spreadsheet as
staff import theirs. Every name, certificate and credit code is fictional; the credit codes carry valid check
characters (core.identifiers through demo.codes)."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from sanxiang.agencies import services as agencies
from sanxiang.agencies.models import Agency, Certificate, EnforcementDomain, ReviewPost, Role, User
from sanxiang.cases.models import Party
from sanxiang.cases.services import parties_import
from sanxiang.core.csvlines import csv_lines
from sanxiang.demo.agencies import DEMO_PASSWORD
from sanxiang.demo.codes import demo_uscc, permit_number
from sanxiang.demo.directory import FIELDS, ROADS, TRADES, WORDS

# city code: (username prefix, short name, relative size, districts as (name, GB/T 2260 code)). Harbin's directory
# is demo.directory's; the others get theirs here. The size scales every count of the city (Harbin the largest).
CITIES = {
    "230100": ("hrb", "哈尔滨", 2.2, [("道里区", "230102"), ("南岗区", "230103"), ("香坊区", "230110")]),
    "230200": ("qqhr", "齐齐哈尔", 1.3, [("龙沙区", "230202"), ("建华区", "230203"), ("富拉尔基区", "230206")]),
    "230300": ("jx", "鸡西", 0.8, [("鸡冠区", "230302"), ("恒山区", "230303")]),
    "230400": ("hg", "鹤岗", 0.6, [("向阳区", "230402"), ("工农区", "230403")]),
    "230500": ("sys", "双鸭山", 0.7, [("尖山区", "230502"), ("岭东区", "230503")]),
    "230600": ("dq", "大庆", 1.5, [("萨尔图区", "230602"), ("龙凤区", "230603"), ("让胡路区", "230604")]),
    "230700": ("yc", "伊春", 0.5, [("伊美区", "230717"), ("铁力市", "230781")]),
    "230800": ("jms", "佳木斯", 1.0, [("前进区", "230804"), ("东风区", "230805")]),
    "230900": ("qth", "七台河", 0.6, [("桃山区", "230903"), ("新兴区", "230902")]),
    "231000": ("mdj", "牡丹江", 1.1, [("东安区", "231002"), ("阳明区", "231003"), ("爱民区", "231004")]),
    "231100": ("hh", "黑河", 0.5, [("爱辉区", "231102"), ("北安市", "231181")]),
    "231200": ("sh", "绥化", 0.9, [("北林区", "231202"), ("安达市", "231281")]),
    "232700": ("dxal", "大兴安岭", 0.4, [("漠河市", "232701"), ("塔河县", "232722")]),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = (
    "建华 志刚 海涛 丽娜 晓东 春燕 国华 秀兰 永强 玉梅 振宇 雪松 立伟 慧敏 文斌 淑芬 宏亮 桂英 德胜 晓光 "
    "凤芝 铁军 俊峰 艳丽 长江 红梅 金龙 佳琪 明辉 静怡"
).split()


@dataclass
class Bureau:
    """One city bureau of the generated year: who acts for it and whom it regulates."""

    code: str
    agency: Agency
    size: float
    head: User
    reviewer: User
    clerk: User
    admin: User
    officers: list[User]
    parties: list[Party] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return CITIES[self.code][0]

    @property
    def city(self) -> str:
        return CITIES[self.code][1]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _ensure(agency, username, rng, roles, title, *, reviewer=False) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    extra = {}
    if reviewer:
        extra = {
            "has_legal_qualification": True,
            "legal_qualification_number": f"A2020{agency.code}{rng.randrange(1000, 9999)}",
            "review_post": ReviewPost.REVIEW_POST,
            "reviewing_since": dt.date(2021, 3, 1),
        }
    return agencies.staff_create(
        actor=None,
        agency=agency,
        username=username,
        full_name=person(rng),
        password=DEMO_PASSWORD,
        roles=roles,
        job_title=title,
        **extra,
    )


def _certified(officer: User, serial: int, today: dt.date, rng: random.Random) -> None:
    if Certificate.objects.filter(holder=officer).exists():
        return
    issued = dt.date(today.year - rng.randint(1, 4), rng.randint(1, 12), rng.randint(1, 28))
    agencies.certificate_issue(
        actor=None,
        holder=officer,
        number=f"{officer.agency.code}{issued:%y}{serial:04d}",
        domain=EnforcementDomain.ECOLOGY,
        issued_on=issued,
        expires_on=today + dt.timedelta(days=rng.randint(400, 1400)),
    )


def bureau(code: str, officers: int, today: dt.date, rng: random.Random) -> Bureau:
    """The city's people, reusing the hand-told demo's where it has them and adding the rest; the new officers'
    certificates were issued years before the year begins and stay valid through it."""
    prefix, _name, size, _districts = CITIES[code]
    agency = Agency.objects.get(code=code)
    head = _ensure(agency, f"{prefix}.head", rng, [Role.HEAD], "局长")
    reviewer = _ensure(agency, f"{prefix}.reviewer", rng, [Role.REVIEWER], "法制审核岗", reviewer=True)
    clerk = _ensure(agency, f"{prefix}.clerk", rng, [Role.PUBLICITY_CLERK], "政务公开专员")
    admin = _ensure(agency, f"{prefix}.admin", rng, [Role.ADMIN], "办公室信息员")
    people = []
    number = 1
    while len(people) < officers:
        user = _ensure(agency, f"{prefix}.officer{number}", rng, [Role.OFFICER], "执法支队队员")
        number += 1
        certificate = user.certificates.order_by("-issued_on").first()
        if certificate is not None and certificate.status != "valid":
            continue  # the hand-told demo's suspended and revoked holders do not inspect
        if certificate is not None and certificate.expires_on < today:
            continue
        _certified(user, 100 + number, today, rng)
        people.append(user)
    return Bureau(code, agency, size, head, reviewer, clerk, admin, people)


def directory(bureau: Bureau, count: int, rng: random.Random) -> list[Party]:
    """The city's directory: Harbin's from demo.directory (imported a year ago), the others' imported now by an
    officer; then the list the generator draws its cases and applications from, in a seeded order."""
    if bureau.code != "230100":
        _import(bureau, count, rng)
    parties = list(Party.objects.filter(agency=bureau.agency, kind="legal_person").exclude(uscc="").order_by("uscc"))
    rng.shuffle(parties)
    bureau.parties = parties
    return parties


def _import(bureau: Bureau, count: int, rng: random.Random) -> None:
    _prefix, city, _size, districts = CITIES[bureau.code]
    rows, names = [], set()
    serial = 40000 + int(bureau.code[2:4]) * 1000 + (500 if bureau.code.startswith("2327") else 0)
    while len(rows) < count:
        area, division = rng.choice(districts)
        industry, ending, permitted = rng.choice(TRADES)
        name = f"{city}{rng.choice(['', '市'])}{rng.choice(WORDS)}{rng.choice(WORDS)}{ending}"
        if name in names:
            continue
        names.add(name)
        uscc = demo_uscc("91", division, serial + len(rows))
        key = rng.random() < 0.12
        tier = "重点监管" if key else "正面清单" if rng.random() < 0.12 else "一般监管"
        rows.append(
            [
                name,
                uscc,
                "法人",
                f"{city}市{area}{rng.choice(ROADS)}{rng.randint(1, 300)}号",
                division,
                industry,
                permit_number(uscc) if permitted and (key or rng.random() < 0.4) else "",
                tier,
                "是" if key else "否",
                person(rng),
                f"0{rng.randint(450, 469)}-{rng.randint(2000000, 8999999)}",
            ]
        )
    content = "".join(csv_lines(FIELDS, rows)).encode("utf-8")
    parties_import(actor=bureau.officers[0], agency=bureau.agency, source=io.BytesIO(content), file_format="csv")
