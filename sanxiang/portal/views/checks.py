"""扫码入企 on the portal (no login, 国办发〔2024〕54号): the page behind the code of a 行政检查通知书 — the inspection is
registered, by whom, on what, with which officers and whether their certificates are valid today — and, once the
inspection is completed, the enterprise's rating and complaint forms. An unknown code is 404 and says nothing else.
Possession of the code and the enterprise's 统一社会信用代码 are the credentials; the posts are rate-limited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sanxiang.api.throttling import FeedbackRateThrottle, login_throttled
from sanxiang.core.forms import run_service
from sanxiang.documents.rendering import qr_png
from sanxiang.inspections import feedback
from sanxiang.inspections.feedback_forms import ComplaintForm, RatingForm
from sanxiang.inspections.feedback_selectors import approval_by_code, check_public, check_url


def _approval(code: str):
    try:
        return approval_by_code(code)
    except Http404:
        return None


def _unknown(request, code: str):
    return render(request, "portal/check_unknown.html", {}, status=404)


def _page(request, approval, *, rating=None, complaint=None, status=200, submitted=""):
    context = check_public(approval) | {
        "submitted": submitted,
        "rating_form": rating or RatingForm(),
        "complaint_form": complaint or ComplaintForm(),
    }
    return render(request, "portal/check.html", context, status=status)


@login_not_required
@require_GET
def check(request, code: str):
    approval = _approval(code)
    if approval is None:
        return _unknown(request, code)
    return _page(request, approval, submitted=request.GET.get("submitted", ""))


def _too_many(request, wait: int):
    return render(request, "portal/check_throttled.html", {"wait": wait})


def _rate(request, code: str):
    approval = _approval(code)
    if approval is None:
        return _unknown(request, code)
    form = RatingForm(request.POST)
    if run_service(form, lambda data: feedback.rating_submit(approval=approval, **data)) is None:
        return _page(request, approval, rating=form, status=400)
    return redirect(f"{check_url(code, absolute=False)}?submitted=rating")


def _complain(request, code: str):
    approval = _approval(code)
    if approval is None:
        return _unknown(request, code)
    form = ComplaintForm(request.POST)
    if run_service(form, lambda data: feedback.complaint_submit(approval=approval, **data)) is None:
        return _page(request, approval, complaint=form, status=400)
    return redirect(f"{check_url(code, absolute=False)}?submitted=complaint")


rate = login_not_required(require_POST(login_throttled(_rate, refused=_too_many, throttle_class=FeedbackRateThrottle)))
complain = login_not_required(
    require_POST(login_throttled(_complain, refused=_too_many, throttle_class=FeedbackRateThrottle))
)


@login_not_required
@require_GET
def check_qr(request, code: str):
    """The QR code of the page's own address (printed on the notice, shown on the officer's phone)."""
    approval = approval_by_code(code)
    response = HttpResponse(qr_png(check_url(approval.code)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
