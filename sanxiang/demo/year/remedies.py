"""What follows some of the generated year's decisions: a 查封 proposed while the case is investigated (reviewed
and approved by the head, filmed), and the 复议 or 诉讼 a party brings after the decision is served, decided with a
believable spread of outcomes — those that revoke or change a decision make the bureau's correction rate."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.services.base import legal_review_refusal
from sanxiang.demo.reviews import _items
from sanxiang.demo.story import record_act
from sanxiang.review import services as reviews
from sanxiang.review.models import Review

# 复议/诉讼 outcomes and their weights: most decisions are upheld; the rest make the correction rate.
CHALLENGE_OUTCOMES = [("upheld", 62), ("withdrawn", 12), ("revoked", 12), ("altered", 8), ("unlawful", 6)]
CHALLENGE_NOTES = {
    "revoked": "认定事实的主要证据不足，撤销原处罚决定",
    "altered": "罚款数额明显不当，变更为按裁量基准下限处罚",
    "unlawful": "未依法告知听证权利，程序违法，确认原处罚决定违法",
    "withdrawn": "申请人自愿撤回申请，终止审理",
}


class Remedies:
    """The steps of demo.year.cases.Walk that bring a coercive measure or a challenge."""

    def seize(self) -> None:
        record_act(self.case, self.officer, "seizure", timezone.localdate())
        seizure_case = services.seizure_propose(
            actor=self.officer,
            case=self.case,
            kind=self.rng.choice(["seal", "seal", "detain"]),
            items="未经处理直接排放污染物的生产设施 1 套（含配套风机、管道）",
            place=self.party.address,
            reasons="当事人通过暗管直接排放未经处理的废水，可能造成严重污染，依法查封相关设施",
            officers=[self.officer, self.partner],
            days=30,
        )
        b = self.bureau
        if legal_review_refusal(seizure_case):
            reviews.review_submit(actor=self.officer, case=seizure_case, affirmed=True)
            review = Review.objects.filter(case=seizure_case).latest("id")
            reviews.review_take(actor=b.reviewer, review=review)
            reviews.review_record_opinion(
                actor=b.reviewer,
                review=review,
                items=_items(),
                outcome="agree",
                opinion="实施查封的事实、依据和程序合法，期限适当，同意。",
            )
        services.case_decide(actor=b.head, case=seizure_case, outcome="measure")

    def challenge(self, filed_on: dt.date) -> None:
        if not self.decided() or self.case.served_on is None:
            return
        court = self.rng.random() < 0.3
        agency = self.bureau.agency
        number = self.rng.randint(3, 60)
        self.set_challenge(
            services.challenge_record(
                actor=self.bureau.reviewer,
                case=self.case,
                kind="litigation" if court else "reconsideration",
                body=agency.court if court else agency.reconsideration_body.split("或者")[0],
                reference=(
                    f"（{filed_on:%Y}）黑行初{number}号"
                    if court
                    else f"{agency.abbreviation.removesuffix('环')}政复〔{filed_on:%Y}〕{number}号"
                ),
                filed_on=filed_on,
            )
        )

    def set_challenge(self, challenge) -> None:
        self.lodged = challenge

    def challenge_decide(self) -> None:
        challenge = getattr(self, "lodged", None)
        if challenge is None:
            return
        outcome = self.rng.choices([o for o, _w in CHALLENGE_OUTCOMES], weights=[w for _o, w in CHALLENGE_OUTCOMES])[0]
        services.challenge_decide(
            actor=self.bureau.reviewer,
            case=self.case,
            challenge=challenge,
            decided_on=timezone.localdate(),
            outcome=outcome,
            note=CHALLENGE_NOTES.get(outcome, ""),
        )
        if outcome == "revoked":
            self.set(
                services.case_close(actor=self.bureau.head, case=self.case, summary="处罚决定被撤销，无需执行，结案。")
            )
