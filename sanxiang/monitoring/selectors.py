"""Reads of the monitoring app that carry policy: who keeps a point's registry, the access gates of points and
devices (404 outside the user's agencies), the agency's list of points with their latest data and today's gaps, the
chart's series, the quarantine's summary and the public list of device locations (第四十一条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncHour
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, AgencyLevel, Role
from sanxiang.agencies.selectors import can_view
from sanxiang.monitoring import pollutants
from sanxiang.monitoring.models import (
    Averaging,
    Device,
    Exceedance,
    Limit,
    Mark,
    Packet,
    Point,
    Quarantined,
    Reading,
)

MINUTE, HOUR = "minute", "hour"
# The longest range a series is read for, by bucket: a day or two of minute values, a month of hours — beyond that
# a chart on a phone shows nothing more, and the query stays within the page's time budget.
LONGEST = {MINUTE: dt.timedelta(days=2), HOUR: dt.timedelta(days=31)}
VALID_FLAGS = tuple(flag.code for flag in pollutants.DATA_FLAGS if flag.valid)


def may_keep(user, agency: Agency) -> bool:
    """Whether `user` registers points, devices, limits and marks of `agency`: its officers and heads, or those of
    an agency above it."""
    return can_view(user, agency) and (user.is_superuser or bool(user.roles & {Role.OFFICER, Role.HEAD}))


def may_review(user, agency: Agency) -> bool:
    """Whether `user` records a device's legal and technical review (第四十一条): the head of the agency or above."""
    return can_view(user, agency) and (user.is_superuser or user.has_role(Role.HEAD))


def may_read_quarantine(user) -> bool:
    """The quarantine holds whatever reached the listener, of every agency and of none (unknown MNs): the
    installation's system and security administrators (those of the province) read it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        user.agency_id is not None
        and user.agency.level == AgencyLevel.PROVINCE
        and bool(user.roles & {Role.ADMIN, Role.SECURITY_ADMIN})
    )


def point_get_for_user(*, user, point_id) -> Point:
    """A point of an agency the user sees (404 otherwise)."""
    point = Point.objects.select_related("agency", "party").filter(pk=point_id).first()
    if point is None or not can_view(user, point.agency):
        raise Http404
    return point


def device_get_for_user(*, user, device_id) -> Device:
    """A device of a point the user sees (404 otherwise)."""
    device = Device.objects.select_related("point__agency", "point__party").filter(pk=device_id).first()
    if device is None or not can_view(user, device.point.agency):
        raise Http404
    return device


def _latest_packet():
    packets = Packet.objects.filter(device__point=OuterRef("pk")).order_by("-data_time")
    return Subquery(packets.values("data_time")[:1])


def points_for_user(user, *, search: str = "") -> QuerySet[Point]:
    """The points of the agencies the user sees, with the time of their latest data; `search` keeps those whose
    enterprise or outlet code contains it."""
    points = Point.objects.visible_to(user).select_related("agency", "party").prefetch_related("devices")
    if search:
        points = points.filter(Q(party__name__icontains=search) | Q(outlet_code__icontains=search))
    return points.annotate(latest_data=_latest_packet()).order_by("party__name", "outlet_code")


def minutes_received_today(point_ids, *, now: dt.datetime | None = None) -> dict[int, int]:
    """Per point, how many distinct minutes of today (Asia/Shanghai) its devices sent minute data for: the list's
    gap count is the minutes elapsed less these (one query on the packets' (device, time) index)."""
    now = now or timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Packet.objects.filter(device__point_id__in=list(point_ids), cn="2051", data_time__gte=midnight)
        .values("device__point_id")
        .annotate(minutes=Count("data_time", distinct=True))
    )
    return {row["device__point_id"]: row["minutes"] for row in rows}


def minutes_elapsed_today(now: dt.datetime | None = None) -> int:
    local = timezone.localtime(now or timezone.now())
    return local.hour * 60 + local.minute


@dataclass
class Sample:
    """One point of a chart: the value at `at` (None: no data), its HJ 212 flag, whether the device's clock was off,
    and for an hour, how many minute values it holds and how many of them are invalid."""

    at: dt.datetime
    value: float | None = None
    flag: str = ""
    skewed: bool = False
    count: int = 0
    invalid: int = 0


