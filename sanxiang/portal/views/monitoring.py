"""The portal's monitoring pages (no login): 自动监测设备设置地点公示 (《行政处罚法》第四十一条第一款: 设置地点应当向社会公布)
— the points whose location an agency published, with their devices in use and the date each passed its legal and
technical review; and 当事人查询 (第三款) — a party's own page of the data its case rests on, by the key it was given."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.agencies.models import Agency
from sanxiang.monitoring.party import party_evidence
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


@login_not_required
@require_GET
def party(request, key: str):
    """当事人查询 (第四十一条第三款): the monitoring data a case rests on, for the party holding the key it was given."""
    found = party_evidence(key=key)
    if found is None:
        response = render(request, "portal/monitoring_party_unknown.html", status=404)
    else:
        response = render(request, "portal/monitoring_party.html", found)
    # the key is the party's alone: kept out of shared caches and of the Referer of any link the page leads to
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
