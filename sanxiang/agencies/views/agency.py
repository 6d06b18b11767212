"""Workbench pages for agencies and their service windows."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies import selectors, services
from sanxiang.agencies.forms import AgencyCreateForm, AgencyForm, DecisionDetailsForm, ServiceWindowForm
from sanxiang.agencies.models import Role
from sanxiang.core.forms import run_service


def agency_list(request):
    agencies = selectors.agencies_for_user(request.user)
    return render(request, "agencies/agency_list.html", {"agencies": agencies})


def agency_detail(request, agency_id: int):
    agency = selectors.agency_get_for_user(user=request.user, agency_id=agency_id)
    context = {
        "agency": agency,
        "windows": agency.service_windows.all(),
        "children": agency.children.all(),
        # the parent is named to everyone, linked only for those who may open it (a city's staff may not the province)
        "parent_visible": agency.parent is not None and selectors.can_view(request.user, agency.parent),
        "officer_count": selectors.staff_for_user(request.user, agency=agency, role=Role.OFFICER).count(),
        "valid_certificates": selectors.certificates_for_user(
            request.user, agency=agency, status="valid", today=timezone.localdate()
        ).count(),
        "can_manage": selectors.can_manage(request.user, agency),
        "can_manage_accounts": selectors.can_manage_accounts(request.user, agency),
        "can_set_decision_details": selectors.can_set_decision_details(request.user, agency),
    }
    return render(request, "agencies/agency_detail.html", context)


def agency_edit(request, agency_id: int):
    agency = selectors.agency_get_for_user(user=request.user, agency_id=agency_id, action=selectors.MANAGE)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST":
        updated = run_service(form, lambda data: services.agency_update(actor=request.user, agency=agency, **data))
        if updated:
            messages.success(request, _("已保存机关信息。"))
            return redirect("agencies:agency-detail", agency.pk)
    return render(request, "agencies/form.html", {"form": form, "title": _("编辑机关信息"), "back": agency})


def agency_decision_details(request, agency_id: int):
    agency = selectors.agency_get_for_user(user=request.user, agency_id=agency_id, action=selectors.DECISION_DETAILS)
    form = DecisionDetailsForm(request.POST or None, instance=agency)
    if request.method == "POST":
        updated = run_service(
            form, lambda data: services.agency_set_decision_details(actor=request.user, agency=agency, **data)
        )
        if updated:
            messages.success(request, _("已登记复议机关、管辖法院和缴款途径。"))
            return redirect("agencies:agency-detail", agency.pk)
    title = _("复议机关、管辖法院和缴款途径")
    return render(request, "agencies/form.html", {"form": form, "title": title, "back": agency})


def agency_create(request, agency_id: int):
    parent = selectors.agency_get_for_user(user=request.user, agency_id=agency_id, action=selectors.MANAGE)
    form = AgencyCreateForm(request.POST or None)
    if request.method == "POST":
        agency = run_service(form, lambda data: services.agency_create(actor=request.user, parent=parent, **data))
        if agency:
            messages.success(request, _("已设立 %(name)s。") % {"name": agency.name})
            return redirect("agencies:agency-detail", agency.pk)
    title = _("在 %(parent)s 下设立机关") % {"parent": parent.name}
    return render(request, "agencies/form.html", {"form": form, "title": title, "back": parent})


def window_create(request, agency_id: int):
    agency = selectors.agency_get_for_user(user=request.user, agency_id=agency_id, action=selectors.MANAGE)
    form = ServiceWindowForm(request.POST or None)
    if request.method == "POST":
        window = run_service(
            form, lambda data: services.service_window_create(actor=request.user, agency=agency, **data)
        )
        if window:
            messages.success(request, _("已添加服务窗口。"))
            return redirect("agencies:agency-detail", agency.pk)
    return render(request, "agencies/form.html", {"form": form, "title": _("添加服务窗口"), "back": agency})


def window_edit(request, window_id: int):
    window = selectors.service_window_get_for_user(user=request.user, window_id=window_id, action=selectors.MANAGE)
    form = ServiceWindowForm(request.POST or None, instance=window)
    if request.method == "POST":
        if run_service(form, lambda data: services.service_window_update(actor=request.user, window=window, **data)):
            messages.success(request, _("已保存服务窗口。"))
            return redirect("agencies:agency-detail", window.agency_id)
    return render(request, "agencies/form.html", {"form": form, "title": _("编辑服务窗口"), "back": window.agency})


@require_POST
def window_delete(request, window_id: int):
    window = selectors.service_window_get_for_user(user=request.user, window_id=window_id, action=selectors.MANAGE)
    services.service_window_delete(actor=request.user, window=window)
    messages.success(request, _("已删除服务窗口。"))
    return redirect("agencies:agency-detail", window.agency_id)
