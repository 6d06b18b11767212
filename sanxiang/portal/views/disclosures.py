"""The portal's pre-disclosure pages (事前公开, no login): each agency's items in the six categories of
黑环发〔2019〕112号 三(一)1 with the sections drawn from live data, and an item's published history. Only published
versions of published items are read (disclosures.selectors decides what is public)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.agencies.selectors import agency_public
from sanxiang.disclosures import selectors


@login_not_required
@require_GET
def index(request):
    return render(request, "portal/disclosures/index.html", {"agencies": selectors.public_agencies()})


@login_not_required
@require_GET
def agency(request, code: str):
    agency = agency_public(code)
    context = {
        "agency": agency,
        "sections": selectors.public_items(agency),
        **selectors.auto_sections(agency, today=timezone.localdate()),
    }
    return render(request, "portal/disclosures/agency.html", context)


@login_not_required
@require_GET
def history(request, code: str, disclosure_id: int):
    agency = agency_public(code)
    disclosure, versions = selectors.public_history(agency, disclosure_id)
    return render(
        request, "portal/disclosures/history.html", {"agency": agency, "disclosure": disclosure, "versions": versions}
    )