@dataclass
class Series:
    pollutant: pollutants.Pollutant
    bucket: str
    start: dt.datetime
    end: dt.datetime
    samples: list[Sample] = field(default_factory=list)
    missing_minutes: int = 0


def _floor(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    seconds = int(step.total_seconds())
    epoch = int(moment.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def _readings(point: Point, pollutant: str, start: dt.datetime, end: dt.datetime) -> QuerySet[Reading]:
    """The one indexed range: the primary key (point, pollutant, averaging, time) — on PostgreSQL also pruned to the
    months of the range."""
    return Reading.objects.filter(
        point_id=point.pk, pollutant=pollutant, averaging=Averaging.MINUTE, data_time__gte=start, data_time__lt=end
    )


def series(*, point: Point, pollutant: str, start: dt.datetime, end: dt.datetime, bucket: str = MINUTE) -> Series:
    """The chart of `pollutant` at `point` from `start` to `end` (the present at most), from its minute values:
    every minute (bucket "minute") or every hour (bucket "hour", averaged in SQL). Every step of the range has a
    sample — None where nothing came, so that gaps show as breaks — and the minutes missing are counted.

    An hour's value is the mean of its valid minute values (flags N and S, clock not skewed), as the lawful hourly
    average is taken; an hour with none shows the mean of what came, with one of its invalid flags, so that it is
    drawn apart and never read as valid."""
    step = dt.timedelta(minutes=1) if bucket == MINUTE else dt.timedelta(hours=1)
    # whole minutes: the minute under way is not over, and a range of 24 hours is 1,440 of them
    start, end = _floor(start, dt.timedelta(minutes=1)), _floor(min(end, timezone.now()), dt.timedelta(minutes=1))
    result = Series(pollutants.BY_CODE[pollutant], bucket, start, end)
    rows = _readings(point, pollutant, start, end)
    if bucket == MINUTE:
        found = {
            _floor(at, step): Sample(at, value, flag, skewed, 1, 0 if flag in VALID_FLAGS and not skewed else 1)
            for at, value, flag, skewed in rows.values_list("data_time", "value", "flag", "skewed")
        }
    else:
        found = {row.at: row for row in _hours(rows)}
    at = _floor(start, step)
    while at < end:
        result.samples.append(found.get(at) or Sample(at))
        at += step
    expected = max(0, int((end - start).total_seconds() // 60))
    result.missing_minutes = max(0, expected - sum(sample.count for sample in result.samples))
    return result


def _hours(rows: QuerySet[Reading]) -> list[Sample]:
    valid = Q(flag__in=VALID_FLAGS, skewed=False)
    hours = (
        rows.annotate(hour=TruncHour("data_time", tzinfo=dt.UTC))  # Asia/Shanghai's hours are whole UTC hours
        .values("hour")
        .annotate(
            valid_mean=Avg("value", filter=valid),
            mean=Avg("value"),
            count=Count("data_time"),
            invalid=Count("data_time", filter=~valid),
            skewed_count=Count("data_time", filter=Q(skewed=True)),
            invalid_flag=Min("flag", filter=~Q(flag__in=VALID_FLAGS)),
        )
        .order_by()
    )
    samples = []
    for row in hours:
        at = row["hour"] if row["hour"].tzinfo else row["hour"].replace(tzinfo=dt.UTC)
        if row["valid_mean"] is not None:
            samples.append(Sample(at, row["valid_mean"], "N", False, row["count"], row["invalid"]))
        else:
            # no valid value: an invalid flag, else valid flags on a skewed clock (or empty values)
            flag = row["invalid_flag"] or "N"
            samples.append(Sample(at, row["mean"], flag, bool(row["skewed_count"]), row["count"], row["invalid"]))
    return samples


def limits_of(point: Point, *, pollutant: str | None = None) -> QuerySet[Limit]:
    limits = Limit.objects.filter(point=point)
    return limits.filter(pollutant=pollutant) if pollutant else limits


def in_force(limits, pollutant: str, day: dt.date) -> Limit | None:
    """Of `limits` (a point's, already read), the one to draw for `pollutant`: the hourly one in force on `day`,
    else the daily one — of several in force, the one in force the longest."""
    current = [
        limit
        for limit in limits
        if limit.pollutant == pollutant
        and limit.valid_from <= day
        and (limit.valid_to is None or limit.valid_to >= day)
    ]
    for averaging in (Averaging.HOUR, Averaging.DAY):
        found = [limit for limit in current if limit.averaging == averaging]
        if found:
            return min(found, key=lambda limit: limit.valid_from)
    return None


def limit_in_force(point: Point, pollutant: str, day: dt.date) -> Limit | None:
    return in_force(limits_of(point, pollutant=pollutant), pollutant, day)


def marks_between(point: Point, start: dt.datetime, end: dt.datetime) -> QuerySet[Mark]:
    return Mark.objects.filter(point=point, starts_at__lt=end, ends_at__gt=start).order_by("starts_at")


def marks_shown(point: Point, start: dt.datetime, end: dt.datetime, *, recent: int = 20) -> tuple[list, list]:
    """The point page's marks in one read: those over [start, end) by their start, and the `recent` latest."""
    latest = Mark.objects.filter(point=point).order_by("-starts_at", "-pk").values("pk")[:recent]
    rows = list(
        Mark.objects.filter(Q(point=point, starts_at__lt=end, ends_at__gt=start) | Q(pk__in=latest))
        .select_related("entered_by")
        .order_by("-starts_at", "-pk")
    )
    # the latest `recent` of all the point's marks are all in `rows`, so its first `recent` are they
    return [mark for mark in reversed(rows) if mark.starts_at < end and mark.ends_at > start], rows[:recent]


def pollutants_of(point: Point, limits) -> list[pollutants.Pollutant]:
    """The pollutants a point's medium offers: the one of its latest exceedance first (what a person opening the
    page from a clue came to see), then those with a limit (of `limits`, the point's), then the rest."""
    limited = {limit.pollutant for limit in limits}
    latest = (
        Exceedance.objects.filter(point=point).order_by("-period_start").values_list("pollutant", flat=True).first()
    )
    offered = [p for p in pollutants.POLLUTANTS if p.medium == point.medium]
    return sorted(offered, key=lambda p: (p.code != latest, p.code not in limited))


def quarantine_for_user(user) -> QuerySet[Quarantined]:
    """The refused packets, to those who may read them (PermissionDenied to anyone else): what the summary and the
    latest are read from, so that neither is read without the check."""
    if not may_read_quarantine(user):
        raise PermissionDenied(_("隔离报文由省级系统管理员和安全管理员查看。"))
    return Quarantined.objects.all()


def quarantine_summary(refused: QuerySet[Quarantined]) -> list[dict]:
    """Refused packets counted by reason, most first."""
    rows = refused.values("reason").annotate(count=Count("id"), latest=Max("received_at"))
    labels = dict(Quarantined.Reason.choices)
    return [
        {"reason": row["reason"], "label": str(labels.get(row["reason"], row["reason"])), **row}
        for row in sorted(rows, key=lambda row: -row["count"])
    ]


def quarantine_latest(refused: QuerySet[Quarantined], *, reason: str = "", limit: int = 50) -> QuerySet[Quarantined]:
    return (refused.filter(reason=reason) if reason else refused).order_by("-id")[:limit]


def locations_public(*, agency: Agency | None = None) -> QuerySet[Point]:
    """自动监测设备设置地点公示 (第四十一条第一款): the points whose location is published, with their devices in use,
    of `agency` and the agencies below it."""
    points = Point.objects.filter(location_published_on__isnull=False, agency__is_active=True)
    if agency is not None:
        points = points.filter(agency__path__startswith=agency.path)
    devices = Device.objects.filter(retired_on__isnull=True).order_by("id")
    return (
        points.select_related("agency", "party")
        .prefetch_related(Prefetch("devices", queryset=devices))
        .order_by("agency__path", "party__name", "outlet_code")
    )
