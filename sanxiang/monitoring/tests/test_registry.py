"""The monitoring registry: points, devices and their art-41 review, limits with their source and the enterprise's
marks under the 标记规则 — each written by those who may, checked, and ledgered on the point."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.monitoring import registry
from sanxiang.monitoring.intake import password_digest
from sanxiang.monitoring.mark_kinds import MARK_KINDS
from sanxiang.monitoring.models import Limit, Point
from sanxiang.testing.cases import make_party
from sanxiang.testing.monitoring import make_device, make_point

SOURCE = "排污许可证 91230100MA1234567X001P；GB 13271-2014 表2"


def _entry(action: str) -> dict:
    entry = Entry.objects.filter(action=action).latest("index")
    return entry_json(entry)


def _register(world, actor, **overrides):
    values = {
        "agency": world.harbin,
        "party": make_party(world.harbin),
        "outlet_code": "DA001",
        "name": "1 号锅炉排放口",
        "medium": "air",
        "address": "哈尔滨市松北区化工路 8 号",
        "latitude": Decimal("45.8123"),
        "longitude": Decimal("126.5341"),
    }
    return registry.point_register(actor=actor, **(values | overrides))


def test_an_officer_registers_a_point_and_the_ledger_names_it(world):
    point = _register(world, world.people.officer)
    assert point.location_published_on is None and point.agency == world.harbin
    entry = _entry("monitoring.point_register")
    assert entry["subject"] == f"monitoring.point:{point.pk}"
    assert entry["data"].items() >= {"outlet_code": "DA001", "medium": "air"}.items()


@pytest.mark.parametrize("persona", ["outsider", "reviewer", "clerk", "admin"])
def test_a_point_is_registered_only_by_officers_and_heads_of_its_agency_or_above(world, persona):
    with pytest.raises(PermissionDenied):
        _register(world, getattr(world.people, persona))
    assert not Point.objects.exists()


def test_a_point_of_an_outlet_already_registered_is_refused(world):
    party = make_party(world.harbin)
    _register(world, world.people.head, party=party)
    with pytest.raises(ValidationError) as refused:
        _register(world, world.people.head, party=party)
    assert "已登记" in str(refused.value)


def test_publishing_a_location_is_recorded_once_and_never_in_the_future(world):
    point = _register(world, world.people.officer)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        registry.point_publish_location(actor=world.people.officer, point=point, published_on=tomorrow)
    registry.point_publish_location(actor=world.people.officer, point=point, published_on=dt.date(2026, 3, 1))
    assert _entry("monitoring.point_publish_location")["data"]["published_on"] == "2026-03-01"
    with pytest.raises(ValidationError) as refused:
        registry.point_publish_location(actor=world.people.officer, point=point, published_on=dt.date(2026, 3, 2))
    assert "已于 2026-03-01 公布" in str(refused.value)


def test_a_device_is_registered_with_its_password_kept_as_a_digest(world):
    point = make_point(world.harbin)
    device = registry.device_register(
        actor=world.people.officer,
        point=point,
        mn="88888880000001",
        password="654321",
        installed_on=dt.date(2026, 2, 1),
    )
    assert device.password_sha256 == password_digest("654321") and device.review_passed_on is None
    assert _entry("monitoring.device_register")["data"]["mn"] == "88888880000001"
    with pytest.raises(ValidationError) as refused:
        registry.device_register(
            actor=world.people.officer, point=point, mn="88888880000001", password="1", installed_on=dt.date(2026, 2, 1)
        )
    assert "已登记" in str(refused.value)


@pytest.mark.parametrize("mn", ["", "A" * 25, "MN;CN=2011", "设备一号"])
def test_a_device_with_an_mn_the_protocol_cannot_carry_is_refused(world, mn):
    with pytest.raises(ValidationError):
        registry.device_register(
            actor=world.people.officer,
            point=make_point(world.harbin),
            mn=mn,
            password="1",
            installed_on=dt.date(2026, 1, 1),
        )


def test_the_art_41_review_is_recorded_by_the_head_with_its_reference(world):
    device = make_device(make_point(world.harbin), reviewed=False)
    with pytest.raises(PermissionDenied):
        registry.device_review(
            actor=world.people.officer, device=device, passed_on=dt.date(2026, 1, 10), reference="哈环监审〔2026〕9号"
        )
    with pytest.raises(ValidationError):
        registry.device_review(actor=world.people.head, device=device, passed_on=dt.date(2026, 1, 10), reference=" ")
    with pytest.raises(ValidationError):  # before the device was installed
        registry.device_review(
            actor=world.people.head, device=device, passed_on=dt.date(2025, 1, 10), reference="哈环监审〔2026〕9号"
        )
    device = registry.device_review(
        actor=world.people.head, device=device, passed_on=dt.date(2026, 1, 10), reference="哈环监审〔2026〕9号"
    )
    assert device.review_passed_on == dt.date(2026, 1, 10)
    entry = _entry("monitoring.device_review")
    assert entry["data"]["reference"] == "哈环监审〔2026〕9号" and entry["actor"] == f"staff:{world.people.head.pk}"
    with pytest.raises(ValidationError):  # a result once recorded stays
        registry.device_review(actor=world.people.head, device=device, passed_on=dt.date(2026, 1, 11), reference="x")


def test_the_head_of_another_city_cannot_review_a_device(world):
    from sanxiang.agencies.models import Role
    from sanxiang.testing.factories import make_staff

    other_head = make_staff(agency=world.qiqihar, roles=[Role.HEAD], username="qqhead")
    device = make_device(make_point(world.harbin), reviewed=False)
    with pytest.raises(PermissionDenied):
        registry.device_review(actor=other_head, device=device, passed_on=dt.date(2026, 1, 10), reference="x")


def test_a_retired_device_is_retired_once(world):
    device = make_device(make_point(world.harbin))
    registry.device_retire(actor=world.people.officer, device=device, retired_on=dt.date(2026, 6, 1))
    assert _entry("monitoring.device_retire")["data"]["retired_on"] == "2026-06-01"
    with pytest.raises(ValidationError):
        registry.device_retire(actor=world.people.officer, device=device, retired_on=dt.date(2026, 6, 2))


def test_a_new_limit_ends_the_one_in_force_the_day_before(world):
    point = make_point(world.harbin)
    first = registry.limit_set(
        actor=world.people.officer,
        point=point,
        pollutant="a21026",
        averaging="hour",
        value=Decimal("50"),
        source=SOURCE,
        valid_from=dt.date(2026, 1, 1),
    )
    registry.limit_set(
        actor=world.people.officer,
        point=point,
        pollutant="a21026",
        averaging="hour",
        value=Decimal("35"),
        source=SOURCE,
        valid_from=dt.date(2026, 7, 1),
    )
    first.refresh_from_db()
    assert first.valid_to == dt.date(2026, 6, 30) and first.unit == "mg/m³"
    data = _entry("monitoring.limit_set")["data"]
    assert data["value"] == "35" and data["pollutant"] == "a21026" and data["valid_from"] == "2026-07-01"
    with pytest.raises(ValidationError):  # not after the latest
        registry.limit_set(
            actor=world.people.officer,
            point=point,
            pollutant="a21026",
            averaging="hour",
            value=Decimal("30"),
            source=SOURCE,
            valid_from=dt.date(2026, 3, 1),
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pollutant": "w01018"}, "pollutant"),  # a water pollutant at a flue-gas point
        ({"pollutant": "x99999"}, "pollutant"),
        ({"averaging": "minute"}, "averaging"),
        ({"value": Decimal("0")}, "value"),
        ({"source": "  "}, "source"),
    ],
)
def test_a_limit_that_cannot_be_applied_is_refused_with_the_reason(world, change, field):
    values = {"pollutant": "a21026", "averaging": "hour", "value": Decimal("50"), "source": SOURCE}
    with pytest.raises(ValidationError) as refused:
        registry.limit_set(
            actor=world.people.officer,
            point=make_point(world.harbin),
            valid_from=dt.date(2026, 1, 1),
            **(values | change),
        )
    assert field in refused.value.message_dict
    assert not Limit.objects.exists()


def test_the_mark_kinds_are_data_with_their_citation():
    assert {kind.code for kind in MARK_KINDS} >= {"maintenance", "startup_shutdown", "calibration"}
    assert all("标记规则" in kind.citation for kind in MARK_KINDS)
    assert all(kind.verified or "[U]" in kind.citation for kind in MARK_KINDS)
    assert all(len(kind.code) <= 16 for kind in MARK_KINDS)


def test_a_mark_is_recorded_with_who_entered_it(world):
    point = make_point(world.harbin)
    start = timezone.now() - dt.timedelta(hours=3)
    mark = registry.mark_record(
        actor=world.people.officer,
        point=point,
        kind="maintenance",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        reason="CEMS 季度维护（运维单位报告）",
    )
    assert mark.entered_by == world.people.officer
    assert _entry("monitoring.mark_record")["data"]["kind"] == "maintenance"


@pytest.mark.parametrize(
    ("kind", "hours", "ago", "field"),
    [
        ("nonsense", 1, 3, "kind"),
        ("calibration", 0, 3, "ends_at"),
        ("calibration", 800, 900, "ends_at"),
        ("calibration", 1, -2, "starts_at"),
    ],
)
def test_a_mark_that_cannot_be_right_is_refused(world, kind, hours, ago, field):
    start = timezone.now() - dt.timedelta(hours=ago)
    with pytest.raises(ValidationError) as refused:
        registry.mark_record(
            actor=world.people.officer,
            point=make_point(world.harbin),
            kind=kind,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=hours),
            reason="校准",
        )
    assert field in refused.value.message_dict


def test_an_outsider_cannot_mark_or_set_limits(world):
    point = make_point(world.harbin)
    with pytest.raises(PermissionDenied):
        registry.mark_record(
            actor=world.people.outsider,
            point=point,
            kind="calibration",
            starts_at=timezone.now() - dt.timedelta(hours=2),
            ends_at=timezone.now() - dt.timedelta(hours=1),
            reason="校准",
        )
    with pytest.raises(PermissionDenied):
        registry.limit_set(
            actor=world.people.outsider,
            point=point,
            pollutant="a21026",
            averaging="hour",
            value=Decimal("50"),
            source=SOURCE,
            valid_from=dt.date(2026, 1, 1),
        )
