"""Demo cases: a year of a Heilongjiang bureau's enforcement, replayed through the services on their real dates.

Every step runs with the clock set to its day, so deadlines, documents and ledger entries carry the dates an
agency would have seen. Dates count back from the day the demo is loaded; working-day periods are computed with
the calendar, so the story holds in any year. Enterprises and people are fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
from collections.abc import Callable
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone
from PIL import Image

from sanxiang.agencies.models import Agency, User
from sanxiang.cases import services
from sanxiang.cases.models import Case, Outcome, Party, PartyKind, Violation
from sanxiang.core.calendar import work_calendar
from sanxiang.demo import publicity, reviews
from sanxiang.demo.codes import demo_uscc
from sanxiang.demo.reviews import discretion_choices
from sanxiang.evidence.services import evidence_ingest

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
]


def _at(day: dt.date):
    moment = dt.datetime(day.year, day.month, day.day, 10, tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


def _photo(day: dt.date) -> bytes:
    """A small site photo with the EXIF a phone camera writes (time, and a place in Harbin)."""
    image = Image.new("RGB", (320, 240), (110, 120, 125))
    exif = image.getexif()
    exif[0x0132] = f"{day:%Y:%m:%d} 10:12:05"
    exif[0x8825] = {1: "N", 2: (45.0, 48.0, 12.0), 3: "E", 4: (126.0, 32.0, 24.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _clip(day: dt.date, seconds: int) -> bytes:
    """The header boxes of a body-worn camera clip: its recording time and length (the demo carries no footage)."""
    start = dt.datetime(day.year, day.month, day.day, 2, 5, tzinfo=dt.UTC)  # 10:05 Beijing time
    created = int((start - dt.datetime(1904, 1, 1, tzinfo=dt.UTC)).total_seconds())
    mvhd = b"\x00\x00\x00\x00" + struct.pack(">IIII", created, created, 1000, seconds * 1000) + bytes(80)
    moov = struct.pack(">I4s", 16 + len(mvhd), b"moov") + struct.pack(">I4s", 8 + len(mvhd), b"mvhd") + mvhd
    return struct.pack(">I4s", 16, b"ftyp") + b"isom\x00\x00\x02\x00" + moov


def _record(case, officer, act: str, day: dt.date) -> None:
    evidence_ingest(
        actor=officer,
        source=io.BytesIO(_photo(day)),
        original_name=f"IMG_{day:%m%d}_1012.jpg",
        act=act,
        kind="photo",
        recorded_by=officer,
        case=case,
        device="华为手机",
        place=case.party.address,
        description=f"{case.party.name}现场照片：生产设施及污染防治设施运行状况",
    )
    evidence_ingest(
        actor=officer,
        source=io.BytesIO(_clip(day, 754)),
        original_name=f"DSJ_{day:%Y%m%d}_1005.mp4",
        act=act,
        kind="video",
        recorded_by=officer,
        case=case,
        device="执法记录仪 DSJ-0381",
        place=case.party.address,
        description="执法人员出示执法证件、说明来意，检查污染防治设施全过程",
        speakers="执法人员；当事人现场负责人",
        dialogue="执法人员告知检查事由和当事人权利，当事人表示配合",
    )


def load_parties() -> dict[str, Party]:
    parties = {party.name: party for party in Party.objects.all()}
    for serial, (code, name, industry, key, representative, address) in enumerate(ENTERPRISES, start=300):
        if name not in parties:
            parties[name] = services.party_create(
                actor=None,
                agency=Agency.objects.get(code=code),
                kind=PartyKind.LEGAL_PERSON,
                name=name,
                uscc=demo_uscc("91", code, serial),
                legal_representative=representative,
                address=address,
                industry=industry,
                key_polluter=key,
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


def load_cases(*, today: dt.date) -> int:
    if Case.objects.exists():
        return 0
    parties = load_parties()
    staff = {user.username: user for user in User.objects.all()}
    story = Story(today)
    for script in SCRIPTS:
        script(story, staff, parties)
    story.run()
    return Case.objects.count()


def _walk(
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
):
    """One case from clue to `until`, starting `start` days ago; returns the shared state dict. A fine is
    calculated (自由裁量) with the factor `levels` before it is proposed; it equals the calculation unless a
    `departure` reason is given. A `legal_review` script (demo.reviews) runs between reconsideration and decision."""
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
                discovered_on=opened,
                summary=f"{party.name}{title}线索。",
            )
        elif step == "file":
            state["case"] = services.case_file(
                actor=staff[head], case=case, investigators=people, opinion="同意立案调查"
            )
        elif step == "record":
            _record(case, people[0], "evidence", timezone.localdate())
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
            state["case"] = services.case_serve(
                actor=people[0], case=case, served_on=timezone.localdate(), method="direct"
            )
        elif step == "pay":
            state["case"] = services.case_record_payment(
                actor=people[0], case=case, paid_on=timezone.localdate(), amount=fine
            )
        elif step == "close":
            state["case"] = services.case_close(actor=staff[head], case=case, summary="罚款已缴清，决定已履行完毕。")
        elif step == "archive" and shutil.which("soffice"):  # the archived file needs every document as PDF
            state["case"] = services.case_file_archive(actor=people[0], case=case)

    for step, day in plan:
        if step != "wait":
            story.add(day, lambda step=step: run(step))
        if step == until:
            break
    return state


def _harbin(story, staff, parties):
    common = {
        "agency_code": "230100",
        "officers": ["hrb.officer1", "hrb.officer3"],
        "head": "hrb.head",
        "reviewer": "hrb.reviewer",
    }
    # 300,000 yuan: in the catalogue of major decisions; the legal review agreed at the first round.
    _walk(
        story,
        staff,
        parties["哈尔滨北方精细化工有限公司"],
        title="超标排放大气污染物案",
        violation="DQ-99",
        fine="300000",
        levels={"污染": 2},
        start=240,
        until="archive",
        legal_review=reviews.agreed("hrb.reviewer"),
        **common,
    )
    _walk(
        story,
        staff,
        parties["哈尔滨龙泉皮革制品厂"],
        title="未按规定自行监测案",
        violation="SW-82",
        fine="40000",
        levels={"污染": 1},
        start=60,
        until="serve",
        **common,
    )
    _walk(
        story,
        staff,
        parties["哈尔滨市新阳建材有限公司"],
        title="物料堆场扬尘污染防治措施不到位案",
        violation="DQ-117",
        fine="30000",
        levels={"污染": 1, "过错": 1},
        start=45,
        until="decide",
        waive=True,
        **common,
    )
    repair = _walk(
        story,
        staff,
        parties["哈尔滨冰城汽车修配有限公司"],
        title="挥发性有机物未密闭治理案",
        violation="DQ-108",
        fine="40000",
        levels={"污染": 1},
        start=30,
        until="notify",
        **common,
    )
    # 责令改正 the day after filing: a decision of its own, published within twenty working days
    story.add(
        story.later(story.day(30), 3),
        lambda: services.correction_order_issue(
            actor=staff["hrb.officer1"],
            case=repair["case"],
            served_on=timezone.localdate(),
            content="立即对调漆、喷漆作业场所采取密闭措施，配套建设挥发性有机物收集处理设施并保持正常运行",
            correct_by=timezone.localdate() + dt.timedelta(days=30),
        ),
    )
    _walk(
        story,
        staff,
        parties["哈尔滨松江热电有限责任公司"],
        title="自动监测设备未联网案",
        violation="DQ-100",
        fine="80000",
        levels={"污染": 2, "过错": 1},
        start=20,
        until="submit",
        **common,
    )
    # A 300,000 yuan fine the party accepted: the legal review (法制审核) has run past its five working days.
    _walk(
        story,
        staff,
        parties["哈尔滨兴达危废处置有限公司"],
        title="危险废物贮存不规范案",
        violation="GF-112A",
        fine="300000",
        levels={"污染": 2},
        start=50,
        until="decide",
        waive=True,
        legal_review=reviews.waiting("hrb.reviewer", 9),
        **common,
    )
    _walk(
        story,
        staff,
        parties["哈尔滨兴达危废处置有限公司"],
        title="危险废物管理台账缺失线索",
        violation="GF-112A",
        fine=None,
        start=8,
        until="open",
        **common,
    )


def _hearing_case(story, staff, parties):
    """A 300,000 yuan fine: hearing requested and held; the reviewer who presided the hearing may not review it, so
    the bureau's 公职律师 does. Her opinion is contested and the heads, deliberating together, do not adopt it."""
    state = _walk(
        story,
        staff,
        parties["哈尔滨兴达危废处置有限公司"],
        title="超许可排放污染物案",
        violation="PX-34",
        fine="300000",
        levels={"污染": 2},
        start=75,
        until="notify",
        agency_code="230100",
        officers=["hrb.officer1", "hrb.officer3"],
        head="hrb.head",
        reviewer="hrb.reviewer",
    )
    opened = story.day(75)
    notified = story.later(story.later(opened, 2), 12)
    requested, notice = story.later(notified, 3), story.later(notified, 4)
    hearing_day = story.later(notice, 9)

    def request():
        state["case"] = services.case_request_hearing(
            actor=staff["hrb.officer1"], case=state["case"], requested_on=requested
        )

    def schedule():
        at = dt.datetime.combine(hearing_day, dt.time(9, 30), tzinfo=timezone.get_default_timezone())
        state["case"] = services.case_schedule_hearing(
            actor=staff["hrb.head"],
            case=state["case"],
            presiding=staff["hrb.reviewer"],
            hearing_at=at,
            place="哈尔滨市生态环境局三楼听证室",
            notice_served_on=notice,
        )

    def hold():
        state["case"] = services.case_record_hearing(
            actor=staff["hrb.reviewer"],
            case=state["case"],
            held_on=hearing_day,
            attended=True,
            record="当事人委托代理人到场，对在线监测数据的有效性提出异议。调查人员出示了比对监测报告。",
            report="当事人异议不成立，建议维持告知的处罚。",
        )

    def reconsider():
        state["case"] = services.case_reconsider(
            actor=staff["hrb.officer1"],
            case=state["case"],
            kinds=["fine"],
            fine=Decimal("300000"),
            confiscation=None,
            note="听证意见经复核不予采纳，维持罚款三十万元。",
        )

    reconsidered = story.later(hearing_day, 1)
    story.add(requested, request)
    story.add(notice, schedule)
    story.add(hearing_day, hold)
    story.add(reconsidered, reconsider)
    script = reviews.overruled("hrb.counsel", "hrb.head", ["hrb.head", "hrb.reviewer", "hrb.counsel"])
    decided = story.later(script(story, state, staff, "hrb.officer1", reconsidered), 1)
    story.add(
        decided,
        lambda: state.update(
            case=services.case_decide(actor=staff["hrb.head"], case=state["case"], outcome=Outcome.PENALTY)
        ),
    )
    story.add(
        story.later(decided, 1),
        lambda: state.update(
            case=services.case_serve(
                actor=staff["hrb.officer1"], case=state["case"], served_on=timezone.localdate(), method="direct"
            )
        ),
    )


