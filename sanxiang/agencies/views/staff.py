"""Workbench pages for staff accounts and their roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies import selectors, services
from sanxiang.agencies import training_selectors as training
from sanxiang.agencies.forms import (
    OtpReasonForm,
    PasswordForm,
    ReasonForm,
    RolesForm,
    StaffCreateForm,
    StaffEditForm,
    StaffFilterForm,
)
from sanxiang.agencies.models import Role
from sanxiang.core.forms import report_form_errors, run_service
from sanxiang.core.second_factor import confirmed_device


def staff_list(request):
    filters = StaffFilterForm(request.GET or None)
    staff = selectors.staff_for_user(request.user)
    if filters.is_valid():
        if filters.cleaned_data["q"]:
            term = filters.cleaned_data["q"]
            staff = staff.filter(Q(full_name__icontains=term) | Q(username__icontains=term))
        if filters.cleaned_data["role"]:
            staff = staff.with_role(filters.cleaned_data["role"])
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    template = "agencies/_staff_rows.html" if request.headers.get("HX-Request") else "agencies/staff_list.html"
    return render(request, template, {"page": page, "filters": filters})


def staff_create(request, agency_id: int):
    agency = selectors.agency_get_for_user(user=request.user, agency_id=agency_id, action=selectors.ACCOUNTS)
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST":
        staff = run_service(form, lambda data: services.staff_create(actor=request.user, agency=agency, **data))
        if staff:
            messages.success(request, _("已开设账号 %(username)s。") % {"username": staff.username})
            return redirect("agencies:staff-detail", staff.pk)
    title = _("在 %(agency)s 开设工作人员账号") % {"agency": agency.name}
    return render(request, "agencies/form.html", {"form": form, "title": title, "back": agency})


def staff_detail(request, staff_id: int):
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id)
    can_manage_accounts = selectors.can_manage_accounts(request.user, staff.agency)
    context = {
        "staff": staff,
        "certificates": staff.certificates.select_related("agency").order_by("-issued_on"),
        "today": timezone.localdate(),
        "can_manage": selectors.can_manage(request.user, staff.agency),
        "can_manage_accounts": can_manage_accounts,
    }
    if staff.has_role(Role.OFFICER) and training.can_read_training(request.user, officer=staff, agency=staff.agency):
        context["training"] = training.training_progress(staff, context["today"].year)
        context["training_records"] = training.training_records_of(staff)
        context["can_record_training"] = training.can_record_training(request.user, staff.agency)
        context["withdraw_form"] = ReasonForm()
    if can_manage_accounts:
        context["tokens"] = staff.api_tokens.all()
        context["now"] = timezone.now()
        context["edit_form"] = StaffEditForm(
            initial={field: getattr(staff, field) for field in services.STAFF_EDITABLE}
        )
        context["roles_form"] = RolesForm(initial={"roles": sorted(staff.roles)})
        context["password_form"] = PasswordForm()
    if selectors.can_manage_second_factor(request.user, staff.agency):
        context["otp_form"] = OtpReasonForm()
        context["otp_device"] = confirmed_device(staff)
        context["otp_enrolment"] = selectors.otp_enrolment_open(staff=staff)
    return render(request, "agencies/staff_detail.html", context)


def _staff_action(request, staff_id: int, form_class, call, done: str):
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id, action=selectors.ACCOUNTS)
    form = form_class(request.POST)
    if run_service(form, lambda data: call(staff, data)):
        messages.success(request, done)
    else:
        report_form_errors(request, form)
    return redirect("agencies:staff-detail", staff.pk)


@require_POST
def staff_edit(request, staff_id: int):
    return _staff_action(
        request,
        staff_id,
        StaffEditForm,
        lambda staff, data: services.staff_update(actor=request.user, staff=staff, **data),
        _("已保存。"),
    )


@require_POST
def staff_roles(request, staff_id: int):
    return _staff_action(
        request,
        staff_id,
        RolesForm,
        lambda staff, data: services.staff_set_roles(actor=request.user, staff=staff, roles=data["roles"]),
        _("已更新角色。"),
    )


@require_POST
def staff_password(request, staff_id: int):
    return _staff_action(
        request,
        staff_id,
        PasswordForm,
        lambda staff, data: services.staff_set_password(actor=request.user, staff=staff, password=data["password"]),
        _("已重设密码。"),
    )


@require_POST
def staff_active(request, staff_id: int):
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id, action=selectors.ACCOUNTS)
    active = request.POST.get("active") == "1"
    try:
        services.staff_set_active(actor=request.user, staff=staff, active=active)
        messages.success(request, _("已启用账号。") if active else _("已停用账号。"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("agencies:staff-detail", staff.pk)


@require_POST
def staff_otp_issue(request, staff_id: int):
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id, action=selectors.SECOND_FACTOR)
    form = OtpReasonForm(request.POST)
    enrolment = run_service(
        form, lambda data: services.otp_enrolment_issue(actor=request.user, staff=staff, reason=data["reason"])
    )
    if enrolment:
        messages.success(
            request,
            _("已签发动态验证码绑定：请 %(name)s 在 %(until)s 前登录并扫码绑定。")
            % {"name": staff.full_name, "until": _until(enrolment)},
        )
    else:
        report_form_errors(request, form)
    return redirect("agencies:staff-detail", staff.pk)


@require_POST
def staff_otp_reset(request, staff_id: int):
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id, action=selectors.SECOND_FACTOR)
    form = OtpReasonForm(request.POST)
    enrolment = run_service(
        form, lambda data: services.otp_device_reset(actor=request.user, staff=staff, reason=data["reason"])
    )
    if enrolment:
        messages.success(
            request,
            _("已重置动态验证码，原验证器和 API 令牌已失效；请 %(name)s 在 %(until)s 前登录重新绑定。")
            % {"name": staff.full_name, "until": _until(enrolment)},
        )
    else:
        report_form_errors(request, form)
    return redirect("agencies:staff-detail", staff.pk)


def _until(enrolment) -> str:
    return timezone.localtime(enrolment.expires_at).strftime("%Y-%m-%d %H:%M")


@require_POST
def staff_token_revoke(request, staff_id: int, token_id: int):
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id, action=selectors.ACCOUNTS)
    try:
        services.staff_token_revoke(actor=request.user, staff=staff, token_id=token_id)
        messages.success(request, _("已撤销令牌。"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("agencies:staff-detail", staff.pk)
