"""Reads of the inspection items and the inspector directory: the access gate of an item, the staff's lists, who may
keep an agency's items and rules, and what the portal publishes (items in force, the rules, the inspectors)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.agencies.models import Agency, Certificate, EnforcementDomain, Role
from sanxiang.agencies.selectors import can_view
from sanxiang.inspections.models import InspectionItem, InspectionRules, ItemFrequency
from sanxiang.powers.selectors import by_status, may_keep_powers


def may_keep_items(user, agency: Agency) -> bool:
    """Whether `user` keeps the agency's inspection items and working rules: whoever keeps its powers, on which the
    items hang (the services check the same)."""
    return may_keep_powers(user, agency)


def _with_frequencies(items: QuerySet[InspectionItem]) -> QuerySet[InspectionItem]:
    # the most watched tier (the largest share) first
    ordered = ItemFrequency.objects.order_by("item", "-draw_percent", "tier")
    return items.prefetch_related(Prefetch("frequencies", queryset=ordered))


def item_get_for_user(*, user, item_id) -> InspectionItem:
    """An item of an agency the user may see (404 otherwise)."""
    item = InspectionItem.objects.select_related("agency", "power").filter(pk=item_id).first()
    if item is None or not can_view(user, item.agency):
        raise Http404
    return item


def items_for_user(user, *, agency: Agency | None = None, status: str = "", search: str = "") -> QuerySet:
    """Items in the user's scope, by agency; `status` keeps those in force or withdrawn."""
    items = InspectionItem.objects.visible_to(user).select_related("agency", "power")
    if agency is not None:
        items = items.filter(agency=agency)
    items = by_status(items, status)
    if search:
        items = items.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(subject__icontains=search))
    return _with_frequencies(items.order_by("agency__path", "code"))


def rules_of(agency: Agency) -> InspectionRules | None:
    """The agency's working rules (抽查工作细则), if it has published them."""
    return InspectionRules.objects.filter(agency=agency).first()


def items_public(agency: Agency, *, on: dt.date | None = None) -> QuerySet[InspectionItem]:
    """双随机抽查事项清单: the agency's items in force on `on` (today), with their frequency per tier and power."""
    items = InspectionItem.objects.filter(agency=agency).in_force(on or timezone.localdate()).select_related("power")
    return _with_frequencies(items.order_by("code"))


def inspector_certificates(agency: Agency, *, day: dt.date) -> QuerySet[Certificate]:
    """执法检查人员: the one definition of who may be drawn to inspect for the agency on `day` — an officer of the
    agency, account in use, holding an ecological enforcement certificate valid that day (someone who has left
    keeps no place even before the certificate is revoked). The directory, the pool a plan commits to and the
    officers lapsed at its draw all read it."""
    return Certificate.objects.valid_on(day).filter(
        domain=EnforcementDomain.ECOLOGY,
        holder__agency=agency,
        holder__is_active=True,
        holder__role_assignments__role=Role.OFFICER,
    )


def inspectors(agency: Agency, *, today: dt.date) -> QuerySet[Certificate]:
    """执法检查人员名录库: the agency's inspectors today, as the portal shows its officer list (name, certificate
    number, field, validity)."""
    return inspector_certificates(agency, day=today).select_related("holder").order_by("holder__full_name", "number")


def rules_get_for_user(*, user, rules_id) -> InspectionRules:
    """An agency's working rules, for whoever may see the agency (404 otherwise); public once published anyway."""
    rules = InspectionRules.objects.select_related("agency").filter(pk=rules_id).first()
    if rules is None or not can_view(user, rules.agency):
        raise Http404
    return rules
