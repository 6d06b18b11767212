"""行政许可 on the portal (no login, 《中华人民共和国行政许可法》): the 办事指南 of each agency's licence types — what
第三十条 asks the agency to publish: the matter, its basis, conditions, materials with their sample texts, procedure
and period —, the online application (第二十九条、第三十三条), and 办理进度查询 by the application's number: the steps
and the days, never the applicant's name, contact or ID number.

The number is the only credential of the progress page (unguessable, `licensing.services.intake._number`), so the
result of an application is rendered in the answer to its POST rather than behind a redirect to an address holding it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.agencies.models import Agency, AgencyLevel
from sanxiang.agencies.selectors import agency_public
from sanxiang.api.throttling import LicenceApplicationRateThrottle, login_throttled
from sanxiang.core.forms import run_service
from sanxiang.licensing import clocks, selectors, services
from sanxiang.licensing.forms import ApplicationForm
from sanxiang.licensing.models import Application, LicenceType


@login_not_required
@require_GET
def guides(request):
    """行政许可办事指南: the agencies with licence types in force, by level."""
    counts = dict(
        LicenceType.objects.in_force()
        .filter(agency__is_active=True)
        .values("agency")
        .annotate(types=Count("id"))
        .values_list("agency", "types")
    )
    agencies = Agency.objects.filter(pk__in=counts).order_by("path")
    groups = [
        (label, [(agency, counts[agency.pk]) for agency in agencies if agency.level == level])
        for level, label in AgencyLevel.choices
    ]
    return render(request, "portal/licensing/guides.html", {"groups": [group for group in groups if group[1]]})


@login_not_required
@require_GET
def guide(request, agency_code: str):
    agency = agency_public(agency_code)
    types = list(selectors.guide(agency))
    return render(request, "portal/licensing/agency.html", {"agency": agency, "types": types})


def _licence_type(agency_code: str, type_code: str) -> LicenceType:
    licence_type = selectors.guide(agency_public(agency_code)).filter(code=type_code).first()
    if licence_type is None:
        raise Http404
    return licence_type


@login_not_required
@require_GET
def licence_type(request, agency_code: str, type_code: str):
    kind = _licence_type(agency_code, type_code)
    context = {
        "agency": kind.agency,
        "type": kind,
        "materials": list(kind.materials.all()),
        "terms": selectors.guide_terms(kind.agency),
        "renewal_days": clocks.renewal_days(kind, kind.agency) if kind.renewable else None,
    }
    return render(request, "portal/licensing/type.html", context)


@login_not_required
@require_GET
def sample(request, agency_code: str, type_code: str, material_code: str):
    """申请材料示范文本: one material's sample text on a page of its own, to print."""
    kind = _licence_type(agency_code, type_code)
    material = next((m for m in kind.materials.all() if m.code == material_code and m.sample), None)
    if material is None:
        raise Http404
    return render(request, "portal/licensing/sample.html", {"agency": kind.agency, "type": kind, "material": material})


APPLIED = "licensing.applied"  # the session key of the application a browser has just filed


def _apply_page(request, kind, form, *, status=200, wait=None):
    context = {"agency": kind.agency, "type": kind, "form": form, "wait": wait}
    return render(request, "portal/licensing/apply.html", context, status=status)


def _apply(request, agency_code: str, type_code: str):
    kind = _licence_type(agency_code, type_code)
    if not kind.online:  # the page says where to apply instead
        return _apply_page(request, kind, None, status=200 if request.method == "GET" else 400)
    if request.method == "GET":
        return _apply_page(request, kind, ApplicationForm(licence_type=kind))
    form = ApplicationForm(request.POST, licence_type=kind)
    application = run_service(
        form,
        lambda data: services.application_submit(
            actor=None, licence_type=kind, channel=Application.Channel.ONLINE, **form.service_arguments()
        ),
    )
    if application is None:
        return _apply_page(request, kind, form, status=400)
    # the answer is a page of its own (reloading it files nothing again), found through this browser's session
    request.session[APPLIED] = application.pk
    return redirect("portal:licence-applied", agency_code, type_code)


@login_not_required
@require_GET
def applied(request, agency_code: str, type_code: str):
    """The application just filed from this browser: its number and what happens next."""
    kind = _licence_type(agency_code, type_code)
    application = Application.objects.filter(pk=request.session.get(APPLIED), licence_type=kind).first()
    if application is None:
        return redirect("portal:licence-apply", agency_code, type_code)
    context = {
        "agency": kind.agency,
        "type": kind,
        "application": application,
        "terms": selectors.guide_terms(kind.agency),
    }
    return render(request, "portal/licensing/applied.html", context)


def _too_many(request, wait: int):
    """The form again, with what was typed and how long to wait (the count is the API's too)."""
    kind = _licence_type(**request.resolver_match.kwargs)
    typed = {
        name: request.POST.getlist(name) if name == "materials" else request.POST.get(name, "")
        for name in ApplicationForm.base_fields
    }
    return _apply_page(request, kind, ApplicationForm(initial=typed, licence_type=kind), wait=wait)


apply = login_not_required(
    require_http_methods(["GET", "POST"])(
        login_throttled(_apply, refused=_too_many, throttle_class=LicenceApplicationRateThrottle)
    )
)


@login_not_required
@require_GET
def progress(request):
    """办理进度查询: a form without a number; with one, its progress, or a 404 that says only that it is unknown."""
    number = request.GET.get("number", "").strip()
    if not number:
        return render(request, "portal/licensing/progress.html", {"number": ""})
    try:
        facts = selectors.progress(number)
    except Http404:
        return render(request, "portal/licensing/progress.html", {"number": number, "unknown": True}, status=404)
    context = {"number": facts.number, "progress": facts, "clock": _clock(facts)}
    return render(request, "portal/licensing/progress.html", context)


def _clock(facts: selectors.Progress) -> dict | None:
    """The bars of the working days used and left (or how far past the deadline), on one scale."""
    if facts.working_days_used is None:
        return None
    used, left = facts.working_days_used, facts.working_days_left
    return {"used": used, "left": max(left, 0), "overdue": max(-left, 0), "scale": max(used + max(left, 0), 1)}
