"""Workbench pages of pre-disclosure (事前公开): collect → review → publish, by the agency's own staff. The portal's
pages of the same items are the portal app's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service
from sanxiang.disclosures import selectors, services
from sanxiang.disclosures.actions import WORKFLOW
from sanxiang.disclosures.forms import NewItemForm
from sanxiang.disclosures.services import may_collect


def index(request):
    """The agencies in the user's scope, with what each has published and what waits."""
    return render(request, "disclosures/index.html", {"agencies": selectors.agencies_for_user(request.user)})


def agency(request, code: str, *, form: NewItemForm | None = None, status: int = 200):
    """One agency's items by category, each with its published and waiting version; the form for a new item."""
    agency = selectors.agency_get_for_user(user=request.user, code=code)
    context = {
        "agency": agency,
        "sections": selectors.staff_items(agency),
        "form": (form or NewItemForm()) if may_collect(request.user, agency) else None,
    }
    return render(request, "disclosures/agency.html", context, status=status)


@require_POST
def create(request, code: str):
    """采集 a new item."""
    agency_row = selectors.agency_get_for_user(user=request.user, code=code)
    form = NewItemForm(request.POST)
    text = run_service(
        form,
        lambda data: services.disclosure_collect(
            actor=request.user,
            agency=agency_row,
            category=data["category"],
            title=data["title"],
            body=data["body"],
            order=data["order"] or 0,
        ),
    )
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
    actions = WORKFLOW.forms(request.user, disclosure, initial=initial, bound=bound, state=pending)
    context = {"disclosure": disclosure, "versions": versions, "pending": pending, "actions": actions}
    return render(request, "disclosures/item.html", context, status=status)


@require_POST
def item_action(request, disclosure_id: int, action: str):
    disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    return action_post(request, WORKFLOW, disclosure, action, page=item)
