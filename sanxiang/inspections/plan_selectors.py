"""Reads of 双随机 plans: the access gates, what a plan commits to when approved (population, officer pool,
recusals), the draw as the public sees it, and what waits to be published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Certificate, Role, User
from sanxiang.agencies.selectors import can_view
from sanxiang.cases.gates import is_head
from sanxiang.cases.models import Party, Tier
from sanxiang.cases.models.parties import ORGANISATIONS
from sanxiang.core.identifiers import normalize_uscc
from sanxiang.inspections.drawing import ALGORITHM, STRATA
from sanxiang.inspections.models import InspectionItem
from sanxiang.inspections.plan_models import DrawTarget, Plan, PlanCommitment, Recusal, Result
from sanxiang.inspections.selectors import inspector_certificates
from sanxiang.ledger.models import Checkpoint

PUBLIC_STATES = (Plan.Status.APPROVED, Plan.Status.DRAWN, Plan.Status.CLOSED)
FORMAT = "sanxiang.draw-plan/1"


def plan_get_for_user(*, user, plan_id: int) -> Plan:
    """A plan of an agency the staff member may see (404 otherwise)."""
    plan = Plan.objects.select_related("agency").filter(pk=plan_id).first()
    if plan is None or not can_view(user, plan.agency):
        raise Http404
    return plan


def target_get_for_user(*, user, plan_id: int, target_id: int) -> DrawTarget:
    """A drawn target of a plan the staff member may see (404 otherwise)."""
    plan = plan_get_for_user(user=user, plan_id=plan_id)
    target = (
        plan.targets.select_related("party", "first_certificate__holder", "second_certificate__holder", "inspection")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise Http404
    return target


def may_record_result(user, target: DrawTarget) -> bool:
    """Who records a drawn target's result: one of the pair drawn for it, or a head of the plan's agency or one above
    it. The target's page offers the form on this, and draw_target_record_result refuses anyone else."""
    drawn = {
        certificate.holder_id for certificate in (target.first_certificate, target.second_certificate) if certificate
    }
    return user.pk in drawn or is_head(user, target.plan.agency)


def recusals_for_user(user):
    """回避 the user may read: every recusal of the agencies in scope for a head, an officer's own for anyone else —
    who may not inspect whom is about an officer's private ties."""
    rows = Recusal.objects.visible_to(user).select_related("officer", "party", "recorded_by")
    if user.is_superuser or (user.agency is not None and is_head(user, user.agency)):
        return rows
    return rows.filter(officer=user)


def kinship_officers(agency: Agency | None):
    """The officers of `agency` a head may record a kinship for: its active officers."""
    return User.objects.filter(agency=agency, is_active=True).with_role(Role.OFFICER)


def commitment_of(plan: Plan) -> PlanCommitment | None:
    """The plan's commitment without its JSON body (megabytes for a large population)."""
    return PlanCommitment.objects.defer("body").filter(plan=plan).first()


def plans_for_user(user):
    """The plans of the agencies in the user's scope, newest period first, each with what a list shows of it read
    at once: its items with their frequencies (a draft's percents) and its results awaiting publication (the moves
    offered)."""
    waiting = (
        DrawTarget.objects.filter(plan=OuterRef("pk"))
        .awaiting_publication()
        .order_by()
        .values("plan")
        .annotate(count=Count("pk"))
        .values("count")
    )
    items = InspectionItem.objects.order_by("code").prefetch_related("frequencies")
    return (
        Plan.objects.visible_to(user)
        .select_related("agency")
        .prefetch_related(Prefetch("items", queryset=items))
        .annotate(waiting=Coalesce(Subquery(waiting), 0))
        .order_by("-period_start", "-id")
    )


def party_by_uscc(user, uscc: str) -> Party:
    """The enterprise with this credit code among those the user's agencies registered (first registered), or a
    refusal naming the field."""
    party = Party.objects.visible_to(user).filter(uscc=normalize_uscc(uscc)).order_by("pk").first()
    if party is None:
        raise ValidationError({"uscc": _("本机关及下级机关登记的企业中没有这个统一社会信用代码。")})
    return party


def items_for_plan(agency: Agency):
    """The items a plan of `agency` may name: its own published items in force that are drawn at random."""
    return InspectionItem.objects.filter(agency=agency, random=True).in_force().order_by("code")


