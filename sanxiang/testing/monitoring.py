"""Monitoring points, devices and HJ 212 packets for tests."""

from __future__ import annotations

import datetime as dt
import itertools
import socket
from decimal import Decimal

from django.utils import timezone

from sanxiang.monitoring import partitions, protocol, registry
from sanxiang.monitoring.models import Device, Point, Reading
from sanxiang.testing.cases import make_party

SERIAL = itertools.count(1)
PASSWORD = "123456"


def make_point(agency, *, party=None, location_published_on=dt.date(2026, 1, 5), **overrides) -> Point:
    values = {
        "agency": agency,
        "party": party or make_party(agency),
        "outlet_code": f"DA{next(SERIAL):03d}",
        "name": "锅炉废气排放口",
        "medium": "air",
        "address": "哈尔滨市松北区化工路 8 号 1 号锅炉烟囱",
        "latitude": Decimal("45.812300"),
        "longitude": Decimal("126.534100"),
    }
    values.update(overrides)
    point = registry.point_register(actor=None, **values)
    if location_published_on is not None:  # not after today: a test may run at a frozen earlier time
        published_on = min(location_published_on, timezone.localdate())
        point = registry.point_publish_location(actor=None, point=point, published_on=published_on)
    return point


def make_device(
    point: Point,
    *,
    mn: str | None = None,
    password: str = PASSWORD,
    reviewed=True,
    review_passed_on: dt.date | None = None,
    review_reference: str = "哈环监审〔2026〕3号",
    retired_on: dt.date | None = None,
    **overrides,
) -> Device:
    values = {
        "point": point,
        "mn": mn or f"23010000{next(SERIAL):08d}",
        "password": password,
        "maker": "示例仪器有限公司",
        "model": "CEMS-2000",
        "installed_on": dt.date(2025, 12, 1),
    }
    values.update(overrides)
    device = registry.device_register(actor=None, **values)
    if reviewed:  # by default on 2026-01-05, or the day it was installed if later, and not after today
        passed_on = review_passed_on or min(max(device.installed_on, dt.date(2026, 1, 5)), timezone.localdate())
        device = registry.device_review(actor=None, device=device, passed_on=passed_on, reference=review_reference)
    if retired_on is not None:
        device = registry.device_retire(actor=None, device=device, retired_on=retired_on)
    return device


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(timezone.get_default_timezone())


def upload(
    mn: str,
    data_time: dt.datetime,
    values: dict[str, tuple[float, str]],
    *,
    cn: str = "2051",
    password: str = PASSWORD,
    sent_at: dt.datetime | None = None,
    flag: int = 5,
    serial: int = 0,
) -> bytes:
    """A minute (or other) upload of `values` {code: (average, flag)} for `data_time`, sent at `sent_at` (default:
    now) by the device's clock; `serial` makes the QN of packets sent in the same millisecond differ."""
    sent = local(sent_at or timezone.now()) + dt.timedelta(milliseconds=serial)
    qn = f"{sent:%Y%m%d%H%M%S}{sent.microsecond // 1000:03d}"
    field = "Rtd" if cn == "2011" else "Avg"
    cp = ";".join(f"{code}-{field}={value:.3f},{code}-Flag={mark}" for code, (value, mark) in values.items())
    return protocol.frame(
        f"QN={qn};ST=31;CN={cn};PW={password};MN={mn};Flag={flag};CP=&&DataTime={local(data_time):%Y%m%d%H%M%S};{cp}&&"
    )


def exchange(port: int, packets: list[bytes], *, expect: int, timeout: float = 10.0) -> list[bytes]:
    """Send `packets` on one connection and read `expect` responses, in order."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(b"".join(packets))
        expected = expect
        splitter, responses = protocol.Splitter(), []
        while len(responses) < expected:
            data = connection.recv(65536)
            if not data:
                break
            responses.extend(piece for piece in splitter.feed(data) if isinstance(piece, bytes))
        return responses


def add_readings(device: Device, code: str, start: dt.datetime, values: list, *, averaging: str = "minute") -> None:
    """Minute values of `code` from `start` on, one a minute: each (value, flag) or (value, flag, skewed); None
    leaves that minute without data."""
    rows = []
    for offset, item in enumerate(values):
        if item is None:
            continue
        value, flag, *skewed = item
        at = start + dt.timedelta(minutes=offset)
        rows.append(
            Reading(
                point_id=device.point_id,
                device=device,
                pollutant=code,
                averaging=averaging,
                data_time=at,
                value=value,
                flag=flag,
                skewed=bool(skewed and skewed[0]),
            )
        )
    partitions.ensure_months({partitions.month_of(row.data_time) for row in rows})
    Reading.objects.bulk_create(rows)


SO2 = "a21026"


def monitored_point(agency) -> tuple[Point, Device, dt.datetime]:
    """A flue-gas point with a reviewed device, an hourly SO₂ limit of 50, and the last hour of SO₂ from `start`:
    20 valid minutes, 10 missing, 10 flagged M (80, inside a maintenance mark), one clock-skewed, 10 valid."""
    point = make_point(agency)
    device = make_device(point)
    registry.limit_set(
        actor=None,
        point=point,
        pollutant=SO2,
        averaging="hour",
        value=Decimal("50"),
        source="排污许可证 91230100MA1234567X001P；GB 13271-2014 表2",
        valid_from=dt.date(2026, 1, 1),
    )
    start = (timezone.now() - dt.timedelta(minutes=60)).replace(second=0, microsecond=0)
    values = [(30.0 + i % 5, "N") for i in range(20)] + [None] * 10 + [(80.0, "M")] * 10 + [(31.0, "N", True)]
    add_readings(device, SO2, start, values + [(32.0, "N")] * 10)
    registry.mark_record(
        actor=None,
        point=point,
        kind="maintenance",
        starts_at=start + dt.timedelta(minutes=30),
        ends_at=start + dt.timedelta(minutes=40),
        reason="CEMS 维护",
    )
    return point, device, start
