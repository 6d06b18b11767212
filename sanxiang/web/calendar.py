"""Workbench page for the working-day calendar: see a year, enter next year's State Council schedule."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.selectors import administers_installation
from sanxiang.agencies.services import calendar_day_set, calendar_year_confirm
from sanxiang.core.forms import DateInput, report_form_errors, run_service
from sanxiang.core.holidays import YEARS, revision_for, statutory_holidays
from sanxiang.core.models import CalendarDay, CalendarYear


class DayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=60, required=False)


class ConfirmForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("依据"), max_length=200, help_text=gettext_lazy("国务院办公厅放假安排通知的名称和文号")
    )


def calendar_view(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1949), 2200)
    entry = CalendarYear.objects.filter(year=year).first()
    # What the deadlines of a year not yet confirmed rest on, besides the days entered (core.calendar).
    provisional = year in YEARS and (entry is None or entry.status != CalendarYear.Status.CONFIRMED)
    context = {
        "year": year,
        "entry": entry,
        "statutory": statutory_holidays(year) if provisional else {},
        "statutory_source": revision_for(year).citation if provisional else "",
        "days": CalendarDay.objects.filter(calendar_year_id=year),
        "years": CalendarYear.objects.all(),
        "can_edit": administers_installation(request.user),
        "day_form": DayForm(initial={"day": dt.date(year, 1, 1)}),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "web/calendar.html", context)


def _require_editor(request):
    if not administers_installation(request.user):
        raise PermissionDenied(_("只有省级机关的系统管理员可以维护全国节假日安排。"))


@require_POST
def calendar_day(request):
    _require_editor(request)
    form = DayForm(request.POST)
    entry = run_service(
        form, lambda data: calendar_day_set(actor=request.user, day=data["day"], kind=data["kind"], name=data["name"])
    )
    if entry:
        messages.success(request, _("已录入 %(date)s。") % {"date": entry.date.isoformat()})
    report_form_errors(request, form)
    year = entry.date.year if entry else timezone.localdate().year
    return redirect(f"{reverse('web:calendar')}?year={year}")


@require_POST
def calendar_confirm(request, year: int):
    _require_editor(request)
    form = ConfirmForm(request.POST)
    if run_service(form, lambda data: calendar_year_confirm(actor=request.user, year=year, source=data["source"])):
        messages.success(request, _("%(year)d 年节假日安排已确认。") % {"year": year})
    report_form_errors(request, form)
    return redirect(f"{reverse('web:calendar')}?year={year}")
