"""The dashboard: the same definitions as the report, as tables charts are drawn from; the pages on a phone."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.reports import dashboards, services
from sanxiang.testing.browser import login, page_width
from sanxiang.testing.cases import at, open_case, walk
from sanxiang.testing.crawl import crawl

PHONE = {"width": 390, "height": 844}


def test_the_trend_counts_the_decision_in_its_month_and_the_fine_in_wan_yuan(world):
    walk(world, open_case(world), "decided")  # decided 12 October 2026, 150,000 yuan
    trends, fines = dashboards.trends([world.harbin.path], 2026, dt.date(2026, 12, 6))
    rows = dict(trends.rows)
    assert len(trends.rows) == 12
    october = dict(zip(trends.names, rows["10月"], strict=True))
    assert october["作出行政处罚决定（普通程序）"] == 1 and dict(fines.rows)["10月"] == ["15.00"]
    assert fines.names == ["罚款金额（万元）"]
    assert dict(zip(trends.names, rows["9月"], strict=True))["作出行政处罚决定（普通程序）"] == 0
    assert len(dashboards.trends([world.harbin.path], 2026, dt.date(2026, 3, 6))[0].rows) == 3


def test_open_cases_by_stage_and_age_and_the_overdue_counts(world):
    walk(world, open_case(world), "filed")  # filed 3 September 2026
    stages, ages = dashboards.open_cases([world.harbin.path], dt.date(2026, 12, 6))
    assert dict(stages.rows)["调查取证"] == [1]
    assert dict(ages.rows)["91–180日"] == [1] and dict(ages.rows)["30日内"] == [0]
    overdue = dict(dashboards.overdue([world.harbin], 2026, dt.date(2026, 12, 6)))
    assert set(overdue) == {"案件超过法定期限", "行政许可超过办理期限", "法制审核超过期限", "执法决定逾期未公示"}


def test_overdue_publications_are_the_drafts_past_their_day_not_those_published_late(world):
    from sanxiang.testing.publicity import decided, publish

    draft = decided(world)  # decided 12 October 2026, due within 7 working days
    overdue = dict(dashboards.overdue([world.harbin], 2026, dt.date(2026, 12, 6)))
    assert overdue["执法决定逾期未公示"] == 1
    with at(dt.date(2026, 12, 1)):
        publish(world, draft)  # published, but late
    assert dict(dashboards.overdue([world.harbin], 2026, dt.date(2026, 12, 6)))["执法决定逾期未公示"] == 0


def test_districts_are_named_after_the_branch_bearing_their_code(world):
    inspected = walk(world, open_case(world), "filed").party
    inspected.division = world.daoli.code
    inspected.save()
    from sanxiang.cases.models import Inspection

    Inspection.objects.create(
        agency=world.harbin, party=inspected, place="厂区", started_at=dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC)
    )
    districts = dashboards.inspections_by_district([world.harbin.path], 2026)
    assert districts.rows == [("哈尔滨市生态环境局道里分局", [1])]


def test_the_dashboard_page_shows_tables_for_charts_and_keeps_to_the_users_agencies(client, world):
    walk(world, open_case(world), "decided")
    with at(dt.date(2026, 12, 6)):
        client.force_login(world.people.head)
        page = client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
        assert page.count('data-chart="') == 7 and "chart.umd.min.js" in page
        assert 'data-value="15.00"' in page
        client.force_login(world.people.outsider)
        other = client.get(reverse("reports:dashboard"), {"agency": world.harbin.pk}).content.decode()
    assert "齐齐哈尔市生态环境局 · 2026年执法数据看板" in other and 'data-value="15.00"' not in other


@pytest.mark.browser
def test_the_report_pages_and_the_dashboard_fit_a_phone_with_charts_drawn(live_data, world, browser, live_server):
    walk(world, open_case(world), "decided")
    report = (
        services.report_generate(actor=world.people.head, agency=world.harbin, year=2026, today=dt.date(2027, 1, 5))
        if dt.date.today().year > 2026
        else None
    )
    paths = ["/workbench/reports/dashboard/", "/workbench/reports/", f"/workbench/reports/{world.harbin.pk}/2026/"]
    if report is not None:
        paths.append(f"/workbench/reports/r/{report.pk}/")
    page = login(browser, live_server, "head", viewport=PHONE)
    problems = []
    for path in paths:
        result = crawl(page, live_server.url, "head", path, within=path, limit=1)
        assert result.visited, path
        problems += result.problems
    assert not problems, "\n".join(map(str, problems))
    page.goto(f"{live_server.url}/workbench/reports/dashboard/?year=2026")
    page.wait_for_selector(".chart-box canvas")
    assert page.locator(".chart-box canvas").count() == 7
    assert page.locator("details > summary", has_text="查看数据表").count() == 7
    assert page_width(page) <= 390


def test_the_public_statistics_page_draws_the_provinces_year_from_the_same_definitions(client, world):
    walk(world, open_case(world), "decided")
    with at(dt.date(2026, 12, 6)):
        page = client.get(reverse("public:statistics"), {"year": 2026}).content.decode()
    assert page.count('data-chart="') == 3 and 'data-value="15.00"' in page


def test_no_agency_counts_no_records(world):
    walk(world, open_case(world), "decided")
    counts, fines = dashboards.trends([], 2026, dt.date(2026, 12, 6))
    assert counts.rows[9][1][1] == 0 and fines.rows[9][1] == ["0.00"]


def test_the_worker_counts_the_reporting_agencies_boards_ahead_and_the_page_serves_them(client, world, settings):
    from django.core.cache import cache

    from sanxiang.reports.tasks import dashboards_refresh

    settings.DASHBOARD_CACHE_SECONDS = 900
    with at(dt.date(2026, 12, 6)) as clock:
        dashboards_refresh.call_local()
        key = f"reports:board:{world.harbin.pk}:2026:2026-12-06"
        kept = cache.get(key)
        assert kept is not None and cache.get(f"reports:board:{world.daoli.pk}:2026:2026-12-06") is None
        assert cache.get("reports:public:2026:2026-12-06") is not None  # the portal's statistics too
        walk(world, open_case(world), "decided")  # counted at the next refresh, not before
        client.force_login(world.people.head)
        page = client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
        assert 'data-value="15.00"' not in page and "统计时间" in page
        clock.shift(dt.timedelta(minutes=1))  # the next refresh is due later (core.periodic runs one due once)
        dashboards_refresh.call_local()
        assert 'data-value="15.00"' in client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
