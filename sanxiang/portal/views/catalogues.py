"""The portal's pages of what an agency publishes before it acts (事前公开, no login), drawn from live data each time
so they are never a stale copy: its powers in force (权责清单, item 2), its 双随机抽查事项清单 with the frequency per
tier and its 抽查工作细则 (item 5), and its inspectors today (执法检查人员名录库)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.agencies.selectors import agency_public
from sanxiang.inspections.selectors import inspectors as inspectors_of
from sanxiang.inspections.selectors import items_public, rules_of
from sanxiang.powers.models import PowerKind
from sanxiang.powers.selectors import powers_in_force


@login_not_required
@require_GET
def powers(request, code: str):
    agency = agency_public(code)
    rows = list(powers_in_force(agency).order_by("kind", "code"))
    kinds = [(label, [power for power in rows if power.kind == kind]) for kind, label in PowerKind.choices]
    return render(request, "portal/powers.html", {"agency": agency, "kinds": kinds, "count": len(rows)})


@login_not_required
@require_GET
def inspection_items(request, code: str):
    agency = agency_public(code)
    context = {"agency": agency, "items": items_public(agency), "rules": rules_of(agency)}
    return render(request, "portal/inspection_items.html", context)


@login_not_required
@require_GET
def inspectors(request, code: str):
    agency = agency_public(code)
    today = timezone.localdate()
    context = {"agency": agency, "certificates": inspectors_of(agency, today=today), "today": today}
    return render(request, "portal/inspectors.html", context)
