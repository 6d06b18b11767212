"""Workbench pages of the violation catalogue (违法行为目录, shared by the installation) and the discretion
benchmark (裁量基准) of the user's agency: read by every member of staff, changed by those the services allow."""

from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, administers_installation, agency_require, can_manage, own_agency_or_404
from sanxiang.cases import selectors, services
from sanxiang.cases.catalogue_forms import FactorEditForm, FactorForm, ViolationForm, ViolationNewForm, levels_text
from sanxiang.cases.discretion import own_or_inherited
from sanxiang.cases.models import Violation
from sanxiang.cases.services.catalogue import VIOLATION_FIELDS, catalogue_keeper_require
from sanxiang.core.forms import run_service


def catalogue(request):
    """The catalogue with each entry's statutory penalty, and the factors the user's agency applies."""
    agency = request.user.agency
    factors = own_or_inherited(agency) if agency is not None else []
    owner_code = factors[0].agency_code if factors else None
    context = {
        "violations": Violation.objects.all(),
        "factors": factors,
        "owner": Agency.objects.filter(code=owner_code).first() if owner_code else None,
        "own": agency is not None and owner_code == agency.code,
        "may_keep_catalogue": administers_installation(request.user),
        "may_set_factors": agency is not None and can_manage(request.user, agency),
    }
    return render(request, "cases/catalogue.html", context)


def violation_create(request):
    catalogue_keeper_require(request.user)
    form = ViolationNewForm(request.POST or None)
    if request.method == "POST":
        violation = run_service(form, lambda data: services.violation_create(actor=request.user, **data))
        if violation:
            messages.success(request, _("已增加违法行为 %(code)s。") % {"code": violation.code})
            return redirect("cases:catalogue")
    return render(request, "cases/form.html", {"form": form, "title": _("增加违法行为")})


def violation_update(request, violation_id: int):
    catalogue_keeper_require(request.user)
    violation = get_object_or_404(Violation, pk=violation_id)
    form = ViolationForm(request.POST or None, initial=model_to_dict(violation, fields=VIOLATION_FIELDS))
    if request.method == "POST":
        changed = run_service(
            form, lambda data: services.violation_update(actor=request.user, violation=violation, **data)
        )
        if changed:
            messages.success(request, _("已修改违法行为 %(code)s。") % {"code": changed.code})
            return redirect("cases:catalogue")
    return render(request, "cases/form.html", {"form": form, "title": _("修改违法行为：%(v)s") % {"v": violation}})


def factor_add(request):
    agency = own_agency_or_404(request.user)
    agency_require(user=request.user, agency=agency, action=MANAGE)
    form = FactorForm(request.POST or None)
    if request.method == "POST":
        factor = run_service(
            form, lambda data: services.discretion_factor_add(actor=request.user, agency=agency, **data)
        )
        if factor:
            messages.success(request, _("已增加裁量因素“%(name)s”。") % {"name": factor.name})
            return redirect("cases:catalogue")
    return render(request, "cases/form.html", {"form": form, "title": _("增加裁量因素")})


def factor_update(request, factor_id: int):
    """An inherited factor is changed in the agency's own copy of the benchmark (the service makes it)."""
    agency = own_agency_or_404(request.user)
    agency_require(user=request.user, agency=agency, action=MANAGE)
    factor = selectors.discretion_factor_get(agency=agency, factor_id=factor_id)
    initial = {"name": factor.name, "levels": levels_text(factor.levels), "citation": factor.citation}
    form = FactorEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        changed = run_service(
            form,
            lambda data: services.discretion_factor_update(
                actor=request.user, agency=agency, factor_id=factor.pk, **data
            ),
        )
        if changed:
            messages.success(request, _("已修改裁量因素“%(name)s”。") % {"name": changed.name})
            return redirect("cases:catalogue")
    return render(request, "cases/form.html", {"form": form, "title": _("修改裁量因素：%(n)s") % {"n": factor.name}})


@require_POST
def factor_remove(request, factor_id: int):
    agency = own_agency_or_404(request.user)
    agency_require(user=request.user, agency=agency, action=MANAGE)
    factor = selectors.discretion_factor_get(agency=agency, factor_id=factor_id)
    services.discretion_factor_remove(actor=request.user, agency=agency, factor_id=factor.pk)
    messages.success(request, _("已删除裁量因素“%(name)s”。") % {"name": factor.name})
    return redirect("cases:catalogue")
