"""The words shown for codes: a mark's kind and a point's medium in Chinese through the API, the marks on the point
page by their kind's name; the quarantine read only past its one check."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.monitoring.models import Quarantined
from sanxiang.monitoring.selectors import quarantine_for_user
from sanxiang.testing.monitoring import monitored_point


@pytest.fixture
def site(world):
    return monitored_point(world.harbin)


def test_the_api_gives_a_marks_kind_and_a_points_medium_in_words(world, site):
    point, _device, _start = site
    api = APIClient()
    api.force_authenticate(world.people.officer)
    marks = api.get(reverse("api:monitoring-marks", args=[point.pk])).json()
    assert [(mark["kind"], mark["kind_label"]) for mark in marks] == [("maintenance", "自动监测设备维护")]
    body = api.get(reverse("api:monitoring-point", args=[point.pk])).json()
    assert body["medium_label"] == point.get_medium_display() and body["medium_label"] in {"废气", "废水"}


def test_the_point_page_names_each_mark_by_its_kind(client, world, site):
    point, _device, _start = site
    client.force_login(world.people.officer)
    page = client.get(reverse("monitoring:point", args=[point.pk])).content.decode()
    assert "自动监测设备维护" in page and "<td>maintenance</td>" not in page


def test_the_quarantine_is_read_through_one_check(world):
    assert quarantine_for_user(world.people.province_admin).model is Quarantined
    for user in (world.people.officer, world.people.head):
        with pytest.raises(PermissionDenied, match="隔离报文由省级系统管理员和安全管理员查看"):
            quarantine_for_user(user)
