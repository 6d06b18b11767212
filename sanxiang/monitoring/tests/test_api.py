"""Online monitoring through API v1: points, a series over a range, marks, limits, devices and their review, the
quarantine's summary — each tried by each persona; bad input answered 400 in Chinese, never 500; every operation in
the OpenAPI document."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.monitoring.models import Limit, Mark, Quarantined
from sanxiang.testing.monitoring import SO2, make_device, make_point, monitored_point


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.fixture
def site(world):
    return monitored_point(world.harbin)


def test_the_points_list_keeps_to_the_callers_agencies(world, site):
    point, device, _start = site
    elsewhere = make_point(world.qiqihar)
    body = _api(world.people.officer).get(reverse("api:monitoring-point-list")).json()
    assert body["count"] == 1 and body["results"][0]["id"] == point.pk
    assert body["results"][0]["devices"][0]["mn"] == device.mn
    theirs = _api(world.people.outsider).get(reverse("api:monitoring-point-list")).json()["results"]
    assert [row["id"] for row in theirs] == [elsewhere.pk]


@pytest.mark.parametrize(
    "name", ["monitoring-point", "monitoring-series", "monitoring-marks", "monitoring-limits", "monitoring-devices"]
)
def test_each_point_endpoint_is_404_to_an_outsider_and_401_to_the_anonymous(world, site, name):
    point, _device, _start = site
    address = reverse(f"api:{name}", args=[point.pk])
    query = {"pollutant": SO2} if name == "monitoring-series" else {}
    assert _api(world.people.officer).get(address, query).status_code == 200
    assert _api(world.people.head).get(address, query).status_code == 200
    outsider = _api(world.people.outsider).get(address, query)
    assert outsider.status_code == 404 and outsider.json()["error"]["code"] == "not_found"
    assert _api().get(address, query).status_code == 401


def test_the_series_lists_every_minute_with_flags_and_the_limit(world, site):
    point, _device, start = site
    end = start + dt.timedelta(minutes=60)
    body = (
        _api(world.people.officer)
        .get(
            reverse("api:monitoring-series", args=[point.pk]),
            {"pollutant": SO2, "start": start.isoformat(), "end": end.isoformat()},
        )
        .json()
    )
    assert body["bucket"] == "minute" and len(body["samples"]) == 60 and body["missing_minutes"] == 19
    flags = [sample["flag"] for sample in body["samples"]]
    assert flags.count("M") == 10 and flags.count("") == 19
    assert sum(sample["skewed"] for sample in body["samples"]) == 1
    assert body["limit"]["value"] == "50.0000" and "GB 13271-2014" in body["limit"]["source"]
    assert [mark["kind"] for mark in body["marks"]] == ["maintenance"]


def test_a_long_range_is_read_in_hours(world, site):
    point, _device, start = site
    body = (
        _api(world.people.officer)
        .get(
            reverse("api:monitoring-series", args=[point.pk]),
            {"pollutant": SO2, "start": (start - dt.timedelta(days=10)).isoformat(), "end": start.isoformat()},
        )
        .json()
    )
    assert body["bucket"] == "hour" and len(body["samples"]) in (240, 241)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"pollutant": "x00000"}, "pollutant", "未知的污染物编码"),
        ({"pollutant": SO2, "start": "yesterday"}, "start", ""),
        ({"pollutant": SO2, "start": "2026-03-02T00:00:00+08:00", "end": "2026-03-01T00:00:00+08:00"}, "start", "早于"),
        ({"pollutant": SO2, "start": "2026-01-01T00:00:00+08:00", "end": "2026-03-01T00:00:00+08:00"}, "end", "过长"),
        (
            {
                "pollutant": SO2,
                "start": "2026-01-01T00:00:00+08:00",
                "end": "2026-01-05T00:00:00+08:00",
                "bucket": "minute",
            },
            "end",
            "分钟值最长 2 天",
        ),
        ({"pollutant": SO2, "bucket": "second"}, "bucket", ""),
        ({}, "pollutant", ""),
    ],
)
def test_bad_series_queries_are_400_with_the_field_named(world, site, query, field, words):
    point, _device, _start = site
    response = _api(world.people.officer).get(reverse("api:monitoring-series", args=[point.pk]), query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"] and words in str(error["fields"][field])


def test_an_officer_records_a_mark_and_sets_a_limit_through_the_api(world, site):
    point, _device, _start = site
    now = timezone.now()
    response = _api(world.people.officer).post(
        reverse("api:monitoring-marks", args=[point.pk]),
        {
            "kind": "startup_shutdown",
            "starts_at": (now - dt.timedelta(hours=3)).isoformat(),
            "ends_at": (now - dt.timedelta(hours=2)).isoformat(),
            "reason": "1 号锅炉启炉",
        },
        format="json",
    )
    assert response.status_code == 201 and Mark.objects.filter(kind="startup_shutdown").exists()
    assert Entry.objects.filter(action="monitoring.mark_record", actor=f"staff:{world.people.officer.pk}").exists()
    response = _api(world.people.officer).post(
        reverse("api:monitoring-limits", args=[point.pk]),
        {
            "pollutant": "a34013",
            "averaging": "hour",
            "value": "10",
            "source": "GB 13271-2014 表3",
            "valid_from": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["unit"] == "mg/m³"


def test_writes_are_refused_to_those_who_may_not(world, site):
    point, _device, _start = site
    body = {"pollutant": "a34013", "averaging": "hour", "value": "10", "source": "GB", "valid_from": "2026-01-01"}
    assert (
        _api(world.people.reviewer)
        .post(reverse("api:monitoring-limits", args=[point.pk]), body, format="json")
        .status_code
        == 403
    )
    assert (
        _api(world.people.outsider)
        .post(reverse("api:monitoring-limits", args=[point.pk]), body, format="json")
        .status_code
        == 404
    )
    assert _api().post(reverse("api:monitoring-limits", args=[point.pk]), body, format="json").status_code == 401
    assert not Limit.objects.filter(pollutant="a34013").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"starts_at": "not a time"}, "starts_at"),
        ({"starts_at": 5}, "starts_at"),
        ({"ends_at": "2026-01-01T00:00:00+08:00"}, "ends_at"),
    ],
)
def test_a_bad_mark_is_400_with_a_chinese_message(world, site, body, field):
    point, _device, _start = site
    now = timezone.now()
    good = {
        "kind": "calibration",
        "starts_at": (now - dt.timedelta(hours=3)).isoformat(),
        "ends_at": (now - dt.timedelta(hours=2)).isoformat(),
        "reason": "校准",
    }
    response = _api(world.people.officer).post(
        reverse("api:monitoring-marks", args=[point.pk]), good | body, format="json"
    )
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_the_head_records_a_device_review_through_the_api(world):
    device = make_device(make_point(world.harbin), reviewed=False)
    address = reverse("api:monitoring-device-review", args=[device.pk])
    body = {"passed_on": "2026-02-01", "reference": "哈环监审〔2026〕8号"}
    assert _api(world.people.officer).post(address, body, format="json").status_code == 403
    assert _api(world.people.outsider).post(address, body, format="json").status_code == 404
    response = _api(world.people.head).post(address, body, format="json")
    assert response.status_code == 200 and response.json()["review_passed_on"] == "2026-02-01"
    again = _api(world.people.head).post(address, body, format="json")
    assert again.status_code == 400 and "已于 2026-02-01 通过审核" in again.content.decode()
    bad = _api(world.people.head).post(address, {"passed_on": "01/02/2026", "reference": "x"}, format="json")
    assert bad.status_code == 400


def test_a_device_is_registered_through_the_api(world, site):
    point, _device, _start = site
    response = _api(world.people.officer).post(
        reverse("api:monitoring-devices", args=[point.pk]),
        {"mn": "23010077000001", "password": "pw1234", "installed_on": "2026-01-02", "maker": "", "model": ""},
        format="json",
    )
    assert response.status_code == 201 and response.json()["review_passed_on"] is None


def test_the_quarantine_summary_is_for_the_provinces_administrators(world):
    Quarantined.objects.create(received_at=timezone.now(), reason="mn", detail="未登记", raw=b"##")
    body = _api(world.people.province_admin).get(reverse("api:monitoring-quarantine")).json()
    assert body == [{"reason": "mn", "label": "未登记的设备", "count": 1, "latest": body[0]["latest"]}]
    assert _api(world.people.officer).get(reverse("api:monitoring-quarantine")).status_code == 403
    assert _api().get(reverse("api:monitoring-quarantine")).status_code == 401


def test_every_monitoring_operation_is_documented():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert (
        "get" in paths["/api/v1/monitoring/points/"] and "get" in paths["/api/v1/monitoring/points/{point_id}/series"]
    )
    for name in ("marks", "limits", "devices"):
        assert {"get", "post"} <= set(paths[f"/api/v1/monitoring/points/{{point_id}}/{name}/"])
    assert "post" in paths["/api/v1/monitoring/devices/{device_id}/review"]
    assert "post" in paths["/api/v1/monitoring/devices/{device_id}/retire"]
    assert "get" in paths["/api/v1/public/monitoring/locations/"]


def test_an_officer_retires_a_device_through_the_api_once(world, site):
    _point, device, _start = site
    address = reverse("api:monitoring-device-retire", args=[device.pk])
    assert _api(world.people.outsider).post(address, {"retired_on": "2026-06-01"}, format="json").status_code == 404
    assert _api(world.people.reviewer).post(address, {"retired_on": "2026-06-01"}, format="json").status_code == 403
    response = _api(world.people.officer).post(address, {"retired_on": "2026-06-01"}, format="json")
    assert response.status_code == 200 and response.json()["retired_on"] == "2026-06-01"
    assert _api(world.people.officer).post(address, {"retired_on": "2026-06-02"}, format="json").status_code == 400
