"""Demo legal reviews (法制审核): one case per way a review ends, replayed through the review services.

Each script schedules its steps after the day the case was reconsidered and returns the day from which the
decision may be made, or None when the review has not (yet) let it be made.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.cases.discretion import factors_for
from sanxiang.review import services
from sanxiang.review.models import ITEM_CODES, ItemResult, Review


def _items(**problems: str) -> dict:
    return {
        code: {"result": ItemResult.PROBLEM, "comment": problems[code]}
        if code in problems
        else {"result": ItemResult.CONFORMS, "comment": ""}
        for code in ITEM_CODES
    }


def discretion_choices(violation, agency, levels: dict[str, int]) -> dict[str, int]:
    """Factor levels named by a word of the factor (污染, 过错, 方式, 对象, 再犯, 改正) as the calculation's choices."""
    return {
        str(factor.pk): level
        for factor in factors_for(violation, agency)
        for word, level in levels.items()
        if word in factor.name
    }


def _review(state) -> Review:
    return Review.objects.filter(case=state["case"]).order_by("-id").first()


def _submit(story, state, officer, day: dt.date) -> None:
    story.add(day, lambda: services.review_submit(actor=officer, case=state["case"], affirmed=True))


def _agree(story, state, reviewer, day: dt.date, opinion: str) -> None:
    def run():
        services.review_take(actor=reviewer, review=_review(state))
        services.review_record_opinion(
            actor=reviewer, review=_review(state), items=_items(), outcome="agree", opinion=opinion
        )

    story.add(day, run)


def _problems(story, state, reviewer, day: dt.date, corrections: str, **problems: str) -> None:
    story.add(
        day,
        lambda: services.review_record_opinion(
            actor=reviewer,
            review=_review(state),
            items=_items(**problems),
            outcome="problems",
            opinion="经审核，本案主要事实清楚，但存在下列问题，请承办机构研究处理后再次报送。",
            corrections=corrections,
        ),
    )


def agreed_at_once(reviewer: str):
    """同意 the day it is submitted (an emergency seizure has 24 hours for review and approval)."""

    def script(story, state, staff, officer, day: dt.date) -> dt.date:
        _submit(story, state, staff[officer], day)
        _agree(story, state, staff[reviewer], day, "实施查封的事实、依据和程序合法，期限适当，同意补办批准。")
        return day

    return script


def agreed(reviewer: str):
    """同意 at the first round."""

    def script(story, state, staff, officer, reconsidered: dt.date) -> dt.date:
        _submit(story, state, staff[officer], story.later(reconsidered, 1))
        end = story.later(reconsidered, 3)
        _agree(
            story,
            state,
            staff[reviewer],
            end,
            "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意作出处罚决定。",
        )
        return end

    return script


def corrected(reviewer: str, levels: dict[str, int], departure_reason: str):
    """存在问题 at the first round; the handling unit adds the facts, recalculates with the factors it had left out
    and gives its reasons, then 同意."""

    def script(story, state, staff, officer, reconsidered: dt.date) -> dt.date:
        _submit(story, state, staff[officer], story.later(reconsidered, 1))
        _problems(
            story,
            state,
            staff[reviewer],
            story.later(reconsidered, 4),
            "1. 补充无组织排放的具体点位和持续时间；2. 裁量计算遗漏再犯情节，偏离计算结果按上限处罚的理由不充分。",
            facts="违法事实未载明无组织排放的具体点位和持续时间",
            discretion="偏离裁量计算结果的理由仅为“情节严重”，不充分",
        )

        def correct():
            violation = state["case"].violation
            case = cases.case_calculate_discretion(
                actor=staff[officer],
                case=state["case"],
                violation=violation,
                choices=discretion_choices(violation, state["case"].agency, levels),
            )
            state["case"] = cases.case_correct(
                actor=staff[officer],
                case=case,
                facts=case.facts + "无组织排放点位为炼钢车间东侧天窗及原料堆场，持续约四十日。",
                evidence=case.evidence + "、无人机航拍照片",
                basis=case.basis,
                kinds=case.decided_kinds,
                fine=case.decided_fine,
                confiscation=None,
                departure_reason=departure_reason,
                note="按法制审核意见补充违法事实，补充再犯情节重新计算并说明从重理由",
            )
            services.review_resubmit(
                actor=staff[officer],
                review=_review(state),
                affirmed=True,
                response="已补充排放点位和持续时间，已补充再犯情节重新计算，并说明从重处罚理由。",
            )

        story.add(story.later(reconsidered, 6), correct)
        end = story.later(reconsidered, 8)
        _agree(
            story, state, staff[reviewer], end, "承办机构已按上一轮意见纠正，事实清楚，裁量理由充分，同意作出处罚决定。"
        )
        return end

    return script


