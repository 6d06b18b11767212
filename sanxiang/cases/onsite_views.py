"""Workbench pages of 当场处罚: the decision on the spot, the list of decisions with their 备案, and its two steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Role
from sanxiang.agencies.selectors import staff_for_user
from sanxiang.cases import selectors, services
from sanxiang.cases.actions import begin_require, begins
from sanxiang.cases.models import OnSitePenalty
from sanxiang.cases.onsite_forms import OnSiteAcknowledgeForm, OnSiteFilingForm, OnSiteForm
from sanxiang.core.forms import run_service
from sanxiang.core.rules import rule

# What an officer deciding on the spot needs in view: the limits, how a 个体工商户 counts, the credit class, and when
# the decision must be filed with the agency.
ONSITE_RULES = (
    "simple.citizen_max_fine",
    "simple.organisation_max_fine",
    "party.individual_business_as_citizen",
    "credit.simple_procedure_minor",
    "onsite.filing_workdays",
)


def _notes(user, keys) -> list[dict]:
    return [
        {"title": value.title, "value": value.display, "citation": value.citation}
        for value in (rule(key, user.agency) for key in keys)
    ]


def onsite_penalty(request):
    """当场处罚: the simple-procedure form (warning, or a fine up to the statutory limit)."""
    begin_require(request.user, "onsite")
    form = OnSiteForm(
        request.POST or None,
        parties=selectors.parties_for_user(request.user),
        officers=staff_for_user(request.user, role=Role.OFFICER),
    )
    if request.method == "POST":
        penalty = run_service(
            form, lambda data: services.onsite_penalty_decide(actor=request.user, agency=data["party"].agency, **data)
        )
        if penalty:
            messages.success(request, _("已作出当场处罚决定 %(number)s。") % {"number": penalty.number})
            return redirect("cases:onsite-list")
    title = _("当场行政处罚（简易程序）")
    return render(
        request, "cases/form.html", {"form": form, "title": title, "notes": _notes(request.user, ONSITE_RULES)}
    )


def onsite_list(request):
    """The decisions made on the spot, with where each stands in its 备案 and the step the user may take."""
    status = request.GET.get("status", "")
    status = status if status in OnSitePenalty.Status.values else ""
    page = Paginator(selectors.onsite_penalties_for_user(request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    rows = [(penalty, selectors.onsite_steps(request.user, penalty)) for penalty in page]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": OnSitePenalty.Status.choices,
        "notes": _notes(request.user, ("onsite.filing_workdays",)),
        "begins": begins(request.user),
    }
    return render(request, "cases/onsite_list.html", context)


STEPS = {
    "file": (OnSiteFilingForm, _("报所属机关备案"), services.onsite_penalty_file),
    "acknowledge": (OnSiteAcknowledgeForm, _("负责人确认备案"), services.onsite_penalty_acknowledge),
}


def onsite_step(request, penalty_id: int, step: str):
    """One 备案 step on one decision: the filing by a deciding officer, or the head's acknowledgement."""
    if step not in STEPS:
        raise Http404
    penalty = selectors.onsite_penalty_get_for_user(user=request.user, penalty_id=penalty_id)
    form_class, title, service = STEPS[step]
    if not selectors.onsite_steps(request.user, penalty)[step]:
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = run_service(form, lambda data: service(actor=request.user, penalty=penalty, **data))
        if done:
            messages.success(
                request, _("%(number)s：%(status)s。") % {"number": done.number, "status": done.get_status_display()}
            )
            return redirect("cases:onsite-list")
    heading = f"{title} · {penalty.number}"
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": heading, "notes": _notes(request.user, ("onsite.filing_workdays",))},
    )
