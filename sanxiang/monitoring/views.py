"""Workbench pages of online monitoring: the agency's points with their latest data and today's gaps, a point's
page (the chart of a pollutant against its limit, flags, gaps and marks shown; its devices with their art-41 review,
its published location, limits and marks; the keepers' forms), and the quarantine of refused packets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.cases.models import Party
from sanxiang.core.forms import run_service
from sanxiang.monitoring import pollutants, registry, selectors
from sanxiang.monitoring.chart import chart_data, table_rows
from sanxiang.monitoring.forms import (
    PERIODS,
    ChartForm,
    DeviceForm,
    DeviceRetireForm,
    DeviceReviewForm,
    LimitForm,
    MarkForm,
    PointFilter,
    PointForm,
    PublishLocationForm,
)
from sanxiang.monitoring.models import Point, Quarantined


def point_list(request):
    """在线监控点位: the points of the agencies the user sees, each with its latest data and today's missing minutes."""
    filters = PointFilter(request.GET or None)
    search = filters.cleaned_data.get("q", "") if filters.is_valid() else ""
    page = Paginator(selectors.points_for_user(request.user, search=search), 50).get_page(request.GET.get("page"))
    received = selectors.minutes_received_today([point.pk for point in page])
    elapsed = selectors.minutes_elapsed_today()
    for point in page:
        point.gap_today = max(0, elapsed - received.get(point.pk, 0))
    context = {
        "filters": filters,
        "page": page,
        "may_register": request.user.agency is not None and selectors.may_keep(request.user, request.user.agency),
        "reads_quarantine": selectors.may_read_quarantine(request.user),
    }
    return render(request, "monitoring/point_list.html", context)


def point_create(request):
    agency = request.user.agency
    if agency is None or not selectors.may_keep(request.user, agency):
        raise PermissionDenied(_("只有本机关或上级机关的执法人员和负责人可以登记在线监控信息。"))
    form = PointForm(request.POST or None, parties=Party.objects.visible_to(request.user).order_by("name"))
    if request.method == "POST":
        point = run_service(form, lambda data: registry.point_register(actor=request.user, agency=agency, **data))
        if point:
            messages.success(request, _("已登记监测点位 %(point)s。") % {"point": point})
            return redirect("monitoring:point", point.pk)
    return render(
        request, "agencies/form.html", {"form": form, "title": _("登记监测点位")}, status=400 if form.errors else 200
    )


def _forms(request, point: Point, devices: list, bound) -> dict:
    """The keepers' forms, empty or (`bound`) the one refused, with what was typed; `devices` are the point's, read
    once by the page (the forms' choices stay querysets: a form checks its choice against the database)."""
    forms = {}
    in_use = point.devices.filter(retired_on__isnull=True)
    if selectors.may_keep(request.user, point.agency):
        forms = {
            "mark": MarkForm(),
            "limit": LimitForm(medium=point.medium),
            "device": DeviceForm(),
        }
        if point.location_published_on is None:
            forms["publish"] = PublishLocationForm()
        if any(device.retired_on is None for device in devices):
            forms["retire"] = DeviceRetireForm(devices=in_use)
    unreviewed = [device for device in devices if device.retired_on is None and device.review_passed_on is None]
    if selectors.may_review(request.user, point.agency) and unreviewed:
        forms["review"] = DeviceReviewForm(devices=in_use.filter(review_passed_on__isnull=True))
    if bound:
        forms[bound[0]] = bound[1]
    return forms


