"""Writes of the monitoring registry: the points of an enterprise's outlets, their devices with the art-41 review
(《行政处罚法》第四十一条: 法制和技术审核, 设置地点向社会公布), the permit's limits and the enterprise's marks under the
标记规则. Each is one transaction with its ledger entry on the point, so a point's history reads as one record.

Who may (selectors.may_keep, may_review): the agency's officers and heads, or those above it, keep the registry —
the monitoring of an outlet is part of supervising it; recording that a device passed the legal and technical review
is the head's, as the review is the agency's decision and not the inspecting officer's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import can_view
from sanxiang.cases.models import Party
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.ledger.services import ledger_append
from sanxiang.monitoring import pollutants, rollups
from sanxiang.monitoring.intake import password_digest
from sanxiang.monitoring.mark_kinds import MARK_KIND_BY_CODE
from sanxiang.monitoring.models import Averaging, Device, Limit, Mark, Medium, Point
from sanxiang.monitoring.selectors import may_keep, may_review

LEDGER_ACTIONS = {
    "monitoring.point_register": gettext_lazy("登记在线监控点位"),
    "monitoring.point_publish_location": gettext_lazy("公布自动监测设备设置地点"),
    "monitoring.device_register": gettext_lazy("登记自动监测设备"),
    "monitoring.device_review": gettext_lazy("记录自动监测设备法制和技术审核结果"),
    "monitoring.device_retire": gettext_lazy("停用自动监测设备"),
    "monitoring.limit_set": gettext_lazy("设定排放限值"),
    "monitoring.mark_record": gettext_lazy("录入数据标记"),
}
# A mark longer than this is a typing error (a month-long shutdown is marked month by month, as it is reported).
MARK_LONGEST = dt.timedelta(days=31)


def _require(actor, agency: Agency, *, review: bool = False) -> None:
    """403 unless `actor` keeps the registry of `agency` (or records its device reviews); `actor=None` (the demo's
    loader, tests' factories) and a name such as "cli" are not asked, as elsewhere."""
    if actor is None or isinstance(actor, str):
        return
    if review and not may_review(actor, agency):
        raise PermissionDenied(_("自动监测设备的法制和技术审核结果由本机关或上级机关的负责人记录。"))
    if not review and not may_keep(actor, agency):
        raise PermissionDenied(_("只有本机关或上级机关的执法人员和负责人可以登记在线监控信息。"))


def not_future(day: dt.date | None, field: str) -> None:
    """A date of an act recorded in monitoring: given, and not later than today (refused under `field`)."""
    if day is None or day > timezone.localdate():
        raise ValidationError({field: _("请填写日期，且不能晚于今天。")})


@transaction.atomic
def point_register(
    *,
    actor,
    agency: Agency,
    party: Party,
    outlet_code: str,
    name: str,
    medium: str,
    address: str,
    latitude: Decimal,
    longitude: Decimal,
) -> Point:
    """监测点位: an outlet of `party` watched by an automatic device, supervised by `agency`."""
    _require(actor, agency)
    refuse_control_characters({"outlet_code": outlet_code, "name": name, "address": address})
    if actor is not None and not isinstance(actor, str) and not can_view(actor, party.agency):
        raise ValidationError({"party": _("请选择本机关或下级机关登记的排污单位。")})
    if medium not in Medium.values:
        raise ValidationError({"medium": _("请选择废气或废水。")})
    if not (Decimal(-90) <= latitude <= Decimal(90)) or not (Decimal(-180) <= longitude <= Decimal(180)):
        raise ValidationError({"latitude": _("经纬度超出范围。")})
    if Point.objects.filter(party=party, outlet_code=outlet_code.strip()).exists():
        raise ValidationError({"outlet_code": _("该排污单位已登记此排放口编号。")})
    point = Point.objects.create(
        agency=agency,
        party=party,
        outlet_code=outlet_code.strip(),
        name=name.strip(),
        medium=medium,
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
    )
    ledger_append(
        actor=actor,
        agency=point.agency,
        action="monitoring.point_register",
        subject=point,
        data={"outlet_code": point.outlet_code, "medium": medium},
    )
    return point


@transaction.atomic
def point_publish_location(*, actor, point: Point, published_on: dt.date) -> Point:
    """第四十一条第一款 设置地点应当向社会公布: from `published_on` the point's address and coordinates are on the
    portal. The date stays as first recorded: it is what a party may check a finding against."""
    _require(actor, point.agency)
    point = Point.objects.select_for_update().get(pk=point.pk)
    if point.location_published_on is not None:
        raise ValidationError(
            {"published_on": _("该点位的设置地点已于 %(day)s 公布。") % {"day": point.location_published_on}}
        )
    not_future(published_on, "published_on")
    point.location_published_on = published_on
    point.save(update_fields=["location_published_on"])
    ledger_append(
        actor=actor,
        agency=point.agency,
        action="monitoring.point_publish_location",
        subject=point,
        data={"published_on": published_on},
    )
    return point


@transaction.atomic
def device_register(
    *,
    actor,
    point: Point,
    mn: str,
    password: str,
    installed_on: dt.date,
    maker: str = "",
    model: str = "",
) -> Device:
    """自动监测设备 (数采仪) of a point, known by its MN and password (kept as a digest). Its data is stored from now
    on, but used as evidence only once its review is recorded (device_review)."""
    _require(actor, point.agency)
    refuse_control_characters({"mn": mn, "maker": maker, "model": model})
    mn = mn.strip()
    if not mn or len(mn) > 24 or not mn.isascii() or any(c in mn for c in ";,=&"):
        raise ValidationError({"mn": _("设备唯一标识（MN）应为不超过 24 位的字母或数字。")})
    if not password or len(password) > 9 or not password.isascii():
        raise ValidationError({"password": _("访问密码（PW）应为不超过 9 位的字母或数字。")})
    not_future(installed_on, "installed_on")
    if Device.objects.filter(mn=mn).exists():
        raise ValidationError({"mn": _("该设备唯一标识（MN）已登记。")})
    device = Device.objects.create(
        point=point,
        mn=mn,
        password_sha256=password_digest(password),
        installed_on=installed_on,
        maker=maker.strip(),
        model=model.strip(),
    )
    ledger_append(
        actor=actor,
        agency=point.agency,
        action="monitoring.device_register",
        subject=point,
        data={"device": device.pk, "mn": mn, "installed_on": installed_on},
    )
    return device


def _lock_device(device: Device) -> Device:
    return Device.objects.select_for_update().select_related("point__agency").get(pk=device.pk)


@transaction.atomic
def device_review(*, actor, device: Device, passed_on: dt.date, reference: str) -> Device:
    """第四十一条第一款 法制和技术审核: record that the device passed the agency's legal and technical review on
    `passed_on`, by the document `reference` (验收或审核文件). From then its data may be evidence; a result once
    recorded is not rewritten — a new device is registered and reviewed instead."""
    device = _lock_device(device)
    _require(actor, device.point.agency, review=True)
    refuse_control_characters({"reference": reference})
    reference = reference.strip()
    if device.review_passed_on is not None:
        raise ValidationError({"passed_on": _("该设备已于 %(day)s 通过审核。") % {"day": device.review_passed_on}})
    if device.retired_on is not None:
        raise ValidationError({"passed_on": _("该设备已停用。")})
    if not reference:
        raise ValidationError({"reference": _("请填写审核（验收）文件的文号。")})
    not_future(passed_on, "passed_on")
    if passed_on < device.installed_on:
        raise ValidationError({"passed_on": _("审核通过日期不能早于安装日期。")})
    device.review_passed_on, device.review_reference = passed_on, reference
    device.save(update_fields=["review_passed_on", "review_reference"])
    ledger_append(
        actor=actor,
        agency=device.point.agency,
        action="monitoring.device_review",
        subject=device.point,
        data={"device": device.pk, "mn": device.mn, "passed_on": passed_on, "reference": reference},
    )
    return device


@transaction.atomic
def device_retire(*, actor, device: Device, retired_on: dt.date) -> Device:
    """停用: from `retired_on` the device's packets are refused (quarantined as 设备已停用)."""
    device = _lock_device(device)
    _require(actor, device.point.agency)
    if device.retired_on is not None:
        raise ValidationError({"retired_on": _("该设备已于 %(day)s 停用。") % {"day": device.retired_on}})
    not_future(retired_on, "retired_on")
    if retired_on < device.installed_on:
        raise ValidationError({"retired_on": _("停用日期不能早于安装日期。")})
    device.retired_on = retired_on
    device.save(update_fields=["retired_on"])
    ledger_append(
        actor=actor,
        agency=device.point.agency,
        action="monitoring.device_retire",
        subject=device.point,
        data={"device": device.pk, "mn": device.mn, "retired_on": retired_on},
    )
    return device


@transaction.atomic
def limit_set(
    *,
    actor,
    point: Point,
    pollutant: str,
    averaging: str,
    value: Decimal,
    source: str,
    valid_from: dt.date,
) -> Limit:
    """排放限值 of a pollutant at a point, averaged over an hour or a day, with its source (the permit's number and
    the standard's table), from `valid_from`; the limit in force before it ends the day before."""
    _require(actor, point.agency)
    refuse_control_characters({"source": source})
    known = pollutants.BY_CODE.get(pollutant)
    if known is None or known.medium != point.medium:
        raise ValidationError({"pollutant": _("请选择该点位类别的污染物。")})
    if averaging not in (Averaging.HOUR, Averaging.DAY):
        raise ValidationError({"averaging": _("限值的均值周期应为小时均值或日均值。")})
    if value is None or value <= 0:
        raise ValidationError({"value": _("限值应大于零。")})
    if not source.strip():
        raise ValidationError({"source": _("请写明限值依据（排污许可证编号及执行标准）。")})
    same = Limit.objects.select_for_update().filter(point=point, pollutant=pollutant, averaging=averaging)
    if same.filter(valid_from__gte=valid_from).exists():
        raise ValidationError({"valid_from": _("该污染物在此日期或之后已有限值；新的限值应晚于现有限值生效。")})
    same.filter(valid_to__isnull=True).update(valid_to=valid_from - dt.timedelta(days=1))
    if not Limit.objects.filter(point=point, pollutant=pollutant).exists():
        rollups.hours_mark_stale_from(day=valid_from)
    try:
        with transaction.atomic():
            limit = Limit.objects.create(
                point=point,
                pollutant=pollutant,
                averaging=averaging,
                value=value,
                unit=known.unit,
                source=source.strip(),
                valid_from=valid_from,
            )
    except IntegrityError as error:  # the database's last word (a range the checks above missed)
        raise ValidationError(_("限值与已有记录冲突。")) from error
    ledger_append(
        actor=actor,
        agency=point.agency,
        action="monitoring.limit_set",
        subject=point,
        data={
            "limit": limit.pk,
            "pollutant": pollutant,
            "averaging": averaging,
            "value": value,
            "unit": known.unit,
            "valid_from": valid_from,
        },
    )
    return limit


@transaction.atomic
def mark_record(*, actor, point: Point, kind: str, starts_at: dt.datetime, ends_at: dt.datetime, reason: str) -> Mark:
    """标记: a period the enterprise marked under the 标记规则 (as it reported it), whose data is not used to find an
    exceedance. Entered when it is reported; a mark recorded after a clue was raised does not withdraw the clue
    (docs/domain.md §27), so the time of entry is kept beside the period."""
    _require(actor, point.agency)
    reason = reason_check(reason, what=_("标记说明"))
    if kind not in MARK_KIND_BY_CODE:
        raise ValidationError({"kind": _("请选择标记规则所列的标记类型。")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})
    if ends_at - starts_at > MARK_LONGEST:
        raise ValidationError({"ends_at": _("一条标记不能超过 31 天，请按报告逐段录入。")})
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": _("开始时间不能晚于现在。")})
    mark = Mark.objects.create(
        point=point,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        entered_by=actor if actor is not None and not isinstance(actor, str) else None,
    )
    ledger_append(
        actor=actor,
        agency=point.agency,
        action="monitoring.mark_record",
        subject=point,
        data={"mark": mark.pk, "kind": kind, "starts_at": starts_at, "ends_at": ends_at},
    )
    return mark
