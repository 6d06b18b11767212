"""Pre-disclosure pages (事前公开): the workbench (collect → review → publish, by the agency's own staff) and the
portal (the six categories of 黑环发〔2019〕112号 三(一)1 with their live sections and the published items)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sanxiang.core.forms import run_service
from sanxiang.publicity import disclosure_selectors as selectors
from sanxiang.publicity import services
from sanxiang.publicity.actions import Action, action_forms
from sanxiang.publicity.disclosure_forms import CollectForm, NewItemForm, VersionedForm, WithdrawForm
from sanxiang.publicity.models import Disclosure
from sanxiang.publicity.services.disclosures import may_approve, may_collect


ACTIONS = {
    action.name: action
    for action in [
        Action("review", gettext_lazy("审核通过"), VersionedForm, lambda u, d, data: services.disclosure_review(
            actor=u, disclosure=d, version=data["version"]),
            lambda u, d, p: p is not None and p.reviewed_at is None and p.collected_by_id != u.pk
            and may_approve(u, d.agency)),
        Action("publish", gettext_lazy("发布"), VersionedForm, lambda u, d, data: services.disclosure_publish(
            actor=u, disclosure=d, version=data["version"]),
            lambda u, d, p: p is not None and p.reviewed_at is not None and may_approve(u, d.agency)),
        Action("collect", gettext_lazy("采集新版本"), CollectForm, lambda u, d, data: services.disclosure_collect(
            actor=u, disclosure=d, title=data["title"], body=data["body"], note=data["note"], version=data["version"]),
            lambda u, d, p: may_collect(u, d.agency)),
        Action("withdraw", gettext_lazy("撤下"), WithdrawForm, lambda u, d, data: services.disclosure_withdraw(
            actor=u, disclosure=d, reason=data["reason"], version=data["version"]),
            lambda u, d, p: d.status == Disclosure.Status.PUBLISHED and may_approve(u, d.agency)),
    ]
}


def index(request):
    """The agencies in the user's scope, with what each has published and what waits."""
    return render(request, "publicity/disclosures/index.html", {"agencies": selectors.agencies_for_user(request.user)})


def agency(request, code: str, *, form: NewItemForm | None = None, status: int = 200):
    """One agency's items by category, each with its published and waiting version; the form for a new item."""
    agency = selectors.agency_get_for_user(user=request.user, code=code)
    context = {
        "agency": agency, "sections": selectors.staff_items(agency),
        "form": (form or NewItemForm()) if may_collect(request.user, agency) else None,
    }
    return render(request, "publicity/disclosures/agency.html", context, status=status)


@require_POST
def create(request, code: str):
    """采集 a new item."""
    agency_row = selectors.agency_get_for_user(user=request.user, code=code)
    form = NewItemForm(request.POST)
    text = run_service(form, lambda data: services.disclosure_collect(
        actor=request.user, agency=agency_row, category=data["category"], title=data["title"], body=data["body"],
        order=data["order"] or 0))
    if text is None:
        return agency(request, code, form=form, status=400)
    messages.success(request, _("已采集，等待审核。"))
    return redirect("disclosures:item", text.disclosure_id)


def item(request, disclosure_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """One item: the waiting version, the moves the user may make, every version with its people, the ledger."""
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    versions = list(selectors.versions_for_staff(disclosure))
    pending = next((version for version in versions if version.published_at is None), None)
    latest = versions[0] if versions else None
    initial = {"version": disclosure.version, "title": latest and latest.title, "body": latest and latest.body}
    actions = action_forms(ACTIONS, request.user, disclosure, pending, bound=bound,
                           make_form=lambda action: action.form(initial=initial))
    context = {"disclosure": disclosure, "versions": versions, "pending": pending, "actions": actions}
    return render(request, "publicity/disclosures/item.html", context, status=status)


@require_POST
def item_action(request, disclosure_id: int, action: str):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST)
    if run_service(form, lambda data: spec.call(request.user, disclosure, data)) is None:
        # Shown again with what was typed: a guide is long, and nothing typed may be lost to a refusal.
        return item(request, disclosure.pk, bound=(action, form), status=400)
    messages.success(request, _("已%(action)s。") % {"action": spec.label})
    return redirect("disclosures:item", disclosure.pk)


# The portal: no login, published facts only.


@login_not_required
@require_GET
def public_index(request):
    return render(request, "publicity/disclosures/public_index.html", {"agencies": selectors.public_agencies()})


@login_not_required
@require_GET
def public_agency(request, code: str):
    agency = selectors.public_agency(code)
    context = {"agency": agency, "sections": selectors.public_items(agency),
               **selectors.auto_sections(agency, today=timezone.localdate())}
    return render(request, "publicity/disclosures/public_agency.html", context)


@login_not_required
@require_GET
def public_history(request, code: str, disclosure_id: int):
    agency = selectors.public_agency(code)
    disclosure, versions = selectors.public_history(agency, disclosure_id)
    return render(request, "publicity/disclosures/public_history.html",
                  {"agency": agency, "disclosure": disclosure, "versions": versions})
