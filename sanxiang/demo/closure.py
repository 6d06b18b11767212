"""The demo's 责令关闭 (《环境保护法》第六十条; 令第30号 art 8): an electroplating plant fined twice in two years for
chromium above the standard does it again; after its third penalty the head opens a closure case, which is notified
with the hearing right, answered, legally reviewed, discussed by the heads, reported to the city government and,
once the government approves it, decided and carried out on camera."""

from __future__ import annotations

from django.utils import timezone

from sanxiang.cases import services
from sanxiang.demo import reviews
from sanxiang.demo.story import record_act, walk

COMMON = {
    "agency_code": "230100",
    "officers": ["hrb.officer2", "hrb.officer4"],
    "head": "hrb.head",
    "reviewer": "hrb.reviewer",
}


def plating_works(story, staff, parties) -> None:
    start = 120
    origin = walk(
        story,
        staff,
        parties["哈尔滨市呼兰区金鼎电镀厂"],
        title="含铬废水超标排放案",
        violation="SW-83",
        fine="100000",
        levels={},
        start=start,
        until="close",
        **COMMON,
    )
    # walk's own dates: filed 2, notified 12, reconsidered 6 and decided 1 working day(s) after each other
    decided = story.later(story.later(story.later(story.later(story.day(start), 2), 12), 6), 1)
    officers = [staff[name] for name in COMMON["officers"]]
    head = staff["hrb.head"]
    state: dict = {}
    proposed = story.later(decided, 3)
    submitted = story.later(proposed, 3)
    notified = story.later(submitted, 3)
    reconsidered = story.later(notified, 6)  # both the statement and the hearing windows have run out

    def propose():
        state["case"] = services.closure_propose(
            actor=head,
            case=origin["case"],
            kind="close",
            ground="repeated",
            reason="2025年3月、2025年10月两次因含铬废水超标排放受到行政处罚，本次监测总铬超标 4.6 倍",
            investigators=officers,
        )

    def submit():
        case = state["case"]
        state["case"] = services.case_submit(
            actor=officers[0],
            case=case,
            facts=case.summary,
            evidence="两份原行政处罚决定书、本次监测报告、现场检查笔录、执法记录仪录像",
            basis="《中华人民共和国环境保护法》第六十条；《中华人民共和国水污染防治法》第八十三条",
            kinds=["close"],
            fine=None,
        )

    def review():
        state["case"] = services.case_review(
            actor=staff["hrb.reviewer"], case=state["case"], opinion="情节严重，事实清楚，同意告知。", approve_case=True
        )

    def notify():
        state["case"] = services.case_notify(actor=officers[0], case=state["case"], served_on=timezone.localdate())

    def statement():
        state["case"] = services.case_record_statement(
            actor=officers[0],
            case=state["case"],
            received_on=timezone.localdate(),
            summary="当事人称已订购新的含铬废水处理设备，请求给予整改期限，未申请听证。",
        )

    def reconsider():
        # the officers film the works' chromium line as it runs, the record the closure is carried out on
        record_act(state["case"], officers[0], "closure", timezone.localdate())
        state["case"] = services.case_reconsider(
            actor=officers[0],
            case=state["case"],
            kinds=["close"],
            fine=None,
            confiscation=None,
            note="当事人两年内第三次超标排放含铬废水，所述整改计划不足以消除危害，维持拟报请关闭的意见。",
        )

    for day, step in (
        (proposed, propose),
        (submitted, submit),
        (story.later(submitted, 2), review),
        (notified, notify),
        (story.later(notified, 2), statement),
        (reconsidered, reconsider),
    ):
        story.add(day, step)
    cleared = reviews.agreed("hrb.counsel")(story, state, staff, "hrb.officer2", reconsidered)
    _report_and_decide(story, staff, state, cleared)


def _report_and_decide(story, staff, state, cleared) -> None:
    """The heads discuss it, the city government approves, the bureau decides and seals the works on camera."""
    head, officer = staff["hrb.head"], staff["hrb.officer2"]
    approved = story.later(cleared, 4)

    def discuss():
        services.case_discuss(
            actor=head,
            case=state["case"],
            held_on=timezone.localdate(),
            participants=[head, staff["hrb.reviewer"], staff["hrb.counsel"]],
            opinions="当事人两年内三次超标排放含铬废水，属情节严重，符合报请责令关闭的情形。",
            conclusion="同意报请哈尔滨市人民政府批准责令关闭。",
        )

    def approve():
        state["case"] = services.closure_approval_record(
            actor=officer,
            case=state["case"],
            government="哈尔滨市人民政府",
            approved_on=timezone.localdate(),
            number="哈政函〔2026〕57号",
        )

    def decide():
        state["case"] = services.case_decide(actor=head, case=state["case"], outcome="penalty")

    def serve():
        state["case"] = services.case_serve(
            actor=officer, case=state["case"], served_on=timezone.localdate(), method="direct"
        )

    story.add(story.later(cleared, 1), discuss)
    story.add(approved, approve)
    story.add(story.later(approved, 1), decide)
    story.add(story.later(approved, 1), serve)