def _other_cities(story, staff, parties):
    # 200,000 yuan against a calculated 80,000: the departure and its thin reason go to review, which asks for more.
    _walk(
        story,
        staff,
        parties["齐齐哈尔华安铸钢有限公司"],
        title="无组织排放颗粒物案",
        violation="DQ-108",
        fine="200000",
        levels={"污染": 2, "改正": 1},
        departure="情节严重，从重处罚",
        start=120,
        until="archive",
        agency_code="230200",
        officers=["qqhr.officer1", "qqhr.officer2"],
        head="qqhr.head",
        reviewer="qqhr.reviewer",
        legal_review=reviews.corrected(
            "qqhr.reviewer",
            {"污染": 2, "再犯": 2, "改正": 1},
            "两年内第三次因同类行为受到处罚，经责令改正后拒不改正，依本局裁量基准从重，按上限处罚",
        ),
    )
    _walk(
        story,
        staff,
        parties["大庆龙油石化有限公司"],
        title="排放口设置与排污许可证不符案",
        violation="PX-36",
        fine="200000",
        levels={"污染": 3, "过错": 1, "方式": 1, "再犯": 2, "改正": 1},
        start=60,
        until="decide",
        agency_code="230600",
        officers=["dq.officer1", "dq.officer2"],
        head="dq.head",
        reviewer="dq.reviewer",
        legal_review=reviews.upheld("dq.reviewer", "dq.head"),
    )
    _walk(
        story,
        staff,
        parties["大庆龙油石化有限公司"],
        title="未按排污许可证规定自行监测案",
        violation="PX-36",
        fine="60000",
        levels={"污染": 1, "过错": 1},
        start=25,
        until="review",
        agency_code="230600",
        officers=["dq.officer1", "dq.officer2"],
        head="dq.head",
        reviewer="dq.reviewer",
    )
    state = _walk(
        story,
        staff,
        parties["牡丹江恒丰纸业有限公司"],
        title="废水排放口设置不规范线索",
        violation="SW-84",
        fine=None,
        start=50,
        until="file",
        agency_code="231000",
        officers=["mdj.officer1", "mdj.officer2"],
        head="mdj.head",
        reviewer="mdj.head",
    )
    story.add(
        story.later(story.day(50), 6),
        lambda: state.update(
            case=services.case_withdraw(
                actor=staff["mdj.head"],
                case=state["case"],
                reason="经复查，排放口已于立案前依法备案，不符合立案条件，予以销案。",
            )
        ),
    )
    daoli = _walk(
        story,
        staff,
        parties["哈尔滨市道里区鑫源洗涤有限公司"],
        title="群众投诉洗涤废水外溢线索",
        violation="SW-83",
        fine=None,
        start=15,
        until="open",
        agency_code="230102",
        officers=["hrbdl.officer1", "hrbnq.officer1"],
        head="hrb.head",
        reviewer="hrb.reviewer",
    )
    story.add(
        story.later(story.day(15), 3),
        lambda: daoli.update(
            case=services.case_not_file(
                actor=staff["hrb.head"],
                case=daoli["case"],
                reason="经现场核查，外溢系市政管网堵塞所致，当事人无违法行为。",
            )
        ),
    )


