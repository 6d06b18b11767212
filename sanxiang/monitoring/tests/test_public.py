"""自动监测设备设置地点公示 (《行政处罚法》第四十一条第一款) on the portal and as open data: the published points only,
with their devices' review, filtered by agency, no login."""

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.testing.monitoring import make_device, make_point


def _points(world):
    shown = make_point(world.daoli, address="哈尔滨市道里区安静街 1 号")
    make_device(shown)
    make_device(shown, mn="23010000999999", reviewed=False)
    hidden = make_point(world.harbin, location_published_on=None, address="未公布的地址 9 号")
    other = make_point(world.qiqihar, address="齐齐哈尔市建华区 2 号")
    return shown, hidden, other


def test_the_public_page_lists_the_published_locations_with_the_review_and_needs_no_login(client, world):
    shown, _hidden, other = _points(world)
    response = client.get(reverse("portal:monitoring-locations"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "哈尔滨市道里区安静街 1 号" in page and "齐齐哈尔市建华区 2 号" in page and "未公布的地址" not in page
    assert "2026-01-05 通过审核" in page and "未经审核" in page and str(shown.latitude) in page
    assert "第四十一条" in page and reverse("api:public-monitoring-locations") in page
    assert reverse("portal:monitoring-locations") in client.get(reverse("portal:home")).content.decode()


def test_the_public_page_filters_by_agency_and_those_below_it(client, world):
    _points(world)
    page = client.get(reverse("portal:monitoring-locations"), {"agency": world.harbin.code}).content.decode()
    assert "哈尔滨市道里区安静街 1 号" in page and "齐齐哈尔市建华区" not in page
    unknown = client.get(reverse("portal:monitoring-locations"), {"agency": "999999"})
    assert unknown.status_code == 400 and "没有该执法机关" in unknown.content.decode()


def test_the_open_data_lists_the_same_locations(world):
    shown, _hidden, _other = _points(world)
    api = APIClient()
    body = api.get(reverse("api:public-monitoring-locations")).json()
    assert body["count"] == 2
    row = next(row for row in body["results"] if row["outlet_code"] == shown.outlet_code)
    assert row["location_published_on"] == "2026-01-05" and len(row["devices"]) == 2
    assert {device["review_passed_on"] for device in row["devices"]} == {"2026-01-05", None}
    only = api.get(reverse("api:public-monitoring-locations"), {"agency": world.qiqihar.code}).json()
    assert only["count"] == 1
    assert api.get(reverse("api:public-monitoring-locations"), {"agency": "999999"}).status_code == 404


def test_a_retired_device_leaves_the_public_list(world):
    point = make_point(world.harbin)
    make_device(point, retired_on=dt.date(2026, 6, 1))
    body = APIClient().get(reverse("api:public-monitoring-locations")).json()
    assert body["results"][0]["devices"] == []
