"""Workbench pages of 扫码入企: the QR code of an approval's code (the officer shows it on the phone at the door), and
the supervision page (执法监督) where supervisors above the inspecting units read the enterprises' ratings and
complaints — each checked against its ledger entry —, the enterprises most inspected, the overridden caps and the
inspections without a registered code. The page is 404 to everyone else, the inspecting unit's heads included."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.documents.rendering import qr_png
from sanxiang.inspections import approval_selectors, feedback_selectors
from sanxiang.inspections.feedback_forms import supervision_filters


@require_GET
def approval_qr(request, approval_id: int):
    """The QR code of the portal page of the approval's code, for whoever may see the approval (404 before the
    code is issued)."""
    approval = approval_selectors.approval_get_for_user(user=request.user, approval_id=approval_id)
    if not approval.code:
        raise Http404
    return HttpResponse(qr_png(feedback_selectors.check_url(approval.code)), content_type="image/png")


def _checked(rows):
    found = feedback_selectors.intact(rows)
    for row in rows:
        row.ledger_intact = found[row.pk]
    return rows


@require_GET
def supervision(request):
    feedback_selectors.supervision_require(request.user)
    user, year = request.user, timezone.localdate().year
    filters = supervision_filters(user, request.GET)
    ratings = Paginator(
        feedback_selectors.ratings_for(user, agency=filters["agency"], stars=filters["stars"]), 30
    ).get_page(request.GET.get("page"))
    complaints = list(
        feedback_selectors.complaints_for(user, agency=filters["agency"], category=filters["category"])[:100]
    )
    context = {
        "filters": filters["form"],
        "ratings": _checked(ratings),
        "complaints": _checked(complaints),
        "unregistered": feedback_selectors.unregistered_inspections(user).count(),
        "per_agency": feedback_selectors.inspections_per_agency(user, year=year),
        "tallies": approval_selectors.supervision_view(user, year=year, limit=20),
        "overrides": approval_selectors.overrides_for(user, year=year)[:50],
        "year": year,
    }
    return render(request, "inspections/supervision.html", context)
