"""Workbench pages of legal review: the queue, the workspace of one review, submission from a case or a licence
application, statistics."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, agency_require, can_manage, can_view, own_agency_or_404
from sanxiang.cases.selectors import case_get_for_user
from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service
from sanxiang.core.wording import last_day_words
from sanxiang.licensing.selectors import application_get_for_user
from sanxiang.review import selectors, services
from sanxiang.review.actions import WORKFLOW
from sanxiang.review.catalogue import catalogue_for, reviewed_powers
from sanxiang.review.forms import RuleForm, SubmitForm
from sanxiang.review.models import ITEMS, Review
from sanxiang.review.subjects import subject_of


class ReviewFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), choices=[("", gettext_lazy("全部"))] + Review.Status.choices, required=False
    )


def queue(request):
    """Rounds waiting for an opinion (earliest due first), and the reviews of the user's agencies."""
    filters = ReviewFilter(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    context = {
        "rounds": selectors.queue_for_user(request.user),
        "filters": filters,
        "today": timezone.localdate(),
        "reviews": selectors.reviews_for_user(request.user, status=status).order_by("-id")[:100],
    }
    return render(request, "review/queue.html", context)


def review_detail(request, review_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """The workspace: materials and pre-checks beside the nine points, the rounds, coordination and the actions."""
    review = selectors.review_get_for_user(user=request.user, review_id=review_id)
    rounds = list(review.rounds.select_related("reviewer", "submitted_by", "opinion_document").order_by("number"))
    current = rounds[-1]
    number = request.GET.get("round", "")
    shown = next((row for row in rounds if str(row.number) == number), current)
    previous = rounds[shown.number - 2] if shown.number > 1 else None
    actions = WORKFLOW.forms(request.user, review, initial={"version": review.version}, bound=bound, state=current)
    # The opinion is written beside the pre-checks of the round it decides, not among the other actions.
    opinion_form = next((form for action, form in actions if action.name == "opinion"), None)
    opinion_form = opinion_form if shown == current else None
    points = [
        {
            "code": code,
            "label": label,
            "check": shown.prechecks.get(code, {}),
            "decision": shown.items.get(code),
            **(opinion_form.point_fields(code) if opinion_form else {}),
        }
        for code, label in ITEMS
    ]
    context = {
        "review": review,
        "case": review.case,
        "application": review.application,
        "rounds": rounds,
        "shown": shown,
        "current": current,
        "points": points,
        "changes": selectors.round_changes(previous, shown, subject_of(review).labels) if previous else [],
        "opinion_form": opinion_form,
        "actions": [(action, form) for action, form in actions if action.name != "opinion"],
        "coordinations": review.coordinations.select_related("decided_by", "contested_by", "discussion"),
        "today": timezone.localdate(),
    }
    return render(request, "review/review.html", context, status=status)


@require_POST
def review_action(request, review_id: int, action: str):
    review = selectors.review_get_for_user(user=request.user, review_id=review_id)
    return action_post(request, WORKFLOW, review, action, page=review_detail)


@require_POST
def submit(request, case_id: int):
    """送审 from the case page."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    review = _send(request, lambda affirmed: services.review_submit(actor=request.user, case=case, affirmed=affirmed))
    return redirect("review:review", review.pk) if review else redirect("cases:case-detail", case.pk)


@require_POST
def submit_application(request, application_id: int):
    """送审 from a licence application's page, which the form names (`next`) and the user goes back to."""
    application = application_get_for_user(user=request.user, application_id=application_id)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    review = _send(
        request,
        lambda affirmed: services.review_submit_application(
            actor=request.user, application=application, affirmed=affirmed
        ),
    )
    if review is None:
        return redirect(back or "review:queue")
    return redirect(back or reverse("review:review", args=[review.pk]))


def _send(request, submit) -> Review | None:
    """送审 with the statement the form affirms: the review, or None with the reasons of the refusal told."""
    form = SubmitForm(request.POST)
    try:
        form.is_valid()
        review = submit(form.cleaned_data.get("affirmed", False))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    messages.success(
        request, _("已送法制审核，审核期限至 %(date)s。") % {"date": last_day_words(review.rounds.get().due_on)}
    )
    return review


def statistics(request):
    """Per agency in the user's scope: reviews, first-round pass rate, rounds and median time, for one year."""
    filters = StatisticsFilter(request.GET)
    if not filters.is_valid():
        context = {"rows": [], "year": timezone.localdate().year, "error": filters.errors["year"][0]}
        return render(request, "review/statistics.html", context, status=400)
    year = filters.cleaned_data["year"] or timezone.localdate().year
    agencies = Agency.objects.visible_to(request.user).filter(is_active=True).order_by("path")
    rows = [(agency, selectors.statistics_for(agency, year=year)) for agency in agencies]
    return render(request, "review/statistics.html", {"rows": rows, "year": year})


class StatisticsFilter(forms.Form):
    # Reviews began to be counted with the 2019 rules; a year outside this range has no statistics to show.
    year = forms.IntegerField(required=False, min_value=2019, max_value=2100)


def catalogue(request, *, form: RuleForm | None = None, status: int = 200):
    """法制审核目录清单: the lines in force for the user's agency (its own or inherited), with the form for a new
    line and the removal of its own lines for those who may keep it."""
    agency = request.user.agency
    lines = catalogue_for(agency) if agency is not None else []
    owner_code = lines[0].agency_code if lines else None
    may_keep = agency is not None and can_manage(request.user, agency)
    context = {
        "lines": lines,
        "owner": Agency.objects.filter(code=owner_code).first() if owner_code else None,
        "own": agency is not None and owner_code == agency.code,
        "form": (form or RuleForm(powers=reviewed_powers(agency))) if may_keep else None,
        # a line copied from the agency above may name that agency's power, whose page the user cannot open
        "linked_powers": {line.power_id for line in lines if line.power and can_view(request.user, line.power.agency)},
    }
    return render(request, "review/catalogue.html", context, status=status)


@require_POST
def catalogue_add(request):
    agency = own_agency_or_404(request.user)
    agency_require(user=request.user, agency=agency, action=MANAGE)
    form = RuleForm(request.POST, powers=reviewed_powers(agency))
    rule = run_service(form, lambda data: services.review_rule_add(actor=request.user, agency=agency, **data))
    if rule is None:
        return catalogue(request, form=form, status=400)
    messages.success(request, _("已增加目录事项“%(d)s”。") % {"d": rule.description})
    return redirect("review:catalogue")


@require_POST
def catalogue_remove(request, rule_id: int):
    agency = own_agency_or_404(request.user)
    agency_require(user=request.user, agency=agency, action=MANAGE)
    rule = selectors.review_rule_get(agency=agency, rule_id=rule_id)
    try:
        services.review_rule_remove(actor=request.user, agency=agency, rule_id=rule.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已删除该目录事项。"))
    return redirect("review:catalogue")
