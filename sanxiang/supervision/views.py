"""Workbench pages of 行政执法监督: the desk of flags across the supervised agencies, the notices (a supervisor's and
an addressed agency's head's), a new notice, a notice with its moves, and the statistics of supervision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service
from sanxiang.supervision import selectors, services
from sanxiang.supervision.actions import WORKFLOW
from sanxiang.supervision.flags import KINDS
from sanxiang.supervision.forms import DeskFilter, IssueForm, NoticeFilter, StatisticsFilter, agency_filter
from sanxiang.supervision.models import Notice


def _year(form, today) -> int:
    return (form.cleaned_data.get("year") if form.is_valid() else None) or today.year


def desk(request):
    """执法监督台: each supervised agency as a card with the number of each kind of flag and its open and overdue
    notices; the flagged records (of one kind and agency, when filtered), each linking to its page."""
    selectors.supervision_require(request.user)
    today = timezone.localdate()
    form = DeskFilter(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    agency = agency_filter(request.user, data.get("agency") or "")
    kind = data.get("kind") or ""
    year = _year(form, today)
    cards, flags = selectors.desk(
        request.user, today=today, year=year, agency=agency, kind=kind, listing=bool(agency or kind)
    )
    context = {
        "form": form,
        "cards": [card for card in cards if card.total or card.notices_open] if agency is None else cards,
        "quiet": sum(1 for card in cards if not card.total and not card.notices_open) if agency is None else 0,
        "flags": flags[:300],
        "kinds": KINDS,
        "agency": agency,
        "kind": kind,
        "year": year,
        "today": today,
    }
    return render(request, "supervision/desk.html", context)


def notices(request):
    """The notices the user reads: a supervisor's to the agencies below, a head's addressed to their agency."""
    today = timezone.localdate()
    form = NoticeFilter(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.notices_for_user(
        request.user,
        today=today,
        status=data.get("status") or "",
        agency=agency_filter(request.user, data.get("agency") or ""),
        kind=data.get("kind") or "",
        overdue=bool(data.get("overdue")),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": today,
        "awaiting": Notice.AWAITING_RESPONSE,
        "supervises": selectors.may_supervise(request.user),
    }
    return render(request, "supervision/notices.html", context)


def notice_new(request):
    """下达监督文书: the form, with the desk's flags of the chosen agency to name (from the desk's links)."""
    selectors.supervision_require(request.user)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    agency = agency_filter(request.user, source.get("agency") or "")
    year = _year(StatisticsFilter({"year": source.get("year")}), today)
    flags = selectors.flags_for_agency(request.user, agency, today=today, year=year)
    chosen = source.getlist("records") if request.method == "GET" else None
    initial = {"agency": agency.code if agency else None, "records": chosen}
    form = IssueForm(request.POST or None, user=request.user, flags=flags, initial=initial)
    if request.method == "POST":
        notice = run_service(
            form,
            lambda data: services.notice_issue(
                actor=request.user,
                agency=data["agency"],
                kind=data["kind"],
                subject=data["subject"],
                findings=data["findings"],
                requirement=data["requirement"],
                due_on=data["due_on"],
                records=form.chosen_records(),
            ),
        )
        if notice is not None:
            messages.success(request, _("监督文书已下达。"))
            return redirect("supervision:notice", notice.pk)
    default = services.notice_default_due(agency=agency, issued_on=today) if agency else None
    context = {"form": form, "agency": agency, "year": year, "default_due": default, "today": today}
    return render(request, "supervision/notice_new.html", context, status=400 if form.errors else 200)


def notice(request, notice_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """One notice: what was found and required, by when, the agency's 整改情况, the steps and the history."""
    row = selectors.notice_get_for_user(user=request.user, notice_id=notice_id)
    today = timezone.localdate()
    context = {
        "notice": row,
        "records": [(record, KINDS.get(record.kind)) for record in row.records.all()],
        "overdue": row.is_overdue(today),
        "actions": WORKFLOW.forms(request.user, row, initial={"version": row.version}, bound=bound),
        "waiting": WORKFLOW.waiting_on_others(request.user, row),
        "today": today,
    }
    return render(request, "supervision/notice.html", context, status=status)


@require_POST
def notice_action(request, notice_id: int, action: str):
    row = selectors.notice_get_for_user(user=request.user, notice_id=notice_id)
    return action_post(request, WORKFLOW, row, action, page=notice)


def statistics(request):
    """监督统计: the year's notices by kind and agency, answered on time, late or not yet, median days."""
    selectors.supervision_require(request.user)
    today = timezone.localdate()
    form = StatisticsFilter(request.GET or None)
    year = _year(form, today)
    figures = selectors.statistics_for(request.user, year=year, today=today)
    return render(request, "supervision/statistics.html", {"form": form, "figures": figures, "year": year})