def _publicity_decisions(story, staff, parties):
    """Decisions whose publication goes otherwise than usual: a 2025 fine whose year on the portal has run out, a
    spring fine whose publication ended early after the party's credit repair, and one withheld from the internet
    because its main facts are a commercial secret (demo.publicity)."""
    _walk(
        story,
        staff,
        parties["哈尔滨龙泉皮革制品厂"],
        title="未按规定自行监测案（2025年）",
        violation="SW-82",
        fine="40000",
        levels={"污染": 1},
        start=430,
        until="close",
        agency_code="230100",
        officers=["hrb.officer2", "hrb.officer4"],
        head="hrb.head",
        reviewer="hrb.reviewer",
    )
    _walk(
        story,
        staff,
        parties["大庆市萨尔图区顺达洗车行"],
        title="喷漆作业挥发性有机物未密闭治理案",
        violation="DQ-108",
        fine="40000",
        levels={"污染": 1},
        start=300,
        until="close",
        agency_code="230600",
        officers=["dq.officer1", "dq.officer2"],
        head="dq.head",
        reviewer="dq.reviewer",
    )
    _walk(
        story,
        staff,
        parties["齐齐哈尔鹤城乳业有限公司"],
        title="未按规定自行监测案",
        violation="SW-82",
        fine="40000",
        levels={"污染": 1},
        start=90,
        until="close",
        agency_code="230200",
        officers=["qqhr.officer1", "qqhr.officer2"],
        head="qqhr.head",
        reviewer="qqhr.reviewer",
    )


SCRIPTS = [_harbin, _hearing_case, _other_cities, _publicity_decisions, publicity.licences, publicity.rounds]
