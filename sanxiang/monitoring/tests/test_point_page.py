"""The point page reads its devices, limits and marks once each: the marks over the chart's range and the latest
twenty come from one read, the limit drawn is picked from the limits listed; the chart opens on the factor of the
point's latest exceedance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.monitoring import selectors
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.models import Limit, Mark
from sanxiang.monitoring.pollutants import name_of
from sanxiang.testing.cases import at
from sanxiang.testing.clues import DATA_DAY, INSPECTED, NOX, local_hour, make_limit, monitored, send
from sanxiang.testing.monitoring import SO2, monitored_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(world):
    return monitored_point(world.harbin)


def test_the_marks_in_range_and_the_latest_twenty_come_from_one_read(site):
    point, _device, start = site
    long_ago = start - dt.timedelta(days=60)
    Mark.objects.bulk_create(
        Mark(
            point=point,
            kind="overhaul",
            starts_at=long_ago + dt.timedelta(hours=hours),
            ends_at=long_ago + dt.timedelta(hours=hours, minutes=30),
            reason="检修",
        )
        for hours in range(25)
    )
    with CaptureQueriesContext(connection) as queries:
        in_range, recent = selectors.marks_shown(point, start, timezone.now())
        [mark.entered_by for mark in recent]
    assert len(queries) == 1
    assert [mark.kind for mark in in_range] == ["maintenance"]
    expected = list(Mark.objects.filter(point=point).order_by("-starts_at")[:20])
    assert recent == expected and recent[0].kind == "maintenance"


def test_the_limit_drawn_is_the_hourly_one_in_force_else_the_daily_one(site):
    point, _device, _start = site
    Limit.objects.create(
        point=point,
        pollutant=SO2,
        averaging="day",
        value=Decimal("40"),
        unit="mg/m³",
        source="s",
        valid_from=dt.date(2026, 1, 1),
    )
    limits = list(selectors.limits_of(point))
    assert selectors.in_force(limits, SO2, dt.date(2026, 6, 1)).averaging == "hour"
    assert selectors.in_force(limits, SO2, dt.date(2025, 6, 1)) is None
    assert selectors.in_force(limits, "a21002", dt.date(2026, 6, 1)) is None
    Limit.objects.filter(averaging="hour").update(valid_to=dt.date(2026, 3, 1))
    limits = list(selectors.limits_of(point))
    assert selectors.in_force(limits, SO2, dt.date(2026, 6, 1)).averaging == "day"
    assert selectors.limit_in_force(point, SO2, dt.date(2026, 6, 1)).averaging == "day"


def test_the_point_page_reads_each_list_once(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.head)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("monitoring:point", args=[point.pk]))
    assert page.status_code == 200 and "自动监测设备维护" in page.content.decode()
    tables = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    reads = {name: sum(f'FROM "monitoring_{name}"' in sql for sql in tables) for name in ("limit", "mark")}
    assert reads == {"limit": 1, "mark": 1}, reads


def test_the_chart_opens_on_the_factor_of_the_latest_exceedance(client, world, files):
    with at(INSPECTED, 9):
        device = monitored(world.harbin)  # SO2 under a limit of 100, listed first until something exceeds
        make_limit(device.point, pollutant=NOX, value="50")
        send(files, device, local_hour(DATA_DAY, 10), {SO2: 20.0, NOX: 120.0})
        exceedances_find(day=DATA_DAY)
        client.force_login(world.people.officer)
        page = client.get(reverse("monitoring:point", args=[device.point.pk])).content.decode()
    caption = page.split('<figure class="card" id="series">')[1].split("</figcaption>")[0]
    assert name_of(NOX) in caption and name_of(SO2) not in caption
