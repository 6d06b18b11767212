"""自动监测设备设置地点公示 (《行政处罚法》第四十一条第一款: 设置地点应当向社会公布; no login): the points whose
location an agency published, with their devices in use and the date each passed its legal and technical review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.agencies.models import Agency
from sanxiang.monitoring.selectors import locations_public


@login_not_required
@require_GET
def locations(request):
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    code = request.GET.get("agency", "")
    agency = agencies.filter(code=code).first() if code else None
    page = Paginator(locations_public(agency=agency), 50).get_page(request.GET.get("page"))
    context = {"agencies": agencies, "agency": agency, "page": page}
    return render(request, "portal/monitoring_locations.html", context, status=400 if code and agency is None else 200)
