"""The machinery of the demo's year: its enterprises, the Story that runs every step on its own date, and a walk
of one case through the ordinary procedure with the photos and camera clips an officer would record.

Every step runs with the clock set to its day, so deadlines, documents and ledger entries carry the dates an
agency would have seen. Enterprises and people are fictional.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import struct
from collections.abc import Callable
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone
from PIL import Image

from sanxiang.agencies.models import Agency
from sanxiang.cases import services
from sanxiang.cases.models import Outcome, Party, PartyKind, Tier, Violation
from sanxiang.core.calendar import work_calendar
from sanxiang.demo.codes import demo_uscc, division_of, permit_number
from sanxiang.demo.reviews import discretion_choices
from sanxiang.evidence.services import evidence_ingest
from sanxiang.uploads.services import upload_append, upload_create, upload_offset

# (agency code, name, industry, key polluter, legal representative, address)
ENTERPRISES = [
    ("230100", "哈尔滨北方精细化工有限公司", "化学原料和化学制品制造业", True, "孙建业", "哈尔滨市松北区化工路 18 号"),
    ("230100", "哈尔滨松江热电有限责任公司", "电力、热力生产和供应业", True, "邵明远", "哈尔滨市道外区化工路 36 号"),
    ("230100", "哈尔滨龙泉皮革制品厂", "皮革、毛皮制品业", False, "钱学军", "哈尔滨市呼兰区利民开发区 7 号"),
    ("230100", "哈尔滨市新阳建材有限公司", "非金属矿物制品业", False, "冯宝山", "哈尔滨市香坊区成高子镇 12 号"),
    ("230100", "哈尔滨冰城汽车修配有限公司", "机动车维修", False, "陆海涛", "哈尔滨市南岗区王岗大街 88 号"),
    ("230100", "哈尔滨兴达危废处置有限公司", "生态保护和环境治理业", True, "周立华", "哈尔滨市双城区新兴工业园 3 号"),
    ("230102", "哈尔滨市道里区鑫源洗涤有限公司", "居民服务业", False, "任晓梅", "哈尔滨市道里区新阳路 105 号"),
    (
        "230200",
        "齐齐哈尔华安铸钢有限公司",
        "黑色金属冶炼和压延加工业",
        True,
        "常德胜",
        "齐齐哈尔市富拉尔基区钢厂路 9 号",
    ),
    ("230200", "齐齐哈尔鹤城乳业有限公司", "食品制造业", False, "韩秀英", "齐齐哈尔市昂昂溪区乳品路 2 号"),
    ("230600", "大庆龙油石化有限公司", "石油、煤炭及其他燃料加工业", True, "葛振华", "大庆市龙凤区卧里屯大街 1 号"),
    ("230600", "大庆市萨尔图区顺达洗车行", "机动车维修", False, "黄卫东", "大庆市萨尔图区纬二路 56 号"),
    ("231000", "牡丹江恒丰纸业有限公司", "造纸和纸制品业", True, "霍立新", "牡丹江市阳明区恒丰路 1 号"),
    ("230100", "哈尔滨市道外区永兴石材加工部", "非金属矿物制品业", False, "刘永兴", "哈尔滨市道外区团结镇 21 号"),
    ("230100", "哈尔滨市呼兰区金鼎电镀厂", "金属表面处理及热处理加工", True, "于德海", "哈尔滨市呼兰区电镀工业园 9 号"),
]
# 个体工商户 (USCC prefix 92): the amounts for citizens apply to them (docs/domain.md §17).
INDIVIDUAL_BUSINESSES = {"哈尔滨市道外区永兴石材加工部"}
# The 正面清单 of the demo's directory: enterprises of low risk and good record, inspected off-site if at all.
POSITIVE_LIST = {"哈尔滨市新阳建材有限公司", "齐齐哈尔鹤城乳业有限公司"}


def _at(day: dt.date):
    moment = dt.datetime(day.year, day.month, day.day, 10, tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


def site_photo(day: dt.date, taken: str = "10:12:05") -> bytes:
    """A small site photo with the EXIF a phone camera writes (time, and a place in Harbin)."""
    image = Image.new("RGB", (320, 240), (110, 120, 125))
    exif = image.getexif()
    exif[0x0132] = f"{day:%Y:%m:%d} {taken}"
    exif[0x8825] = {1: "N", 2: (45.0, 48.0, 12.0), 3: "E", 4: (126.0, 32.0, 24.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _clip(day: dt.date, seconds: int) -> bytes:
    """The header boxes of a body-worn camera clip: its recording time and length (the demo carries no footage)."""
    start = dt.datetime(day.year, day.month, day.day, 1, 5, tzinfo=dt.UTC)  # 09:05 Beijing time
    created = int((start - dt.datetime(1904, 1, 1, tzinfo=dt.UTC)).total_seconds())
    mvhd = b"\x00\x00\x00\x00" + struct.pack(">IIII", created, created, 1000, seconds * 1000) + bytes(80)
    moov = struct.pack(">I4s", 16 + len(mvhd), b"moov") + struct.pack(">I4s", 8 + len(mvhd), b"mvhd") + mvhd
    return struct.pack(">I4s", 16, b"ftyp") + b"isom\x00\x00\x02\x00" + moov


def record_act(case, officer, act: str, day: dt.date) -> None:
    """The photo and camera clip an officer records of an act of `case` on `day`."""
    evidence_ingest(
        actor=officer,
        source=io.BytesIO(site_photo(day)),
        original_name=f"IMG_{day:%m%d}_1012.jpg",
        act=act,
        kind="photo",
        recorded_by=officer,
        case=case,
        device="华为手机",
        place=case.party.address,
        description=f"{case.party.name}现场照片：生产设施及污染防治设施运行状况",
    )
    clip = _clip(day, 754)
    details = {
        "act": act,
        "kind": "video",
        "device": "执法记录仪 DSJ-0381",
        "place": case.party.address,
        "description": "执法人员出示执法证件、说明来意，检查污染防治设施全过程",
        "speakers": "执法人员；当事人现场负责人",
        "dialogue": "执法人员告知检查事由和当事人权利，当事人表示配合",
    }
    # Sent from the site by resumable upload (tus): the connection breaks half-way through, the phone asks where
    # the server got to and sends the rest; the clip is registered only as the hash taken at capture.
    upload = upload_create(
        actor=officer,
        case=case,
        length=len(clip),
        capture_sha256=hashlib.sha256(clip).hexdigest(),
        # named by the recorder as its dock copies it: device, the wearer's certificate, start, file of the recording
        original_name=f"DSJ-0381_{officer.certificates.latest('issued_on').number}_{day:%Y%m%d}090500_0001.MP4",
        details=details,
    )
    upload_append(actor=officer, upload=upload, offset=0, source=io.BytesIO(clip[: len(clip) // 2]), size=len(clip))
    offset = upload_offset(upload=upload)
    upload_append(
        actor=officer, upload=upload, offset=offset, source=io.BytesIO(clip[offset:]), size=len(clip) - offset
    )


def load_parties() -> dict[str, Party]:
    """The enterprises of the demo's cases, each with its district, its tier (a key polluter is watched most, a few
    are on the 正面清单) and, for a key polluter, its 排污许可证."""
    parties = {party.name: party for party in Party.objects.all()}
    for serial, (code, name, industry, key, representative, address) in enumerate(ENTERPRISES, start=300):
        if name not in parties:
            uscc = demo_uscc("92" if name in INDIVIDUAL_BUSINESSES else "91", code, serial)
            parties[name] = services.party_create(
                actor=None,
                agency=Agency.objects.get(code=code),
                kind=PartyKind.INDIVIDUAL_BUSINESS if name in INDIVIDUAL_BUSINESSES else PartyKind.LEGAL_PERSON,
                name=name,
                uscc=uscc,
                legal_representative=representative,
                address=address,
                industry=industry,
                key_polluter=key,
                division=division_of(address),
                permit_number=permit_number(uscc) if key else "",
                tier=Tier.KEY if key else Tier.POSITIVE if name in POSITIVE_LIST else Tier.GENERAL,
            )
    return parties


class Story:
    """The steps of all demo cases, run in date order so the ledger reads like the year it records."""

    def __init__(self, today: dt.date):
        self.today, self.calendar, self.steps = today, work_calendar(), []

    def day(self, days_ago: int) -> dt.date:
        day = self.today - dt.timedelta(days=days_ago)
        while not self.calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def later(self, day: dt.date, workdays: int) -> dt.date:
        return self.calendar.add_working_days(day, workdays).date

    def add(self, day: dt.date, step: Callable[[], None]) -> None:
        self.steps.append((day, len(self.steps), step))

    def run(self) -> None:
        for day, _order, step in sorted(self.steps, key=lambda item: item[:2]):
            if day > self.today:
                continue
            with _at(day), transaction.atomic():
                step()


def walk(
    story,
    staff,
    party,
    *,
    agency_code,
    officers,
    head,
    reviewer,
    title,
    violation,
    fine,
    start,
    until,
    kinds=("fine",),
    waive=False,
    levels=None,
    departure="",
    legal_review=None,
    service="direct",
):
    """One case from clue to `until`, starting `start` days ago; returns the shared state dict. A fine is
    calculated (自由裁量) with the factor `levels` before it is proposed; it equals the calculation unless a
    `departure` reason is given. A `legal_review` script (demo.reviews) runs between reconsideration and decision;
    `service` is how the decision is served ("public_notice": the day of the notice, deemed served 30 days on)."""
    state: dict = {}
    opened = story.day(start)
    agency = Agency.objects.get(code=agency_code)
    people = [staff[name] for name in officers]
    violation = Violation.objects.get(code=violation)
    plan = [("open", opened)]
    filed = story.later(opened, 2)
    plan += [
        ("file", filed),
        ("record", story.later(filed, 1)),
        ("calculate", story.later(filed, 7)),
        ("submit", story.later(filed, 8)),
        ("review", story.later(filed, 10)),
        ("notify", story.later(filed, 12)),
    ]
    notified = story.later(filed, 12)
    reconsidered = story.later(notified, 6)
    plan += [("waive" if waive else "wait", story.later(notified, 1)), ("reconsider", reconsidered)]
    cleared = legal_review(story, state, staff, officers[0], reconsidered) if legal_review else reconsidered
    if cleared is not None:
        decided = story.later(cleared, 1)
        plan += [
            ("decide", decided),
            ("serve", story.later(decided, 1)),
            ("pay", story.later(decided, 8)),
            ("close", story.later(decided, 11)),
            ("archive", story.later(decided, 13)),
        ]
    fine = Decimal(fine) if fine else None

    def run(step):
        case = state.get("case")
        if step == "open":
            state["case"] = services.case_open(
                actor=people[0],
                agency=agency,
                party=party,
                title=title,
                source="inspection",
                violation=violation,
                act_date=opened - dt.timedelta(days=3),
                act_place=party.address,
                act_division=agency.code,
                discovered_on=opened,
                summary=f"{party.name}{title}线索。",
            )
        elif step == "file":
            state["case"] = services.case_file(
                actor=staff[head], case=case, investigators=people, opinion="同意立案调查"
            )
        elif step == "record":
            record_act(case, people[0], "evidence", timezone.localdate())
        elif step == "calculate" and fine:
            state["case"] = services.case_calculate_discretion(
                actor=people[0],
                case=case,
                violation=violation,
                choices=discretion_choices(violation, agency, levels or {}),
            )
        elif step == "submit":
            state["case"] = services.case_submit(
                actor=people[0],
                case=case,
                facts=f"经查，{party.name}存在{violation.name}的行为。",
                evidence="现场检查（勘察）笔录、调查询问笔录、监测报告、现场照片",
                basis=violation.basis,
                kinds=list(kinds),
                fine=fine,
                discretion=case.discretion or None,
                departure_reason=departure,
            )
        elif step == "review":
            state["case"] = services.case_review(
                actor=staff[reviewer], case=case, opinion="事实清楚，证据确凿，程序合法，同意告知。", approve_case=True
            )
        elif step == "notify":
            state["case"] = services.case_notify(actor=people[0], case=case, served_on=timezone.localdate())
        elif step == "waive":
            state["case"] = services.case_record_waiver(actor=people[0], case=case, waived_on=timezone.localdate())
        elif step == "reconsider":
            state["case"] = services.case_reconsider(
                actor=people[0],
                case=case,
                kinds=list(kinds),
                fine=fine,
                confiscation=None,
                note="当事人未提出陈述申辩，维持告知的处罚。",
            )
        elif step == "decide":
            state["case"] = services.case_decide(
                actor=staff[head], case=case, outcome=Outcome.PENALTY if kinds else Outcome.NO_PENALTY
            )
        elif step == "serve":
            day = {"notice_on" if service == "public_notice" else "served_on": timezone.localdate()}
            state["case"] = services.case_serve(actor=people[0], case=case, method=service, **day)
        elif step == "pay":
            state["case"] = services.case_record_payment(
                actor=people[0], case=case, paid_on=timezone.localdate(), amount=fine
            )
        elif step == "close":
            state["case"] = services.case_close(actor=staff[head], case=case, summary="罚款已缴清，决定已履行完毕。")
        elif step == "archive" and shutil.which("soffice"):  # the archived file needs every document as PDF
            # packed here and now (not by the worker): the story's day is the archiving day
            state["case"] = services.case_file_pack_and_archive(actor=people[0], case=case)

    for step, day in plan:
        if step != "wait":
            story.add(day, lambda step=step: run(step))
        if step == until:
            break
    return state
