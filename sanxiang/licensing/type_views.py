"""Workbench pages of the licence types (许可事项: the 行政许可办事指南 an agency publishes before it acts): read by
the staff of the agencies they see; added, corrected, withdrawn and given their list of materials only by those who
keep the agency's catalogues (its system administrators and those above) — the links and forms are shown only to
them, and the services check the same."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.selectors import agencies_for_user
from sanxiang.core.forms import run_service
from sanxiang.licensing import selectors, services
from sanxiang.licensing.filters import TypeFilter
from sanxiang.licensing.models import LicenceType
from sanxiang.licensing.services.types import TYPE_FIELDS
from sanxiang.licensing.type_forms import (
    MaterialFormSet,
    TypeForm,
    TypeWithdrawForm,
    material_initial,
    material_lines,
)
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import agencies_kept_by

KEEPS = gettext_lazy("只有本机关或上级机关的系统管理员可以维护许可事项和申请材料目录。")


def _kept_agencies(user):
    return agencies_kept_by(user, keeps=selectors.may_keep_types)


def type_list(request):
    filters = TypeFilter(request.GET or None, agencies=agencies_for_user(request.user))
    context = {
        "filters": filters,
        "page": Paginator(selectors.types_for_user(request.user, **filters.query()), 50).get_page(
            request.GET.get("page")
        ),
        "may_keep": _kept_agencies(request.user).exists(),
    }
    return render(request, "licensing/types.html", context)


def type_detail(request, pk: int, *, bound: TypeWithdrawForm | None = None, status: int = 200):
    """A type as its 办事指南 reads, its materials with their sample texts, and (for its keepers) the links to
    change it and the form to stop it; `bound` is a refused withdrawal shown again with what was typed."""
    licence_type = selectors.licence_type_get_for_user(user=request.user, type_id=pk)
    in_force = licence_type.withdrawn_on is None
    may_keep = in_force and selectors.may_keep_types(request.user, licence_type.agency)
    context = {
        "licence_type": licence_type,
        "materials": licence_type.materials.all(),
        "may_keep": may_keep,
        "withdraw": bound or (TypeWithdrawForm() if may_keep else None),
        "may_submit": in_force and selectors.may_submit(request.user),
    }
    return render(request, "licensing/type.html", context, status=status)


def _kept(request, pk: int) -> LicenceType:
    licence_type = selectors.licence_type_get_for_user(user=request.user, type_id=pk)
    if not selectors.may_keep_types(request.user, licence_type.agency):
        raise PermissionDenied(KEEPS)
    return licence_type


def _licensing_powers(agencies):
    """The 行政许可 powers in force a type of these agencies may hang on (the service checks its own agency's)."""
    powers = Power.objects.filter(agency__in=agencies, kind=PowerKind.LICENSING).in_force()
    return powers.select_related("agency").order_by("agency__path", "code")


def type_create(request):
    agencies = _kept_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(KEEPS)
    form = TypeForm(request.POST or None, agencies=agencies, powers=_licensing_powers(agencies))
    if request.method == "POST":
        created = run_service(
            form,
            lambda data: services.licence_type_save(
                actor=request.user, agency=data["agency"], code=data["code"], **form.service_arguments()
            ),
        )
        if created is not None:
            messages.success(request, _("已增加许可事项 %(code)s，请公布其申请材料目录。") % {"code": created.code})
            return redirect("licensing:type-materials", created.pk)
    context = {"form": form, "title": _("增加许可事项")}
    return render(request, "agencies/form.html", context, status=400 if form.errors else 200)


def type_update(request, pk: int):
    licence_type = _kept(request, pk)
    initial = {name: getattr(licence_type, name) for name in TYPE_FIELDS}
    form = TypeForm(request.POST or None, powers=_licensing_powers([licence_type.agency]), initial=initial)
    if request.method == "POST":
        changed = run_service(
            form,
            lambda data: services.licence_type_save(
                actor=request.user,
                agency=licence_type.agency,
                code=licence_type.code,
                licence_type=licence_type,
                **form.service_arguments(),
            ),
        )
        if changed is not None:
            messages.success(request, _("已修改许可事项 %(code)s。") % {"code": changed.code})
            return redirect("licensing:type", licence_type.pk)
    context = {"form": form, "title": _("修改许可事项：%(name)s") % {"name": licence_type.name}}
    return render(request, "agencies/form.html", context, status=400 if form.errors else 200)


def type_materials(request, pk: int):
    """申请材料目录: the whole list at once, each line with its code, name, whether it is required, copies, note and
    sample text; a line left blank or ticked 删除 leaves the list."""
    licence_type = _kept(request, pk)
    formset = MaterialFormSet(request.POST or None, initial=material_initial(licence_type), prefix="materials")
    problems = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.licence_type_materials(
                actor=request.user, licence_type=licence_type, materials=material_lines(formset)
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("已公布 %(name)s 的申请材料目录。") % {"name": licence_type.name})
            return redirect("licensing:type", licence_type.pk)
    refused = request.method == "POST"  # a valid list the service accepted has been redirected above
    context = {"licence_type": licence_type, "formset": formset, "problems": problems}
    return render(request, "licensing/materials.html", context, status=400 if refused else 200)


@require_POST
def type_withdraw(request, pk: int):
    licence_type = _kept(request, pk)
    form = TypeWithdrawForm(request.POST)
    withdrawn = run_service(
        form,
        lambda data: services.licence_type_withdraw(actor=request.user, licence_type=licence_type, **data),
    )
    if withdrawn is None:
        return type_detail(request, pk, bound=form, status=400)
    messages.success(request, _("许可事项 %(code)s 已停止办理。") % {"code": licence_type.code})
    return redirect("licensing:type", licence_type.pk)