def point_detail(request, point_id: int, *, bound=None, status: int = 200):
    """The enterprise's monitoring page for one point."""
    point = selectors.point_get_for_user(user=request.user, point_id=point_id)
    devices = list(point.devices.all())
    limits = list(selectors.limits_of(point).order_by("pollutant", "averaging", "-valid_from"))
    for row in limits:
        row.pollutant_name = pollutants.name_of(row.pollutant)
    offered = selectors.pollutants_of(point, limits)
    choice = ChartForm(request.GET or None, offered=offered)
    pollutant, period = choice.choice(offered)
    _label, span, bucket = PERIODS[period]
    end = timezone.now()
    start = end - span
    series = selectors.series(point=point, pollutant=pollutant, start=start, end=end, bucket=bucket)
    limit = selectors.in_force(limits, pollutant, timezone.localdate())
    marks, recent = selectors.marks_shown(point, start, end)
    context = {
        "point": point,
        "choice": choice,
        "period_label": _label,
        "series": series,
        "limit": limit,
        "chart": chart_data(series, limit=limit, marks=marks),
        "rows": table_rows(series, marks=marks),
        "marks_in_range": marks,
        "devices": devices,
        "limits": limits,
        "marks": recent,
        "forms": _forms(request, point, devices, bound),
    }
    return render(request, "monitoring/point_detail.html", context, status=status)


def _post(request, point_id: int, name: str, form_class, call, done: str, **form_options):
    """A keeper's form on the point page: run the service; on refusal show the page again with the form."""
    point = selectors.point_get_for_user(user=request.user, point_id=point_id)
    form = form_class(request.POST, **{key: value(point) for key, value in form_options.items()})
    if run_service(form, lambda data: call(point, data)) is None:
        return point_detail(request, point_id, bound=(name, form), status=400)
    messages.success(request, done)
    return redirect("monitoring:point", point.pk)


@require_POST
def mark_record(request, point_id: int):
    return _post(
        request,
        point_id,
        "mark",
        MarkForm,
        lambda point, data: registry.mark_record(actor=request.user, point=point, **data),
        _("已录入数据标记。"),
    )


@require_POST
def limit_set(request, point_id: int):
    return _post(
        request,
        point_id,
        "limit",
        LimitForm,
        lambda point, data: registry.limit_set(actor=request.user, point=point, **data),
        _("已设定排放限值。"),
        medium=lambda point: point.medium,
    )


@require_POST
def device_register(request, point_id: int):
    return _post(
        request,
        point_id,
        "device",
        DeviceForm,
        lambda point, data: registry.device_register(actor=request.user, point=point, **data),
        _("已登记自动监测设备。"),
    )


@require_POST
def device_review(request, point_id: int):
    return _post(
        request,
        point_id,
        "review",
        DeviceReviewForm,
        lambda point, data: registry.device_review(actor=request.user, **data),
        _("已记录设备的法制和技术审核结果。"),
        devices=lambda point: point.devices.all(),
    )


@require_POST
def device_retire(request, point_id: int):
    return _post(
        request,
        point_id,
        "retire",
        DeviceRetireForm,
        lambda point, data: registry.device_retire(actor=request.user, **data),
        _("已停用自动监测设备。"),
        devices=lambda point: point.devices.all(),
    )


@require_POST
def publish_location(request, point_id: int):
    return _post(
        request,
        point_id,
        "publish",
        PublishLocationForm,
        lambda point, data: registry.point_publish_location(actor=request.user, point=point, **data),
        _("已公布设置地点。"),
    )


def quarantine(request):
    """隔离报文: what the listener refused, counted by reason, and the latest refused packets with their bytes."""
    refused = selectors.quarantine_for_user(request.user)
    reason = request.GET.get("reason", "")
    if reason not in Quarantined.Reason.values:
        reason = ""
    latest = list(selectors.quarantine_latest(refused, reason=reason))
    for row in latest:
        raw = bytes(row.raw)
        # shown as text with every byte that is not printable ASCII escaped, and as hex: never as markup
        row.raw_text, row.raw_hex = repr(raw[:1200])[2:-1], raw[:256].hex(" ")
    context = {
        "summary": selectors.quarantine_summary(refused),
        "latest": latest,
        "reason": reason,
    }
    return render(request, "monitoring/quarantine.html", context)
