"""Demo cases: a year of a Heilongjiang bureau's enforcement, replayed through the services on their real dates
(demo.story). Dates count back from the day the demo is loaded; working-day periods are computed with the
calendar, so the story holds in any year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.agencies.models import User
from sanxiang.cases import services
from sanxiang.cases.models import Case, Outcome
from sanxiang.demo import closure, derived, licensing, onsite, publicity, reviews, signatures, subscriptions
from sanxiang.demo.story import Story, load_parties, walk


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


def _harbin(story, staff, parties):
    common = {
        "agency_code": "230100",
        "officers": ["hrb.officer1", "hrb.officer3"],
        "head": "hrb.head",
        "reviewer": "hrb.reviewer",
    }
    # 300,000 yuan: in the catalogue of major decisions; the legal review agreed at the first round.
    walk(
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
    walk(
        story,
        staff,
        parties["哈尔滨龙泉皮革制品厂"],
        title="未按规定自行监测案",
        violation="SW-82",
        fine="40000",
        levels={"污染": 1},
        start=60,
        until="serve",
        service="public_notice",  # the tannery closed its gates and its owner cannot be found: 公告送达
        **common,
    )
    walk(
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
    repair = walk(
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
    heat = walk(
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
    # 比对监测 of the plant's analyser stops the 90-day clock for three days (both ends counted)
    monitored = story.later(story.later(story.day(20), 2), 3)
    story.add(
        monitored,
        lambda: heat.update(
            case=services.case_suspend(
                actor=staff["hrb.officer1"], case=heat["case"], kind="monitoring", started_on=timezone.localdate()
            )
        ),
    )
    story.add(
        story.later(monitored, 2),
        lambda: heat.update(
            case=services.case_resume(actor=staff["hrb.officer1"], case=heat["case"], ended_on=timezone.localdate())
        ),
    )
    # A 300,000 yuan fine the party accepted: the legal review (法制审核) has run past its five working days.
    walk(
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
    # A 个体工商户: 10,000 yuan is a 较大数额 for it as for a citizen, so the notice offers a hearing (waived) and
    # the fine is in the review catalogue's citizens' line.
    walk(
        story,
        staff,
        parties["哈尔滨市道外区永兴石材加工部"],
        title="石材切割粉尘未采取抑尘措施案",
        violation="DQ-117",
        fine="10000",
        levels={},
        start=70,
        until="close",
        waive=True,
        legal_review=reviews.agreed("hrb.reviewer"),
        **common,
    )
    walk(
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
    state = walk(
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
    # The foundry does not pay and applies for 复议 to the city government, which revokes the decision for unclear
    # facts: its publication is withdrawn that day, and with nothing left to carry out the case is closed.
    steel = walk(
        story,
        staff,
        parties["齐齐哈尔华安铸钢有限公司"],
        title="无组织排放颗粒物案",
        violation="DQ-108",
        fine="200000",
        levels={"污染": 2, "改正": 1},
        departure="情节严重，从重处罚",
        start=120,
        until="serve",
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
    _reconsideration_revokes(story, staff, steel)
    walk(
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
    walk(
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
    state = walk(
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
    daoli = walk(
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


def _reconsideration_revokes(story, staff, state):
    def bring():
        state["challenge"] = services.challenge_record(
            actor=staff["qqhr.reviewer"],
            case=state["case"],
            kind="reconsideration",
            body="齐齐哈尔市人民政府",
            reference="齐政复〔2026〕7号",
            filed_on=timezone.localdate(),
        )

    def revoke():
        services.challenge_decide(
            actor=staff["qqhr.reviewer"],
            case=state["case"],
            challenge=state["challenge"],
            decided_on=timezone.localdate(),
            outcome="revoked",
            note="认定当事人“两年内第三次”同类违法的前两次处罚未能查实，认定事实不清，撤销原处罚决定",
        )

    def close():
        state["case"] = services.case_close(
            actor=staff["qqhr.head"], case=state["case"], summary="处罚决定经行政复议被撤销，无需执行，结案。"
        )

    revoked = story.day(14)
    story.add(story.day(45), bring)
    story.add(revoked, revoke)
    story.add(story.later(revoked, 2), close)


def _publicity_decisions(story, staff, parties):
    """Decisions whose publication goes otherwise than usual: a 2025 fine whose year on the portal has run out, a
    spring fine whose publication ended early after the party's credit repair, and one withheld from the internet
    because its main facts are a commercial secret (demo.publicity)."""
    walk(
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
    walk(
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
    walk(
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


SCRIPTS = [
    subscriptions.readers,
    _harbin,
    _hearing_case,
    _other_cities,
    _publicity_decisions,
    derived.boiler,
    derived.leaking_yard,
    closure.plating_works,
    onsite.decisions,
    publicity.licences,
    licensing.applications,
    publicity.rounds,
    signatures.signed_inspection,
]
