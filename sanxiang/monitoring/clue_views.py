"""Workbench pages of the clues, phone first: the agency's exceedances with their status and task, the detection runs
with what they did not count and why, and a case's 第四十一条审核 with the steps offered to the user."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from sanxiang.core.actions import action_post
from sanxiang.monitoring import clue_selectors, pollutants
from sanxiang.monitoring.clue_actions import WORKFLOW
from sanxiang.monitoring.clue_forms import ClueFilter
from sanxiang.monitoring.detection import CAUSE_LABELS


def clue_list(request):
    """The exceedances of the agencies the user may see (by status), newest first, 50 a page, and the latest runs."""
    query = ClueFilter(request.GET or None)
    status = query.cleaned_data["status"] if query.is_valid() else ""
    rows = clue_selectors.exceedances_for_user(request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "page": page,
        "clues": [(row, pollutants.name_of(row.pollutant)) for row in page],
        "runs": clue_selectors.runs_for_user(request.user),
        "causes": CAUSE_LABELS,
    }
    return render(request, "monitoring/clue_list.html", context)


def check_detail(request, check_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    check = clue_selectors.check_get_for_user(user=request.user, check_id=check_id)
    initial = {"version": check.version, **clue_selectors.today_initial()}
    context = clue_selectors.check_facts(check) | {
        "actions": WORKFLOW.forms(request.user, check, initial=initial, bound=bound),
    }
    return render(request, "monitoring/clue_check.html", context, status=status)


@require_POST
def check_action(request, check_id: int, action: str):
    check = clue_selectors.check_get_for_user(user=request.user, check_id=check_id)
    return action_post(request, WORKFLOW, check, action, page=check_detail)
