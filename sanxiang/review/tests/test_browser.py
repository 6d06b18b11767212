"""One full legal review in the browser: submitted, found wanting, corrected, resubmitted, agreed, decided."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Case, Stage
from sanxiang.review.models import ITEM_CODES, Review
from sanxiang.testing.browser import act, login
from sanxiang.testing.cases import at, open_case
from sanxiang.testing.reviews import ready

pytestmark = pytest.mark.browser


def settled_case(world) -> Case:
    """A 200,000 yuan fine, notified three weeks ago and accepted: the decision is settled and needs review. Dates
    count back from today, because the browser runs on today's clock."""
    people, start = world.people, timezone.localdate() - dt.timedelta(days=30)
    case = open_case(world, discovered_on=start, act_date=start - dt.timedelta(days=3))
    with at(start + dt.timedelta(days=1)):
        case = services.case_file(
            actor=people.head, case=case, investigators=[people.officer, people.partner], opinion="同意立案"
        )
    with at(start + dt.timedelta(days=5)):
        case = services.case_submit(
            actor=people.officer,
            case=case,
            facts="当事人二氧化硫排放浓度超标1.5倍。",
            evidence="现场检查笔录、监测报告",
            basis="《大气污染防治法》第九十九条第二项",
            kinds=["fine"],
            fine=Decimal("200000"),
        )
        case = services.case_review(actor=people.reviewer, case=case, opinion="事实清楚，同意告知。", approve_case=True)
    notified = start + dt.timedelta(days=8)
    with at(notified):
        case = services.case_notify(actor=people.officer, case=case, served_on=notified)
        case = services.case_record_waiver(actor=people.officer, case=case, waived_on=notified)
    with at(notified + dt.timedelta(days=1)):
        case = services.case_reconsider(
            actor=people.officer,
            case=case,
            kinds=["fine"],
            fine=Decimal("200000"),
            confiscation=None,
            note="当事人放弃陈述申辩，维持告知的处罚。",
        )
        return ready(world, case)


def give_opinion(page, outcome: str, opinion: str, problems: dict[str, str] | None = None, corrections: str = ""):
    form = page.locator("#opinion-form")
    problems = problems or {}
    for code in ITEM_CODES:
        form.locator(f'input[name="item_{code}"][value="{"problem" if code in problems else "conforms"}"]').check()
        if code in problems:
            form.locator(f'[name="comment_{code}"]').fill(problems[code])
    form.locator(f'input[name="outcome"][value="{outcome}"]').check()
    form.locator('[name="corrections"]').fill(corrections)
    form.locator('[name="opinion"]').fill(opinion)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_review_with_a_resubmission_runs_in_the_browser(live_data, browser, live_server, world):
    case = settled_case(world)
    case_url = f"{live_server.url}/workbench/cases/{case.pk}/"

    officer = login(browser, live_server, "officer")
    officer.goto(case_url)
    officer.locator('input[name="affirmed"]').check()
    officer.get_by_role("button", name="送法制审核").click()
    officer.wait_for_url(f"{live_server.url}/workbench/reviews/*/")
    review = Review.objects.get(case=case)
    review_url = f"{live_server.url}/workbench/reviews/{review.pk}/"

    counsel = login(browser, live_server, "counsel")
    counsel.goto(f"{live_server.url}/workbench/reviews/")
    counsel.get_by_role("link", name=case.number).first.click()
    counsel.wait_for_selector("text=偏离裁量计算结果")
    give_opinion(
        counsel,
        "problems",
        "违法事实不完整。",
        {"facts": "未写明超标排放的持续时间"},
        corrections="补充超标排放的持续时间。",
    )
    assert "审核结论：存在问题" in counsel.content()

    officer.goto(case_url)
    act(
        officer,
        "correct",
        fill={"facts": "当事人二氧化硫排放浓度超标1.5倍，持续至2026年8月30日。", "note": "按法制审核意见补充持续时间"},
    )
    officer.goto(review_url)
    assert "未写明超标排放的持续时间" in officer.content()
    officer.locator("summary", has_text="纠正后重新送审").click()
    resubmit = officer.locator('form[action$="/resubmit"]')
    resubmit.locator('[name="response"]').fill("已补充违法行为持续时间。")
    resubmit.locator('[name="affirmed"]').check()
    resubmit.locator("button[type=submit]").click()
    officer.wait_for_load_state()

    counsel.goto(review_url)
    assert "与上一轮相比变更了：违法事实" in counsel.content()
    give_opinion(counsel, "agree", "承办机构已按意见纠正，同意作出处罚决定。")
    assert "审核结论：同意" in counsel.content()

    head = login(browser, live_server, "head")
    head.goto(case_url)
    assert "已通过，可以作出决定" in head.content()
    act(head, "decide", select={"outcome": "penalty"})
    case.refresh_from_db()
    assert case.stage == Stage.DECIDED
    assert list(review.rounds.values_list("number", "outcome")) == [(1, "problems"), (2, "agree")]
