"""Workbench pages of 行政许可: the service window's list (许可申请台账), an application registered at the window, an
application with its clocks, materials, documents and the steps offered to the user, and the licences granted. The
licence types (许可事项) have their own pages in type_views.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.core import calendar
from sanxiang.core.actions import Workflow, action_post
from sanxiang.core.forms import run_service
from sanxiang.documents.selectors import documents_for
from sanxiang.ledger.vocabulary import roles_text
from sanxiang.licensing import clocks, hooks, selectors, services
from sanxiang.licensing.actions import APPLICATION_WORKFLOW, LICENCE_WORKFLOW
from sanxiang.licensing.filters import LicenceFilter, WindowFilter
from sanxiang.licensing.forms import ApplicationForm
from sanxiang.licensing.models import Application
from sanxiang.licensing.services import APPLICATION

CHANNELS = {"sms": gettext_lazy("短信"), "email": gettext_lazy("电子邮件")}
DECISIONS = ("grant", "refuse")  # the steps beside which the page says what still stands in the way


def window(request):
    """许可申请台账: 50 a page, each with the deadline it runs against now and the working days left."""
    filters = WindowFilter(request.GET or None)
    page = Paginator(selectors.window_list(request.user, **filters.query()), selectors.WINDOW_PAGE)
    page = page.get_page(request.GET.get("page"))
    today, work = timezone.localdate(), calendar.work_calendar()
    context = {
        "filters": filters,
        "page": page,
        "rows": [(application, clocks.next_due(application, today, work)) for application in page],
        "may_submit": selectors.may_submit(request.user),
    }
    return render(request, "licensing/window.html", context)


def _require_window(user) -> None:
    if not selectors.may_submit(user):
        raise PermissionDenied(APPLICATION.forbidden("submit"))


def new(request):
    """窗口受理, first step: the type applied for."""
    _require_window(request.user)
    return render(request, "licensing/new.html", {"types": selectors.types_for_window(request.user)})


def new_for_type(request, type_id: int):
    """窗口受理: the application and the materials handed in, registered by one service call."""
    _require_window(request.user)
    licence_type = selectors.licence_type_get_for_user(user=request.user, type_id=type_id)
    form = ApplicationForm(request.POST or None, licence_type=licence_type)
    if request.method == "POST":
        application = run_service(
            form,
            lambda data: services.application_submit(
                actor=request.user,
                channel=Application.Channel.WINDOW,
                licence_type=licence_type,
                **form.service_arguments(),
            ),
        )
        if application is not None:
            messages.success(request, _("已登记许可申请 %(number)s。") % {"number": application.number})
            return redirect("licensing:application", application.pk)
    context = {"form": form, "licence_type": licence_type}
    return render(request, "licensing/apply.html", context, status=400 if form.errors else 200)


def _waiting(workflow: Workflow, user, record, state) -> list[tuple[str, str]]:
    """The steps the record is ready for that others take, each with the roles that take it. Licensing's steps are
    offered only to whom the machine permits in the record's agency, so they are asked as offered to the platform
    (no actor: any role) — Workflow.waiting_on_others would find none."""
    return [
        (action.label, roles_text(action.roles))
        for action in workflow
        if not workflow.may(user, action) and action.offered(None, record, state)
    ]


def _steps(workflow: Workflow, user, record, *, initial: dict, bound) -> dict:
    """The steps offered to the user (a refused one with what was typed) and those waiting for others."""
    state = workflow.state(record)  # read once for both
    return {
        "actions": workflow.forms(user, record, initial=initial, bound=bound, state=state),
        "waiting": _waiting(workflow, user, record, state),
    }


def _notices(application: Application) -> list[dict]:
    """What the applicant was told: the step, the channel and when — never the number or address it went to."""
    moves = APPLICATION.moves
    return [
        {
            "label": moves[notice.event].label if notice.event in moves else notice.event,
            "channel": CHANNELS.get(notice.channel, notice.channel),
            "at": notice.sent_at or notice.created_at,
            "sent": notice.sent_at is not None,
            "error": bool(notice.error),
        }
        for notice in application.notifications.all()
    ]


def application_detail(request, pk: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """One application: who applied (personal data only to those who handle it), its clocks with their articles,
    its materials, examinations and pauses, its documents and notices, the review, and the steps for this user."""
    user = request.user
    application = selectors.application_get_for_user(user=user, application_id=pk)
    today = timezone.localdate()
    names = dict(application.licence_type.materials.values_list("code", "name"))
    licence = selectors.licence_of(application)
    deciding = application.status == Application.Status.ACCEPTED
    context = {
        "application": application,
        "sees_applicant": selectors.sees_applicant(user, application),
        "due": clocks.next_due(application, today),
        "citations": clocks.CITATIONS,
        "hearing_citation": clocks.CITATIONS["hearing"],
        "handed_in": [(code, names.get(code, code)) for code in application.materials],
        "missing": services.missing_materials(application) if application.is_open else [],
        "supplement": [(code, names.get(code, code)) for code in application.supplement_items],
        "examinations": application.examinations.prefetch_related("officers"),
        "pauses": application.pauses.all(),
        "documents": documents_for(application),
        "licence": licence,
        "licence_documents": documents_for(licence) if licence is not None else [],
        "review_panel": hooks.review().panel(user, application),
        "refusal": services.decision_refusal(application) if deciding else "",
        "decisions": DECISIONS,
        "notifications": _notices(application),
    }
    initial = {"version": application.version, "held_on": today, "served_on": today}
    context |= _steps(APPLICATION_WORKFLOW, user, application, initial=initial, bound=bound)
    # who cannot decide reads what stands in the way beside the steps waiting for the head
    context["decides"] = any(action.name in DECISIONS for action, _form in context["actions"])
    return render(request, "licensing/application.html", context, status=status)


@require_POST
def application_action(request, pk: int, action: str):
    application = selectors.application_get_for_user(user=request.user, application_id=pk)
    return action_post(request, APPLICATION_WORKFLOW, application, action, page=application_detail)


def licence_list(request):
    """The licences granted, 50 a page; those ending within EXPIRY_WARNING_DAYS are highlighted."""
    filters = LicenceFilter(request.GET or None)
    page = Paginator(selectors.licences_for_user(request.user, **filters.query()), selectors.WINDOW_PAGE)
    today = timezone.localdate()
    context = {
        "filters": filters,
        "page": page.get_page(request.GET.get("page")),
        "today": today,
        "warn_before": selectors.expiring_before(today),
    }
    return render(request, "licensing/licences.html", context)


def licence_detail(request, pk: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """One licence: its holder, content and validity, the applications that made, changed or renewed it, its end,
    its documents and the steps (撤回、撤销、注销) for the heads."""
    user = request.user
    licence = selectors.licence_get_for_user(user=user, licence_id=pk)
    today = timezone.localdate()
    context = {
        "licence": licence,
        "applications": selectors.applications_of(licence),
        "documents": documents_for(licence),
        "today": today,
        "warn_before": selectors.expiring_before(today),
    }
    context |= _steps(LICENCE_WORKFLOW, user, licence, initial={"version": licence.version}, bound=bound)
    return render(request, "licensing/licence.html", context, status=status)


@require_POST
def licence_action(request, pk: int, action: str):
    licence = selectors.licence_get_for_user(user=request.user, licence_id=pk)
    return action_post(request, LICENCE_WORKFLOW, licence, action, page=licence_detail)
