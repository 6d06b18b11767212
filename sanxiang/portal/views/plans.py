"""The portal's 双随机 pages (no login): each agency's committed plans with their published results (zero counts
shown), a plan with its commitment, seed checkpoint, draw and targets, the committed plan JSON and the published draw
as downloads, and the algorithm that anyone can run on them (tools/verify_draw.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.agencies.selectors import agency_public
from sanxiang.core.rules import rule
from sanxiang.inspections import draws, plan_selectors
from sanxiang.inspections.draw_results import PUBLISH_RULE
from sanxiang.inspections.plan_views import committed_json

PAGE = 50


def portal(view):
    return login_not_required(require_GET(view))


@portal
def index(request):
    return render(request, "portal/plans/index.html", {"agencies": plan_selectors.public_agencies()})


@portal
def agency(request, code: str):
    agency = agency_public(code)
    plans = list(plan_selectors.public_plans(agency))
    keys = ("targets", "inspected", "no_problem", "ordered_to_correct", "case_opened")
    totals = {key: sum(plan.published_counts.get(key, 0) for plan in plans) for key in keys}
    publish_within = rule(PUBLISH_RULE, agency)  # the agency's own period where its rules set one
    context = {"agency": agency, "plans": plans, "totals": totals, "publish_within": publish_within}
    return render(request, "portal/plans/agency.html", context)


@portal
def plan(request, code: str, plan_id: int):
    agency = agency_public(code)
    plan = plan_selectors.public_plan(plan_id, agency=agency)
    after = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else 0
    targets = plan_selectors.public_targets(plan, after=after, limit=PAGE + 1) if plan.status != draws.APPROVED else []
    context = {
        "agency": agency,
        "plan": plan,
        "checkpoint": plan_selectors.seed_checkpoint(plan.commitment),
        "draw": getattr(plan, "draw", None),
        "targets": targets[:PAGE],
        "next_after": targets[PAGE - 1].rank if len(targets) > PAGE else None,
    }
    return render(request, "portal/plans/plan.html", context)


@portal
def plan_json(request, code: str, plan_id: int):
    """The committed plan, byte for byte: its SHA-256 is the digest of the plan's public ledger entry."""
    return committed_json(plan_selectors.public_plan(plan_id, agency=agency_public(code)).commitment)


@portal
def draw_json(request, code: str, plan_id: int):
    """The draw as published: the seed checkpoint and every target with its pair."""
    plan = plan_selectors.public_plan(plan_id, agency=agency_public(code))
    if plan.status == draws.APPROVED:
        return JsonResponse({"error": {"code": "not_drawn", "message": "该计划尚未抽取。"}}, status=404)
    return JsonResponse(plan_selectors.draw_export(plan), json_dumps_params={"ensure_ascii": False})


@portal
def algorithm(request):
    return render(request, "portal/plans/algorithm.html")