def overruled(reviewer: str, head: str, members: list[str]):
    """存在问题; the handling unit contests it, the heads discuss it together and do not adopt the opinion."""

    def script(story, state, staff, officer, reconsidered: dt.date) -> dt.date:
        _submit(story, state, staff[officer], story.later(reconsidered, 1))
        _problems(
            story,
            state,
            staff[reviewer],
            story.later(reconsidered, 3),
            "对当事人关于在线监测数据有效性的异议，建议委托第三方比对监测后再作决定。",
            evidence="在线监测数据的有效性存在争议，比对监测报告为单次监测",
        )
        story.add(
            story.later(reconsidered, 4),
            lambda: services.review_contest(
                actor=staff[officer],
                review=_review(state),
                reason="在线监测设备已通过有效性审核，比对监测由有资质机构按规范实施，结论一致，证据足以认定。",
            ),
        )
        end = story.later(reconsidered, 6)

        def coordinate():
            day = timezone.localdate()
            discussion = cases.case_discuss(
                actor=staff[head],
                case=state["case"],
                held_on=day,
                participants=[staff[name] for name in members],
                opinions="在线监测数据经有效性审核，比对监测符合规范，审核意见所提问题不影响事实认定。",
                conclusion="不采纳法制审核意见，按告知的处罚作出决定。",
            )
            services.review_coordinate(
                actor=staff[head],
                review=_review(state),
                decision="overrule",
                note="经局务会集体讨论，不采纳审核意见。",
                discussion=discussion,
            )

        story.add(end, coordinate)
        return end

    return script


def upheld(reviewer: str, head: str):
    """存在问题; the handling unit contests it and the head upholds the opinion: the case waits to be corrected."""

    def script(story, state, staff, officer, reconsidered: dt.date) -> None:
        _submit(story, state, staff[officer], story.later(reconsidered, 1))
        _problems(
            story,
            state,
            staff[reviewer],
            story.later(reconsidered, 3),
            "处罚依据应写明《排污许可管理条例》第三十六条的具体项，并补充排放口位置与许可证不符的比对材料。",
            law="处罚依据未写明适用的具体项",
            evidence="缺少排放口实际位置与许可证载明位置的比对材料",
        )
        story.add(
            story.later(reconsidered, 4),
            lambda: services.review_contest(
                actor=staff[officer], review=_review(state), reason="现场检查笔录已记载排放口位置，足以认定。"
            ),
        )
        story.add(
            story.later(reconsidered, 6),
            lambda: services.review_coordinate(
                actor=staff[head],
                review=_review(state),
                decision="uphold",
                note="审核意见成立：笔录记载不能替代与许可证的比对，承办机构应补充材料并写明具体项后再次送审。",
            ),
        )
        return None

    return script


def waiting(reviewer: str, submitted_days_ago: int):
    """Submitted and taken, with no opinion yet (past its period when submitted long enough ago)."""

    def script(story, state, staff, officer, reconsidered: dt.date) -> None:
        day = story.day(submitted_days_ago)
        _submit(story, state, staff[officer], day)
        story.add(day, lambda: services.review_take(actor=staff[reviewer], review=_review(state)))
        return None

    return script
