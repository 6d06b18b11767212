"""The workbench pages of legal review and the catalogue on the public portal."""

from decimal import Decimal

import pytest

from sanxiang.review.models import Review
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.reviews import add_evidence, find_problems, items, ready, submit


@pytest.fixture
def case(world):
    return walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))


def test_the_handling_unit_submits_from_the_case_page(client, world, case):
    with at(DECIDED):
        ready(world, case)
    client.force_login(world.people.officer)
    page = client.get(f"/workbench/cases/{case.pk}/")
    assert "送法制审核" in page.content.decode()
    with at(DECIDED):
        response = client.post(f"/workbench/reviews/submit/{case.pk}", {"affirmed": "on"})
    review = Review.objects.get(case=case)
    assert response.status_code == 302 and response.url == f"/workbench/reviews/{review.pk}/"


def test_a_submission_without_the_statement_is_refused_with_the_reason(client, world, case):
    add_evidence(world, case)
    client.force_login(world.people.officer)
    with at(DECIDED):
        response = client.post(f"/workbench/reviews/submit/{case.pk}", {}, follow=True)
    assert "真实性、准确性、完整性负责" in response.content.decode()
    assert not Review.objects.exists()


def test_the_queue_shows_due_dates_rounds_and_the_precheck_summary(client, world, case):
    with at(DECIDED):
        counts = submit(world, case).rounds.get().precheck_counts
    client.force_login(world.people.counsel)
    with at(DECIDED):
        page = client.get("/workbench/reviews/").content.decode()
    assert counts == {"pass": 7, "problem": 0, "unknown": 2}  # the overlapping norm, and the reasoned departure
    assert case.number in page and "2026-10-19" in page and "第1轮" in page
    assert "通过 7" in page and "有问题 0" in page and "无法判断 2" in page


def test_the_workspace_shows_materials_prechecks_and_the_nine_points_form(client, world, case):
    with at(DECIDED):
        review = submit(world, case)
    client.force_login(world.people.counsel)
    with at(DECIDED):
        page = client.get(f"/workbench/reviews/{review.pk}/").content.decode()
    assert "送审材料" in page and "监测报告.pdf" in page and "自由裁量权运用" in page
    assert "偏离裁量计算结果（100000 元），理由：一年内两次超标排放" in page and 'name="item_discretion"' in page


def test_a_refused_opinion_is_shown_again_with_what_the_reviewer_wrote(client, world, case):
    with at(DECIDED):
        review = submit(world, case)
    client.force_login(world.people.counsel)
    data = {
        "version": review.version,
        "outcome": "problems",
        "opinion": "罚款理由不充分，详见下列问题",
        "corrections": "",
    }
    for code, entry in items(discretion="未说明理由").items():
        data[f"item_{code}"], data[f"comment_{code}"] = entry["result"], entry["comment"]
    with at(DECIDED):
        response = client.post(f"/workbench/reviews/{review.pk}/opinion", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "应当写明需要纠正的问题" in page and "罚款理由不充分，详见下列问题" in page and "未说明理由" in page


def test_the_handling_unit_sees_the_opinion_and_can_answer_it(client, world, case):
    with at(DECIDED):
        review = submit(world, case)
        find_problems(world.people.counsel, review, facts="未写明持续时间")
    client.force_login(world.people.officer)
    with at(DECIDED):
        page = client.get(f"/workbench/reviews/{review.pk}/").content.decode()
        assert (
            "未写明持续时间" in page and "纠正后重新送审" in page and "提请协调" in page and "哈环审〔2026〕1号" in page
        )
        response = client.post(
            f"/workbench/reviews/{review.pk}/contest",
            {"version": Review.objects.get(pk=review.pk).version, "reason": "持续时间已在笔录中载明"},
        )
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).status == Review.Status.COORDINATION


def test_reviews_of_another_agency_are_not_found(client, world, case):
    with at(DECIDED):
        review = submit(world, case)
    client.force_login(world.people.outsider)
    assert client.get(f"/workbench/reviews/{review.pk}/").status_code == 404
    assert case.number not in client.get("/workbench/reviews/").content.decode()


def test_the_statistics_page_reports_each_agency(client, world, case):
    with at(DECIDED):
        review = submit(world, case)
        find_problems(world.people.counsel, review)
    client.force_login(world.people.head)
    page = client.get("/workbench/reviews/statistics/?year=2026").content.decode()
    assert "哈尔滨市生态环境局" in page and "<td>0%</td>" in page


def test_the_public_portal_shows_the_catalogue_of_major_decisions(client, world):
    page = client.get(f"/agencies/{world.daoli.code}/").content.decode()
    assert "重大执法决定法制审核目录清单" in page and "对法人、其他组织罚款二十万元以上" in page
    assert "黑龙江省生态环境厅公布的目录清单" in page
