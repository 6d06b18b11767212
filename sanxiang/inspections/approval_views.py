"""Workbench pages of inspection approvals (行政检查审批): the list, a request, and an approval with its steps, its
documents, the caps it passes and the other agencies' inspections it may be combined with."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service
from sanxiang.documents.selectors import documents_for
from sanxiang.inspections import approval_selectors, approvals
from sanxiang.inspections.approval_actions import WORKFLOW
from sanxiang.inspections.approval_forms import RequestForm
from sanxiang.inspections.approval_models import Approval
from sanxiang.inspections.approvals import APPROVAL


def approval_list(request):
    status = request.GET.get("status", "")
    status = status if status in Approval.Status.values else ""
    agency = request.user.agency
    context = {
        "approvals": approval_selectors.approvals_for_user(request.user, status=status)[:200],
        "statuses": Approval.Status.choices,
        "status": status,
        "may_request": agency is not None and APPROVAL.permits(request.user, agency, "request"),
    }
    return render(request, "inspections/approvals/list.html", context)


def approval_request(request):
    agency = request.user.agency
    if agency is None or not APPROVAL.permits(request.user, agency, "request"):
        raise PermissionDenied(APPROVAL.forbidden("request"))
    # from a task's page: its enterprise, source and task filled in
    initial = {key: request.GET[key] for key in ("party", "source", "task") if request.GET.get(key, "").isalnum()}
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        approval = run_service(form, lambda data: approvals.approval_request(actor=request.user, agency=agency, **data))
        if approval is not None:
            messages.success(request, _("检查审批已提交，请负责人审批。"))
            return redirect("approvals:approval", approval.pk)
    context = {"form": form, "title": _("申请行政检查审批")}
    return render(request, "inspections/approvals/request.html", context, status=400 if form.errors else 200)


def approval_detail(request, approval_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    approval = approval_selectors.approval_get_for_user(user=request.user, approval_id=approval_id)
    context = {
        "approval": approval,
        "items": approval.items.select_related("power").order_by("code"),
        "officers": approval.officers.order_by("username"),
        "documents": documents_for(approval),
        "candidates": approval_selectors.joint_candidates(approval),
        "joint": approval.joint.approvals.select_related("agency") if approval.joint_id else None,
        "actions": WORKFLOW.forms(request.user, approval, initial={}, bound=bound),
    }
    return render(request, "inspections/approvals/detail.html", context, status=status)


@require_POST
def approval_action(request, approval_id: int, action: str):
    approval = approval_selectors.approval_get_for_user(user=request.user, approval_id=approval_id)
    return action_post(request, WORKFLOW, approval, action, page=approval_detail)
