"""Reads of inspection approvals (行政检查审批): the access gate, the yearly caps an inspection is counted against,
the other agencies' inspections of the same enterprise in the window of 综合查一次, and the supervision view of caps
(国办发〔2024〕54号: published yearly caps, warnings of repeat and high-frequency inspections)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Role
from sanxiang.agencies.selectors import can_view
from sanxiang.cases.models import Party
from sanxiang.core.rules import rule
from sanxiang.inspections.approval_models import Approval, PartyTally
from sanxiang.inspections.models import InspectionItem, ItemFrequency
from sanxiang.inspections.plan_models import Recusal

JOINT_RULE = "inspections.joint_window_days"
RATIFY_RULE = "inspections.emergency_ratify_workdays"
# the states in which an inspection may still be joined to another agency's visit (not begun, not decided against)
JOINABLE = (Approval.Status.REQUESTED, Approval.Status.APPROVED)


def approval_get_for_user(*, user, approval_id) -> Approval:
    """An approval of an agency the user may see, or one the user is an officer of (404 otherwise)."""
    approval = (
        Approval.objects.select_related("agency", "party", "inspection", "requested_by", "decided_by", "joint", "task")
        .filter(pk=approval_id)
        .first()
    )
    if approval is None or not (can_view(user, approval.agency) or approval.officers.filter(pk=user.pk).exists()):
        raise Http404
    return approval


def approvals_for_user(user, *, status: str = "") -> QuerySet[Approval]:
    """The approvals of the agencies in the user's scope; `status` one of Approval.Status (refused otherwise)."""
    approvals = Approval.objects.visible_to(user).select_related("agency", "party", "inspection")
    if status:
        if status not in Approval.Status.values:
            raise ValidationError({"status": _("审批状态只能是：%(s)s。") % {"s": "、".join(Approval.Status.values)}})
        approvals = approvals.filter(status=status)
    return approvals.order_by("-requested_at", "-id")


def refuse_recused(party: Party, officers) -> None:
    """回避 (《行政处罚法》第四十三条): no officer with a recusal recorded for the enterprise inspects it — on the approval,
    at its start, in an emergency, on a task."""
    recused = Recusal.objects.filter(party=party, officer__in=list(officers)).select_related("officer")
    names = sorted({recusal.officer.full_name for recusal in recused})
    if names:
        raise ValidationError(
            {"officers": _("%(names)s 已登记对该企业回避，不得参加本次检查。") % {"names": "、".join(names)}},
            code="recused",
        )


def over_cap(*, agency: Agency, party: Party, items, year: int, exclude: int | None = None) -> list[dict]:
    """The items on which one more inspection of `party` by `agency` in `year` would pass the item's yearly cap for
    the party's tier (ItemFrequency.yearly_cap, with its citation): [{item, code, name, tier, count, cap, citation}].
    An item without a frequency for the tier has no published cap, so nothing to pass."""
    counted = Approval.objects.capped().filter(agency=agency, party=party, year=year, items__in=items)
    if exclude is not None:
        counted = counted.exclude(pk=exclude)
    counts = dict(counted.order_by().values_list("items").annotate(n=Count("pk", distinct=True)))
    frequencies = {f.item_id: f for f in ItemFrequency.objects.filter(item__in=items, tier=party.tier)}
    found = []
    for item in items:
        frequency = frequencies.get(item.pk)
        if frequency is None:
            continue
        count = counts.get(item.pk, 0)
        if count + 1 > frequency.yearly_cap:
            found.append(
                {
                    "item": item.pk,
                    "code": item.code,
                    "name": item.name,
                    "tier": party.tier,
                    "count": count,
                    "cap": frequency.yearly_cap,
                    "citation": frequency.citation,
                }
            )
    return found


def joint_candidates(approval: Approval) -> QuerySet[Approval]:
    """Other agencies' inspections of the same enterprise planned or made within the window of 综合查一次 around
    this one's period: what the approval page proposes to combine."""
    window = dt.timedelta(days=rule(JOINT_RULE, approval.agency).number)
    return (
        Approval.objects.filter(status__in=JOINABLE, inspection__isnull=True)
        .filter(
            party=approval.party,
            planned_from__lte=approval.planned_to + window,
            planned_to__gte=approval.planned_from - window,
        )
        .exclude(agency=approval.agency)
        .select_related("agency", "joint")
        .order_by("planned_from")
    )


def items_for_approval(agency: Agency, on: dt.date) -> QuerySet[InspectionItem]:
    """The items in force an approval of the agency may name (no inspection on an item not published)."""
    return InspectionItem.objects.filter(agency=agency).in_force(on).order_by("code")


def is_supervisor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR)


def supervision_view(user, *, year: int, over_cap_only: bool = False, limit: int = 50) -> QuerySet[PartyTally]:
    """执法监督: the enterprises in the supervisor's agencies most inspected in `year`, those over a cap first —
    one row an enterprise (PartyTally), in the order its index keeps."""
    tallies = PartyTally.objects.filter(year=year, party__agency__in=Agency.objects.visible_to(user))
    if over_cap_only:
        tallies = tallies.filter(over_cap__gt=0)
    return tallies.select_related("party", "party__agency").order_by("-over_cap", "-total", "party_id")[:limit]


def overrides_for(user, *, year: int) -> QuerySet[Approval]:
    """The inspections approved over a cap, with the head's reason, and the emergency inspections not (yet)
    ratified, in the supervisor's agencies."""
    return (
        Approval.objects.visible_to(user)
        .filter(year=year)
        .filter(
            Q(exceeds_cap=True)
            | Q(status__in=(Approval.Status.AWAITING, Approval.Status.UNRATIFIED), source="emergency")
        )
        .select_related("agency", "party", "decided_by")
        .order_by("-requested_at")
    )


def cap_overrides(agencies, *, year: int) -> QuerySet[Approval]:
    """The inspections of `agencies` approved past a yearly cap with the head's reason, in `year` (for a desk above
    them: the caller chose the agencies)."""
    return Approval.objects.filter(agency__in=agencies, year=year, exceeds_cap=True)
