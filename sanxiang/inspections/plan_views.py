"""Workbench pages of 双随机 plans: the list, a new plan, a plan with its moves and drawn targets, a target with its
result, the committed JSON, and recusals. The portal's pages of the same plans are the portal app's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies.models import Role
from sanxiang.cases.gates import is_head
from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service
from sanxiang.inspections import draw_results, draws, plan_selectors
from sanxiang.inspections.draw_results import TARGET
from sanxiang.inspections.draws import PLAN
from sanxiang.inspections.plan_actions import WORKFLOW
from sanxiang.inspections.plan_forms import DeclareForm, KinshipForm, PlanForm, ResultForm, plan_fields
from sanxiang.inspections.plan_models import DrawTarget

PAGE = 100


def plan_list(request):
    """The plans of the agencies in the user's scope, newest period first."""
    agency = request.user.agency
    may_draft = agency is not None and PLAN.permits(request.user, agency, "create")
    context = {"plans": plan_selectors.plans_for_user(request.user)[:200], "may_draft": may_draft}
    return render(request, "inspections/plans/list.html", context)


def plan_create(request):
    """编制 a plan of the user's own agency."""
    agency = request.user.agency
    if agency is None:
        raise Http404
    PLAN.require(request.user, agency, "create")  # 403 naming who may, as the service would answer
    form = PlanForm(request.POST or None, agency=agency)
    if request.method == "POST":
        plan = run_service(
            form,
            lambda data: draws.plan_create(actor=request.user, agency=agency, **plan_fields(data)),
        )
        if plan is not None:
            messages.success(request, _("抽查计划已保存为草稿，请负责人批准。"))
            return redirect("plans:plan", plan.pk)
    return render(request, "inspections/plans/create.html", {"form": form}, status=400 if form.errors else 200)


def plan_detail(request, plan_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """One plan: what it covers, its commitment and seed, its moves, and its drawn targets a page at a time."""
    plan = plan_selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    after = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else 0
    targets = plan_selectors.public_targets(plan, after=after, limit=PAGE + 1)
    commitment = plan_selectors.commitment_of(plan)
    initial = {
        "version": plan.version,
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "items": list(plan.items.all()),
        "divisions": " ".join(plan.divisions),
        "industries": " ".join(plan.industries),
        **{f"percent_{tier}": value for tier, value in plan.percents.items()},
    }
    context = {
        "plan": plan,
        "items": plan.items.order_by("code"),
        "percents": plan_selectors.effective_percents(plan),
        "commitment": commitment,
        "draw": getattr(plan, "draw", None),
        "checkpoint": plan_selectors.seed_checkpoint(commitment) if commitment is not None else None,
        "targets": targets[:PAGE],
        "next_after": targets[PAGE - 1].rank if len(targets) > PAGE else None,
        "counts": plan_selectors.result_counts(plan, published_only=False),
        "actions": WORKFLOW.forms(request.user, plan, initial=initial, bound=bound),
        "today": timezone.localdate(),
    }
    return render(request, "inspections/plans/detail.html", context, status=status)


@require_POST
def plan_action(request, plan_id: int, action: str):
    plan = plan_selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    return action_post(request, WORKFLOW, plan, action, page=plan_detail)


def plan_json(request, plan_id: int):
    """The committed plan JSON, byte for byte as its digest was ledgered."""
    plan = plan_selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    commitment = getattr(plan, "commitment", None)
    if commitment is None:
        raise Http404
    return committed_json(commitment)


def committed_json(commitment) -> HttpResponse:
    """The committed plan JSON as a download, byte for byte: its SHA-256 is the digest the ledger holds."""
    response = HttpResponse(bytes(commitment.body), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{commitment.plan_id}-{commitment.digest[:12]}.json"'
    return response


def _offers_record(user, target: DrawTarget) -> bool:
    """Whether the page offers 登记抽查结果: a target with a pair still to record, while the plan is being worked,
    to whom may record it."""
    if target.first_certificate_id is None or not TARGET.allows(target, "record") or target.plan.status != draws.DRAWN:
        return False
    return TARGET.permits(user, target.plan.agency, "record") and plan_selectors.may_record_result(user, target)


def target_detail(request, plan_id: int, target_id: int):
    """A drawn target: its pair, its inspection and result, and the form to record the result."""
    target = plan_selectors.target_get_for_user(user=request.user, plan_id=plan_id, target_id=target_id)
    offered = _offers_record(request.user, target)
    form = ResultForm(request.POST or None, target=target, user=request.user) if offered else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("抽查结果由抽取的执法人员本人或负责人在计划结束前登记。"))
        recorded = run_service(
            form,
            lambda data: draw_results.draw_target_record_result(
                actor=request.user, target=target, inspection=data["inspection"], result=data["result"]
            ),
        )
        if recorded is not None:
            messages.success(request, _("抽查结果已登记，请在公示期限内公示。"))
            return redirect("plans:target", plan_id, target_id)
    context = {"target": target, "plan": target.plan, "form": form}
    return render(request, "inspections/plans/target.html", context, status=400 if form and form.errors else 200)


def recusals(request):
    """回避: the user's own declarations (officers), every recusal of the agency (heads), and the forms."""
    user, agency = request.user, request.user.agency
    declare = DeclareForm(prefix="declare") if agency and Role.OFFICER in user.roles else None
    heads = agency is not None and is_head(user, agency)
    officers = plan_selectors.kinship_officers(agency) if heads else None
    kinship = KinshipForm(prefix="kinship", officers=officers) if heads else None
    if request.method == "POST":
        posted = request.POST.get("form")
        if posted == "declare" and declare is not None:
            declare = DeclareForm(request.POST, prefix="declare")
            done = run_service(
                declare,
                lambda data: draw_results.recusal_declare(
                    actor=user, party=plan_selectors.party_by_uscc(user, data["uscc"]), reason=data["reason"]
                ),
            )
        elif posted == "kinship" and kinship is not None:
            kinship = KinshipForm(request.POST, prefix="kinship", officers=officers)
            done = run_service(
                kinship,
                lambda data: draw_results.recusal_record_kinship(
                    actor=user,
                    officer=data["officer"],
                    party=plan_selectors.party_by_uscc(user, data["uscc"]),
                    reason=data["reason"],
                ),
            )
        else:
            raise Http404
        if done is not None:
            messages.success(request, _("回避已登记，今后的抽取不再将该执法人员派往该企业。"))
            return redirect("plans:recusals")
    context = {"rows": plan_selectors.recusals_for_user(user)[:300], "declare": declare, "kinship": kinship}
    status = 400 if (declare and declare.errors) or (kinship and kinship.errors) else 200
    return render(request, "inspections/plans/recusals.html", context, status=status)
