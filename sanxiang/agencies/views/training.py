"""Workbench pages for officers' training (培训记录): the list of officers against the yearly requirement, and the
forms that record a course or withdraw a record. An officer's own records are on their staff page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies import services
from sanxiang.agencies import training_selectors as training
from sanxiang.agencies.forms import ReasonForm, TrainingFilterForm, TrainingRecordForm
from sanxiang.agencies.models import Agency
from sanxiang.core.forms import report_form_errors, run_service


def training_list(request):
    """Officers of the user's agencies with their hours of the year against the requirement (heads, system
    administrators and supervisors); anyone else is shown their own record."""
    user = request.user
    if user.agency_id is None or not (user.is_superuser or user.roles & training.READERS):
        return redirect("agencies:staff-detail", user.pk)
    filters = TrainingFilterForm(request.GET or None)
    year, below = timezone.localdate().year, False
    if filters.is_valid():
        year = filters.cleaned_data["year"] or year
        below = filters.cleaned_data["below"]
    agencies = list(Agency.objects.visible_to(user))
    rows = training.training_of_officers(agencies=agencies, year=year)
    context = {
        "filters": filters,
        "year": year,
        "below": below,
        "rows": [row for row in rows if row.short] if below else rows,
        "summary": training.training_summary(agencies=agencies, year=year),
        "requirement": training.training_requirement(user.agency),
    }
    return render(request, "agencies/training_list.html", context)


def training_create(request, staff_id: int):
    officer = training.training_officer_get_for_user(user=request.user, staff_id=staff_id, action=training.RECORD)
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST":
        record = run_service(
            form, lambda data: services.training_record_create(actor=request.user, officer=officer, **data)
        )
        if record:
            messages.success(request, _("已登记培训记录：%(course)s。") % {"course": record.course})
            return redirect("agencies:staff-detail", officer.pk)
    title = _("为 %(name)s 登记培训记录") % {"name": officer.full_name}
    return render(request, "agencies/form.html", {"form": form, "title": title, "back_staff": officer})


@require_POST
def training_withdraw(request, record_id: int):
    record = training.training_record_get_for_user(user=request.user, record_id=record_id, action=training.RECORD)
    form = ReasonForm(request.POST)
    if run_service(
        form,
        lambda data: services.training_record_withdraw(actor=request.user, record=record, reason=data["reason"]),
    ):
        messages.success(request, _("已撤回培训记录。"))
    else:
        report_form_errors(request, form)
    return redirect("agencies:staff-detail", record.officer_id)
