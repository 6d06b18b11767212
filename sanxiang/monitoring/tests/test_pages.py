"""The workbench's monitoring pages: the agency's points, a point's chart of values against the limit with flags, gaps
and marks, the keepers' forms, and the quarantine — each tried by each persona."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.ledger.models import Entry
from sanxiang.monitoring import selectors
from sanxiang.monitoring.models import Limit, Mark, Quarantined
from sanxiang.testing.browser import login, page_width
from sanxiang.testing.crawl import crawl
from sanxiang.testing.monitoring import SO2, make_device, make_point, monitored_point

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(world):
    return monitored_point(world.harbin)


def test_the_list_shows_the_agencys_points_with_review_publication_latest_data_and_gaps(client, world, site):
    point, device, _start = site
    elsewhere = make_point(world.qiqihar)  # another city's
    client.force_login(world.people.officer)
    page = client.get(reverse("monitoring:points")).content.decode()
    assert device.mn in page and point.party.name in page and "已审核" in page and "今日缺失" in page
    assert reverse("monitoring:point", args=[point.pk]) in page
    assert reverse("monitoring:point", args=[elsewhere.pk]) not in page
    assert "在线监控" in page  # the menu entry


def test_the_list_filters_by_enterprise(client, world, site):
    point, _device, _start = site
    other = make_point(world.harbin)
    client.force_login(world.people.officer)
    page = client.get(reverse("monitoring:points"), {"q": point.party.name}).content.decode()
    assert reverse("monitoring:point", args=[point.pk]) in page
    assert reverse("monitoring:point", args=[other.pk]) not in page or other.party.name == point.party.name


def test_the_point_page_draws_the_values_against_the_limit_with_flags_gaps_and_marks(client, world, site):
    point, device, _start = site
    client.force_login(world.people.officer)
    response = client.get(reverse("monitoring:point", args=[point.pk]), {"pollutant": SO2, "period": "24h"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "chart.umd.min.js" in page and "monitoring/series.js" in page and 'id="series-chart"' in page
    data = json.loads(page.split('id="series-data" type="application/json">')[1].split("</script>")[0])
    assert data["limit"] == 50.0 and "50" in data["limitLabel"]
    assert [flag["flag"] for flag in data["invalid"]] == ["M"] and data["invalid"][0]["data"].count(80.0) == 10
    assert data["skewed"].count(31.0) == 1 and len(data["marks"]) == 1
    assert len(data["labels"]) == 24 * 60 and data["valid"].count(None) > 1000
    assert "缺失" in page and "无数据" in page and "维护" in page
    assert device.mn in page and "哈环监审〔2026〕3号" in page and "GB 13271-2014" in page
    assert "录入数据标记" in page and "设定排放限值" in page and "记录设备法制和技术审核结果" not in page


def test_a_long_period_is_drawn_as_hourly_means_of_the_valid_values(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.officer)
    page = client.get(reverse("monitoring:point", args=[point.pk]), {"pollutant": SO2, "period": "7d"})
    data = json.loads(page.content.decode().split('type="application/json">')[1].split("</script>")[0])
    assert len(data["labels"]) in (7 * 24, 7 * 24 + 1)
    assert all(value is None or value < 50 for value in data["valid"])  # M values and the skewed one left out


@pytest.mark.parametrize("period", ["24h", "7d", "30d"])
def test_the_series_counts_missing_minutes(world, site, period):
    point, _device, start = site
    span = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30)}[period]
    bucket = "minute" if period == "24h" else "hour"
    end = start + dt.timedelta(minutes=60)
    series = selectors.series(point=point, pollutant=SO2, start=end - span, end=end, bucket=bucket)
    assert series.missing_minutes == int(span.total_seconds() // 60) - 41


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.outsider)
    assert client.get(reverse("monitoring:point", args=[point.pk])).status_code == 404
    assert client.post(reverse("monitoring:mark-record", args=[point.pk]), {}).status_code == 404
    client.logout()
    response = client.get(reverse("monitoring:point", args=[point.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_officer_records_a_mark_and_sets_a_limit_from_the_page(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.officer)
    now = timezone.localtime()
    response = client.post(
        reverse("monitoring:mark-record", args=[point.pk]),
        {
            "kind": "calibration",
            "starts_at": (now - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "零点和量程校准",
        },
    )
    assert response.status_code == 302
    assert Mark.objects.filter(point=point, kind="calibration").exists()
    assert Entry.objects.filter(action="monitoring.mark_record", actor=f"staff:{world.people.officer.pk}").exists()
    response = client.post(
        reverse("monitoring:limit-set", args=[point.pk]),
        {
            "pollutant": "a21002",
            "averaging": "hour",
            "value": "100",
            "source": "GB 13271-2014 表2",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302 and Limit.objects.filter(point=point, pollutant="a21002").exists()


def test_a_refused_form_is_shown_again_with_the_reason(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.officer)
    response = client.post(
        reverse("monitoring:limit-set", args=[point.pk]),
        {"pollutant": SO2, "averaging": "hour", "value": "40", "source": "GB", "valid_from": "2025-06-01"},
    )
    assert response.status_code == 400 and "新的限值应晚于现有限值生效" in response.content.decode()


def test_the_head_records_the_device_review_and_the_officer_may_not(client, world):
    point = make_point(world.harbin, location_published_on=None)
    device = make_device(point, reviewed=False)
    body = {"device": device.pk, "passed_on": "2026-02-01", "reference": "哈环监审〔2026〕7号"}
    client.force_login(world.people.officer)
    page = client.get(reverse("monitoring:point", args=[point.pk])).content.decode()
    assert "未审核：数据不作为证据" in page and "记录设备法制和技术审核结果" not in page and "公布设置地点" in page
    assert client.post(reverse("monitoring:device-review", args=[point.pk]), body).status_code == 403
    client.force_login(world.people.head)
    assert "记录设备法制和技术审核结果" in client.get(reverse("monitoring:point", args=[point.pk])).content.decode()
    assert client.post(reverse("monitoring:device-review", args=[point.pk]), body).status_code == 302
    device.refresh_from_db()
    assert device.review_reference == "哈环监审〔2026〕7号"
    assert (
        client.post(reverse("monitoring:publish-location", args=[point.pk]), {"published_on": "2026-02-02"}).status_code
        == 302
    )
    point.refresh_from_db()
    assert point.location_published_on == dt.date(2026, 2, 2)


def test_a_reviewer_sees_the_page_without_forms(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.reviewer)
    page = client.get(reverse("monitoring:point", args=[point.pk])).content.decode()
    assert "录入数据标记" not in page
    assert client.post(reverse("monitoring:mark-record", args=[point.pk]), {}).status_code in (400, 403)


def test_an_officer_registers_a_point_and_a_device(client, world):
    from sanxiang.testing.cases import make_party

    party = make_party(world.harbin)
    client.force_login(world.people.officer)
    response = client.post(
        reverse("monitoring:point-create"),
        {
            "party": party.pk,
            "outlet_code": "DW001",
            "name": "废水总排口",
            "medium": "water",
            "address": "哈尔滨市呼兰区利民大道 1 号",
            "latitude": "45.9",
            "longitude": "126.6",
        },
    )
    assert response.status_code == 302
    point = party.monitoring_points.get()
    response = client.post(
        reverse("monitoring:device-register", args=[point.pk]),
        {"mn": "23010099000001", "password": "abc123", "installed_on": "2026-01-01", "maker": "", "model": ""},
    )
    assert response.status_code == 302 and point.devices.get().mn == "23010099000001"
    client.force_login(world.people.reviewer)
    assert client.get(reverse("monitoring:point-create")).status_code == 403


def test_the_quarantine_is_read_by_the_provinces_administrators_with_raw_bytes_escaped(client, world):
    Quarantined.objects.create(
        received_at=timezone.now(),
        peer="10.0.0.9:5123",
        reason="crc",
        detail="CRC 不符",
        raw=b"##0010<script>\x00\xff\r\n",
    )
    client.force_login(world.people.province_security)
    page = client.get(reverse("monitoring:quarantine")).content.decode()
    assert "CRC 校验错误" in page and "10.0.0.9:5123" in page
    assert "<script>" not in page and "&lt;script&gt;" in page and "\\x00\\xff" in page and "3c 73 63" in page
    for persona in ("officer", "admin", "head"):
        client.force_login(getattr(world.people, persona))
        assert client.get(reverse("monitoring:quarantine")).status_code == 403


@pytest.mark.browser
def test_the_point_page_fits_a_phone_with_its_chart_drawn(live_data, world, browser, live_server):
    point, _device, _start = monitored_point(world.harbin)
    page = login(browser, live_server, "officer", viewport=PHONE)
    problems = []
    for path in (reverse("monitoring:points"), reverse("monitoring:point", args=[point.pk])):
        result = crawl(page, live_server.url, "officer", path, within=path, limit=1)
        assert result.visited, path
        problems += result.problems
    assert not problems, "\n".join(map(str, problems))
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.url.endswith(".js") else None)
    page.goto(f"{live_server.url}{reverse('monitoring:point', args=[point.pk])}?pollutant={SO2}&period=24h")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('series-chart'))")
    assert page.locator("#series-chart").count() == 1
    assert all(url.startswith(live_server.url) for url in scripts) and any("chart.umd" in url for url in scripts)
    legend = page.evaluate(
        "Chart.getChart(document.getElementById('series-chart')).data.datasets.map(set => set.label)"
    )
    assert legend[0].startswith("有效数据") and any(label.startswith("M ") for label in legend)
    assert any(label.startswith("限值 50") for label in legend)
    assert page_width(page) <= 390
    page.goto(f"{live_server.url}{reverse('portal:monitoring-locations')}")
    assert page.locator("text=设置地点公示").count() >= 1
    assert page_width(page) <= 390


def test_the_points_history_reads_its_registry_entries_and_is_404_outside(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.officer)
    page = client.get(reverse("audit:history", args=["monitoring.point", point.pk])).content.decode()
    assert "登记在线监控点位" in page and "设定排放限值" in page and "记录自动监测设备法制和技术审核结果" in page
    client.force_login(world.people.outsider)
    assert client.get(reverse("audit:history", args=["monitoring.point", point.pk])).status_code == 404


def test_an_officer_retires_a_device_from_the_page(client, world, site):
    point, device, _start = site
    client.force_login(world.people.officer)
    assert "停用自动监测设备" in client.get(reverse("monitoring:point", args=[point.pk])).content.decode()
    body = {"device": device.pk, "retired_on": "2026-06-01"}
    assert client.post(reverse("monitoring:device-retire", args=[point.pk]), body).status_code == 302
    device.refresh_from_db()
    assert device.retired_on == dt.date(2026, 6, 1)
    assert (
        "<summary>停用自动监测设备</summary>"
        not in client.get(reverse("monitoring:point", args=[point.pk])).content.decode()
    )
