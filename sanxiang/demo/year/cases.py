"""The penalty cases of the generated year, each walked through the case services on its own days: opened from an
inspection or a complaint, filed, the fine calculated (自由裁量) and proposed, reviewed, notified, heard when the
party asks, reconsidered, legally reviewed where the bureau's catalogue wants it, decided, served, paid and closed —
or stopped wherever today finds it. A few end in 不予处罚 or 移送; a few run into 复议 or 诉讼; a few bring a
查封. What a step needs (a review, a collective discussion) is asked of the services on the day, not assumed."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Outcome, Violation
from sanxiang.cases.services.base import legal_review_refusal
from sanxiang.cases.services.decision import collective_required
from sanxiang.demo.reviews import _items, discretion_choices
from sanxiang.demo.story import site_photo
from sanxiang.demo.year.remedies import Remedies
from sanxiang.evidence.services import evidence_ingest
from sanxiang.review import services as reviews
from sanxiang.review.models import Review

# violation code: (title of the case, weight in the mix). Minor record-keeping faults are the common ones.
VIOLATIONS = {
    "DQ-117": ("物料堆场扬尘污染防治措施不到位案", 14),
    "DQ-108": ("挥发性有机物未按规定收集处理案", 12),
    "SW-82": ("未按规定开展自行监测案", 12),
    "PX-37": ("未按规定建立环境管理台账案", 10),
    "PX-36": ("排放口设置与排污许可证规定不符案", 8),
    "GF-102A": ("未建立工业固体废物管理台账案", 8),
    "ZS-75": ("超过噪声排放标准排放工业噪声案", 6),
    "GF-112A": ("危险废物贮存不规范案", 8),
    "DQ-100": ("自动监测设备未正常运行案", 6),
    "SW-84": ("违法设置排污口案", 4),
    "DQ-99": ("超标排放大气污染物案", 4),
    "PX-34": ("超过许可排放浓度排放污染物案", 3),
}
# the factor levels an officer picks, as words of the factors (demo.reviews.discretion_choices)
LEVELS = [{}, {"污染": 1}, {"污染": 1, "过错": 1}, {"污染": 2}, {"污染": 2, "改正": 1}, {"污染": 3, "过错": 1}]
OUTCOMES = {"penalty": Outcome.PENALTY, "no_penalty": Outcome.NO_PENALTY, "referral": Outcome.REFERRAL}
PHOTO: dict[dt.date, bytes] = {}  # one photo a day serves every case of that day (the content is not the point)


class Walk(Remedies):
    """One case: its people, its plan of days and the state carried between the steps."""

    def __init__(self, story, bureau, rng: random.Random, party, start: dt.date, *, ending: str):
        self.story, self.bureau, self.rng, self.party, self.start = story, bureau, rng, party, start
        self.ending = ending  # penalty, no_penalty, referral
        pair = rng.sample(bureau.officers[:-1] if len(bureau.officers) > 2 else bureau.officers, 2)
        self.officer, self.partner = pair
        self.presiding = bureau.officers[-1]
        codes = list(VIOLATIONS)
        self.violation_code = rng.choices(codes, weights=[VIOLATIONS[c][1] for c in codes])[0]
        self.levels = rng.choice(LEVELS)
        self.hearing = False
        self.case = None
        self.fine: Decimal | None = None

    @property
    def kinds(self) -> list[str]:
        return ["fine"] if self.ending == "penalty" else []

    def at(self, day: dt.date, step) -> None:
        self.story.add(day, lambda: step() if self.case is not None or step == self.open else None)

    def plan(self, *, hearing: bool, challenge: bool, pays: bool, seize: bool) -> None:
        later = self.story.later
        self.hearing = hearing
        filed = later(self.start, self.rng.randint(1, 4))
        self.at(self.start, self.open)
        self.at(filed, self.file)
        self.at(later(filed, 1), self.record)
        if seize:
            self.at(later(filed, 1), self.seize)
        calculated = later(filed, self.rng.randint(7, 24))
        submitted = later(calculated, 1)
        self.at(calculated, self.calculate)
        self.at(submitted, self.submit)
        self.at(later(submitted, 2), self.review)
        notified = later(submitted, self.rng.randint(3, 5))
        self.at(notified, self.notify)
        if hearing:
            requested, noticed = later(notified, 3), later(notified, 4)
            held = later(noticed, 9)
            self.at(requested, lambda: self._request(requested))
            self.at(noticed, lambda: self._schedule(held, noticed))
            self.at(held, lambda: self._hold(held))
            reconsidered = later(held, 2)
        else:
            self.at(later(notified, 1), self.waive)
            reconsidered = later(notified, 6)
        self.at(reconsidered, self.reconsider)
        self.at(later(reconsidered, 1), self.send_for_review)
        problems = self.rng.random() < 0.2
        self.at(later(reconsidered, 3), lambda: self.opinion(problems))
        if problems:
            self.at(later(reconsidered, 5), self.resubmit)
            self.at(later(reconsidered, 7), lambda: self.opinion(False))
        decided = later(reconsidered, 8 if problems else 4)
        self.at(decided, self.decide)
        served = later(decided, self.rng.randint(1, 3))
        self.at(served, self.serve)
        if self.ending != "penalty":
            self.at(later(served, 2), lambda: self.close("不予行政处罚决定已送达，结案。"))
            return
        if challenge:
            filed_on = served + dt.timedelta(days=self.rng.randint(15, 55))
            self.at(filed_on, lambda: self.challenge(filed_on))
            self.at(filed_on + dt.timedelta(days=self.rng.randint(45, 75)), self.challenge_decide)
        elif pays:
            # paid at the bank within the fifteen days after service (calendar days, holidays or not): no 加处罚款
            paid = served + dt.timedelta(days=self.rng.randint(2, 13))
            self.at(paid, self.pay)
            self.at(later(paid, self.rng.randint(2, 8)), lambda: self.close("罚款已缴清，决定已履行完毕。"))

    def set(self, case) -> None:
        self.case = case

    def open(self) -> None:
        violation = Violation.objects.get(code=self.violation_code)
        title, _weight = VIOLATIONS[self.violation_code]
        source = self.rng.choice(["inspection", "inspection", "complaint", "report"])
        self.case = services.case_open(
            actor=self.officer,
            agency=self.bureau.agency,
            party=self.party,
            title=title,
            source=source if source != "report" else "inspection",
            violation=violation,
            act_date=self.start - dt.timedelta(days=self.rng.randint(1, 20)),
            act_place=self.party.address,
            act_division=self.party.division,
            discovered_on=self.start,
            summary=f"{self.party.name}{title.removesuffix('案')}线索。",
        )

    def file(self) -> None:
        self.set(
            services.case_file(
                actor=self.bureau.head,
                case=self.case,
                investigators=[self.officer, self.partner],
                opinion="同意立案调查",
            )
        )

    def record(self) -> None:
        """The site photo the officers take (its EXIF time and place); the decision lists it as evidence."""
        day = timezone.localdate()
        evidence_ingest(
            actor=self.officer,
            source=io.BytesIO(PHOTO.get(day) or PHOTO.setdefault(day, site_photo(day))),
            original_name=f"IMG_{day:%m%d}_1012.jpg",
            act="evidence",
            kind="photo",
            recorded_by=self.officer,
            case=self.case,
            device="华为手机",
            place=self.party.address,
            description=f"{self.party.name}现场照片：生产设施及污染防治设施运行状况",
        )

    def calculate(self) -> None:
        if self.ending != "penalty":
            return
        violation = self.case.violation
        choices = discretion_choices(violation, self.bureau.agency, self.levels)
        self.set(
            services.case_calculate_discretion(actor=self.officer, case=self.case, violation=violation, choices=choices)
        )
        self.fine = Decimal(self.case.discretion["fine"])

    def submit(self) -> None:
        violation = self.case.violation
        facts = f"经查，{self.party.name}存在{violation.name}的行为。"
        if self.ending == "no_penalty":
            facts += "当事人初次违法且危害后果轻微并及时改正，依法可以不予行政处罚。"
        if self.ending == "referral":
            facts += "当事人涉嫌篡改监测数据，情节严重，已涉嫌构成犯罪，依法应当移送公安机关。"
        self.set(
            services.case_submit(
                actor=self.officer,
                case=self.case,
                facts=facts,
                evidence="现场检查（勘察）笔录、调查询问笔录、监测报告、现场照片",
                basis=violation.basis,
                kinds=self.kinds,
                fine=self.fine,
                discretion=self.case.discretion or None,
            )
        )

    def review(self) -> None:
        self.set(
            services.case_review(
                actor=self.bureau.reviewer,
                case=self.case,
                opinion="事实清楚，证据确凿，程序合法，同意告知。",
                approve_case=True,
            )
        )

    def notify(self) -> None:
        self.set(services.case_notify(actor=self.officer, case=self.case, served_on=timezone.localdate()))

    def waive(self) -> None:
        if self.case.hearing_offered:
            self.set(services.case_record_waiver(actor=self.officer, case=self.case, waived_on=timezone.localdate()))

    def _request(self, requested: dt.date) -> None:
        # a hearing is the party's right only where the notice offered it (较大数额 and the like)
        if self.case.hearing_offered:
            self.set(services.case_request_hearing(actor=self.officer, case=self.case, requested_on=requested))
        else:
            self.hearing = False

    def _schedule(self, held: dt.date, noticed: dt.date) -> None:
        if not self.case.hearing_requested_on:
            return
        at = dt.datetime.combine(held, dt.time(9, 30), tzinfo=timezone.get_default_timezone())
        self.set(
            services.case_schedule_hearing(
                actor=self.bureau.head,
                case=self.case,
                presiding=self.presiding,
                hearing_at=at,
                place=f"{self.bureau.agency.name}听证室",
                notice_served_on=noticed,
            )
        )

    def _hold(self, held: dt.date) -> None:
        if not self.case.hearing_requested_on:
            return
        self.set(
            services.case_record_hearing(
                actor=self.presiding,
                case=self.case,
                held_on=held,
                attended=True,
                record="当事人委托代理人到场，对监测数据和裁量情节提出异议，调查人员出示了监测报告和现场检查笔录。",
                report="当事人异议不成立，建议维持告知的处罚。",
            )
        )

    def reconsider(self) -> None:
        self.set(
            services.case_reconsider(
                actor=self.officer,
                case=self.case,
                kinds=self.kinds,
                fine=self.fine,
                confiscation=None,
                outcome=OUTCOMES[self.ending],
                note="当事人的陈述申辩经复核不成立，维持告知的处理意见。" if self.hearing else "当事人未提出陈述申辩。",
            )
        )

    def _review(self) -> Review | None:
        return Review.objects.filter(case=self.case).order_by("-id").first()

    def needs_review(self) -> bool:
        """Whether the bureau's catalogue wants a legal review of the decision this case is heading for."""
        self.case.refresh_from_db()
        return bool(legal_review_refusal(self.case))

    def send_for_review(self) -> None:
        if self.needs_review():
            reviews.review_submit(actor=self.officer, case=self.case, affirmed=True)

    def opinion(self, problems: bool) -> None:
        review = self._review()
        if review is None or review.status != "open":
            return
        reviewer = self.bureau.reviewer
        reviews.review_take(actor=reviewer, review=review)
        if problems:
            reviews.review_record_opinion(
                actor=reviewer,
                review=review,
                items=_items(evidence="调查询问笔录未载明当事人对违法事实的确认"),
                outcome="problems",
                opinion="经审核，本案主要事实清楚，但存在下列问题，请承办机构补正后再次报送。",
                corrections="补充当事人对违法事实的确认笔录。",
            )
        else:
            reviews.review_record_opinion(
                actor=reviewer,
                review=review,
                items=_items(),
                outcome="agree",
                opinion="事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意作出决定。",
            )

    def resubmit(self) -> None:
        review = self._review()
        if review is not None and review.status == "problems":
            reviews.review_resubmit(
                actor=self.officer, review=review, affirmed=True, response="已补充当事人对违法事实的确认笔录。"
            )

    def decide(self) -> None:
        if self.needs_review():
            return  # the review has not cleared it yet: the case waits, as it would
        if collective_required(self.case) and self.case.collective_held_on is None:
            b = self.bureau
            services.case_discuss(
                actor=b.head,
                case=self.case,
                held_on=timezone.localdate(),
                participants=[b.head, b.reviewer, self.officer],
                opinions="违法事实清楚，证据确凿，裁量适当。",
                conclusion="同意按拟定意见作出决定。",
            )
        self.set(services.case_decide(actor=self.bureau.head, case=self.case, outcome=OUTCOMES[self.ending]))

    def decided(self) -> bool:
        self.case.refresh_from_db()
        return self.case.decided_on is not None

    def serve(self) -> None:
        if self.decided():
            self.set(
                services.case_serve(actor=self.officer, case=self.case, method="direct", served_on=timezone.localdate())
            )

    def pay(self) -> None:
        if self.decided() and self.case.served_on:
            self.set(
                services.case_record_payment(
                    actor=self.officer, case=self.case, paid_on=timezone.localdate(), amount=self.case.decided_fine
                )
            )

    def close(self, summary: str) -> None:
        if self.decided() and self.case.served_on and self.case.stage != "closed":
            if self.ending != "penalty" or (self.case.paid_on and not self.case.surcharge_owed):
                self.set(services.case_close(actor=self.bureau.head, case=self.case, summary=summary))


def cases(story, bureau, rng: random.Random, count: int) -> list[Walk]:
    """`count` cases of the bureau started through the year (a clue every week or two), most ending in a fine."""
    walks = []
    begin, end = dt.date(story.today.year, 1, 5), story.today - dt.timedelta(days=3)
    span = (end - begin).days
    referral_at = rng.randrange(count)
    for number in range(count):
        start = begin + dt.timedelta(days=int(span * (number + rng.random()) / count))
        while not story.calendar.is_workday(start):
            start += dt.timedelta(days=1)
        party = bureau.parties[number % len(bureau.parties)]
        ending = "referral" if number == referral_at else "no_penalty" if rng.random() < 0.1 else "penalty"
        walk = Walk(story, bureau, rng, party, start, ending=ending)
        walk.plan(
            hearing=ending == "penalty" and rng.random() < 0.12,
            challenge=ending == "penalty" and rng.random() < 0.14,
            pays=rng.random() < 0.9,
            seize=ending == "penalty" and rng.random() < 0.08,
        )
        walks.append(walk)
    return walks
