"""Workbench pages of publicity: the timeliness desk (公示台账) and one publication with its side-by-side redaction."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.models import Agency
from sanxiang.core.actions import action_post
from sanxiang.publicity import redaction, selectors
from sanxiang.publicity.actions import WORKFLOW
from sanxiang.publicity.models import Publication


class DeskFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部"))] + Publication.Status.choices
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), required=False, min_value=2000, max_value=2100)


def desk(request):
    """Every record of the user's agencies, overdue ones first, and each agency's on-time rate for the year."""
    today = timezone.localdate()
    filters = DeskFilter(request.GET or None)
    valid = filters.is_valid()
    status = filters.cleaned_data["status"] if valid else ""
    year = (filters.cleaned_data["year"] if valid else None) or today.year
    agencies = Agency.objects.visible_to(request.user).filter(is_active=True).order_by("path")
    context = {
        "rows": selectors.desk(request.user, today=today, status=status),
        "filters": filters,
        "today": today,
        "year": year,
        "compliance": selectors.compliance(agencies, today=today, year=year),
        "enters": selectors.acts_for(request.user, request.user.agency),
    }
    return render(request, "publicity/desk.html", context)


def publication_detail(request, publication_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """The original and the public text side by side, the doubtful finds, the versions and the actions."""
    publication = selectors.publication_get_for_user(user=request.user, publication_id=publication_id)
    draft = selectors.draft_version(publication)
    shown = draft or publication.versions.order_by("-number").first()
    actions = WORKFLOW.forms(
        request.user, publication, initial={"version": publication.version}, bound=bound, state=draft
    )
    context = {
        "publication": publication,
        "draft": draft,
        "shown": shown,
        "actions": actions,
        "original": [
            (passage, redaction.KINDS.get(kind, ""))
            for passage, kind in redaction.segments(shown.original, shown.masks)
        ]
        if shown
        else [],
        "warnings": [
            (span, redaction.KINDS[span["kind"]], shown.original[span["start"] : span["end"]])
            for span in shown.warnings
        ]
        if shown
        else [],
        "versions": publication.versions.select_related("prepared_by", "confirmed_by"),
        "today": timezone.localdate(),
    }
    return render(request, "publicity/publication.html", context, status=status)


@require_POST
def publication_action(request, publication_id: int, action: str):
    publication = selectors.publication_get_for_user(user=request.user, publication_id=publication_id)
    return action_post(request, WORKFLOW, publication, action, page=publication_detail)