def effective_percents(plan: Plan) -> dict[str, str]:
    """Per tier, the share the plan draws (two decimals): once approved, the shares frozen with it; for a draft, its
    own setting, or else the highest draw_percent among its items' frequencies for that tier (so that every item's
    share is met), or 0."""
    if plan.status != Plan.Status.DRAFT:
        return {tier: plan.percents[tier] for tier in STRATA}
    defaults: dict[str, Decimal] = {}
    for item in plan.items.all():  # prefetched with their frequencies by plans_for_user
        for frequency in item.frequencies.all():
            defaults[frequency.tier] = max(defaults.get(frequency.tier, frequency.draw_percent), frequency.draw_percent)
    return {
        tier: f"{Decimal(plan.percents.get(tier, defaults.get(tier, 0))):.2f}"
        for tier in STRATA  # the algorithm's strata, which are the tiers of cases.Tier
    }


def population(plan: Plan) -> dict[str, list[str]]:
    """The eligible enterprises by tier, each list of USCCs sorted: organisations registered in the plan's agency or
    below it, with a credit code, in the plan's areas and industries; one per code (the first registered gives its
    tier)."""
    parties = Party.objects.filter(
        agency__path__startswith=plan.agency.path, kind__in=ORGANISATIONS, tier__in=Tier.values
    ).exclude(uscc="")
    if plan.divisions:
        areas = Q()
        for prefix in plan.divisions:
            areas |= Q(division__startswith=prefix)
        parties = parties.filter(areas)
    if plan.industries:
        parties = parties.filter(industry__in=plan.industries)
    tiers: dict[str, list[str]] = {tier: [] for tier in STRATA}
    last = None
    for uscc, tier in parties.order_by("uscc", "pk").values_list("uscc", "tier").iterator(chunk_size=10_000):
        if uscc != last:
            tiers[tier].append(uscc)
            last = uscc
    return tiers


def officer_pool(agency: Agency, day: dt.date) -> list[str]:
    """The certificate numbers, sorted, of the agency's inspectors on `day` (selectors.inspector_certificates)."""
    return sorted(set(inspector_certificates(agency, day=day).values_list("number", flat=True)))


def recusals_for(plan: Plan, codes: set[str], pool: list[str]) -> dict[str, list[str]]:
    """Per USCC in `codes`, the pool's certificate numbers that may not inspect it: declared conflicts and
    kinships, and both officers of its previous draw pair in this agency (never the same officer twice running)."""
    pool_set = set(pool)
    barred: dict[str, set[str]] = {}
    declared = Recusal.objects.filter(officer__agency=plan.agency).values_list("party__uscc", "officer_id")
    holders = dict(
        Certificate.objects.filter(number__in=pool_set).values_list("holder_id", "number").order_by("number")
    )
    for uscc, officer_id in declared:
        number = holders.get(officer_id)
        if uscc in codes and number is not None:
            barred.setdefault(uscc, set()).add(number)
    previous = (
        DrawTarget.objects.filter(plan__agency=plan.agency, first_certificate__isnull=False)
        .exclude(plan=plan)
        .order_by("uscc", "-plan__draw__performed_at", "-pk")
        .values_list("uscc", "first_certificate__number", "second_certificate__number")
    )
    seen = set()
    for uscc, first, second in previous.iterator(chunk_size=10_000):
        if uscc in seen or uscc not in codes:
            continue
        seen.add(uscc)
        for number in (first, second):
            if number in pool_set:
                barred.setdefault(uscc, set()).add(number)
    return {uscc: sorted(numbers) for uscc, numbers in sorted(barred.items())}


def commitment_content(plan: Plan, *, day: dt.date) -> dict:
    """What approving `plan` on `day` commits to: the plan itself and every input of the draw but the seed."""
    enterprises = population(plan)
    pool = officer_pool(plan.agency, day)
    codes = {uscc for members in enterprises.values() for uscc in members}
    return {
        "format": FORMAT,
        "algorithm": ALGORITHM,
        "plan": plan.pk,
        "agency": {"code": plan.agency.code, "name": plan.agency.name},
        "title": plan.title,
        "period": {"start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()},
        "items": [{"code": item.code, "name": item.name} for item in plan.items.order_by("code")],
        "scope": {"divisions": sorted(plan.divisions), "industries": sorted(plan.industries)},
        "percents": effective_percents(plan),
        "approved_on": day.isoformat(),
        "population": enterprises,
        "officers": pool,
        "recusals": recusals_for(plan, codes, pool),
    }


def seed_checkpoint(commitment: PlanCommitment) -> Checkpoint | None:
    """The first signed checkpoint that covers the commitment's entry: its root is the draw's seed (none yet while
    the draw waits for it)."""
    return Checkpoint.objects.filter(size__gt=commitment.ledger_index).order_by("size").first()


def draw_export(plan: Plan) -> dict:
    """The draw as published: its seed checkpoint, the plan's digest, and every target with its pair — what
    tools/verify_draw.py prints from the plan's JSON and the checkpoint."""
    draw = plan.draw
    targets = plan.targets.order_by("rank").values_list(
        "rank", "tier", "uscc", "score", "first_certificate__number", "second_certificate__number"
    )
    return {
        "algorithm": draw.algorithm,
        "plan_digest": plan.commitment.digest,
        "checkpoint": {"size": draw.checkpoint_size, "root": draw.seed},
        "lapsed": draw.lapsed,
        "targets": [
            {"rank": rank, "tier": tier, "uscc": uscc, "score": score, "officers": [first, second] if first else []}
            for rank, tier, uscc, score, first, second in targets
        ],
    }


def results_due(user, *, today: dt.date, within_days: int = 5):
    """Per plan the user publishes for (heads and publicity clerks of its agency), the results recorded and not yet
    published whose deadline falls within `within_days` or has passed: (plan, count, earliest deadline)."""
    if not (user.is_superuser or {Role.HEAD, Role.PUBLICITY_CLERK} & user.roles):
        return []
    rows = (
        DrawTarget.objects.awaiting_publication()
        .filter(
            plan__agency__in=Agency.objects.visible_to(user),
            publish_due_on__lte=today + dt.timedelta(days=within_days),
        )
        .values("plan")
        .annotate(count=Count("pk"), due_on=Min("publish_due_on"))
        .order_by("due_on")
    )
    plans = Plan.objects.select_related("agency").in_bulk([row["plan"] for row in rows])
    return [(plans[row["plan"]], row["count"], row["due_on"]) for row in rows]


def result_counts(plan: Plan, *, published_only: bool) -> dict[str, int]:
    """Targets, inspected, and each result, zeros included."""
    targets = plan.targets.all()
    recorded = targets.filter(published_at__isnull=False) if published_only else targets.exclude(result="")
    by_result = dict(recorded.values_list("result").annotate(count=Count("pk")).values_list("result", "count"))
    return {
        "targets": targets.count(),
        "inspected": sum(by_result.values()),
        **{result: by_result.get(result, 0) for result in Result.values},
    }


# The portal: plans that are approved (committed) or later, their published facts only.


def public_agencies():
    """Active agencies with the number of plans each has committed."""
    return (
        Agency.objects.filter(is_active=True)
        .annotate(plans_count=Count("plans", filter=Q(plans__status__in=PUBLIC_STATES)))
        .order_by("path")
    )


def public_plans(agency: Agency | None = None):
    """Committed plans (approved, drawn, closed) of active agencies — of `agency` when given — newest first."""
    plans = Plan.objects.filter(status__in=PUBLIC_STATES, agency__is_active=True)
    if agency is not None:
        plans = plans.filter(agency=agency)
    # The committed JSON (megabytes for a large population) is read only when downloaded.
    return (
        plans.select_related("agency", "commitment", "draw").defer("commitment__body").order_by("-period_start", "-id")
    )


def public_plan(plan_id: int, *, agency: Agency | None = None) -> Plan:
    """A committed plan of an active agency (of `agency` when given), for anyone (404 for any other)."""
    plan = public_plans(agency).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def public_targets(plan: Plan, *, after: int = 0, limit: int = 50) -> list[DrawTarget]:
    """A page of the drawn targets from rank `after` on (keyset: as fast on the last page as on the first)."""
    return list(
        plan.targets.filter(rank__gt=after)
        .select_related("party", "first_certificate__holder", "second_certificate__holder")
        .order_by("rank")[:limit]
    )
