"""Reads of the powers catalogue: its access gate, the staff's lists, who may keep an agency's catalogue, and what
the portal publishes (the powers in force, nothing withdrawn or not yet published)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import can_manage, can_view
from sanxiang.powers.models import Power, PowerKind

IN_FORCE, WITHDRAWN = "in_force", "withdrawn"


def may_keep_powers(user, agency: Agency) -> bool:
    """Whether `user` may add, correct, withdraw and import the agency's powers: its system administrators and
    those above (the services check the same with agency_require(..., MANAGE))."""
    return can_manage(user, agency)


def agencies_kept_by(user, *, keeps: Callable[[object, Agency], bool] = may_keep_powers) -> QuerySet[Agency]:
    """The active agencies whose catalogue `user` keeps, their own first: by `keeps(user, agency)`, the gate of the
    catalogue (the powers, on which the inspection items hang; a directory of parties)."""
    visible = Agency.objects.visible_to(user).filter(is_active=True).order_by("path")
    return visible.filter(pk__in=[agency.pk for agency in visible if keeps(user, agency)])


def power_get_for_user(*, user, power_id) -> Power:
    """A power of an agency the user may see (404 otherwise): staff read their own agency's catalogue and those of
    the agencies below it."""
    power = Power.objects.select_related("agency").filter(pk=power_id).first()
    if power is None or not can_view(user, power.agency):
        raise Http404
    return power


def powers_for_user(
    user, *, agency: Agency | None = None, kind: str = "", status: str = "", search: str = ""
) -> QuerySet[Power]:
    """Powers in the user's scope, by agency and kind; `status` keeps those in force or withdrawn."""
    powers = Power.objects.visible_to(user).select_related("agency")
    if agency is not None:
        powers = powers.filter(agency=agency)
    if kind:
        powers = powers.filter(kind=kind)
    powers = by_status(powers, status)
    if search:
        powers = powers.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(basis__icontains=search))
    return powers.order_by("agency__path", "kind", "code")


def by_status(records: QuerySet, status: str) -> QuerySet:
    """Records of a catalogue (powers, inspection items) in force (not withdrawn) or withdrawn; "" keeps all."""
    if status == IN_FORCE:
        return records.filter(withdrawn_on__isnull=True)
    if status == WITHDRAWN:
        return records.filter(withdrawn_on__isnull=False)
    return records


def powers_in_force(agency: Agency, *, kind: str = "", on: dt.date | None = None) -> QuerySet[Power]:
    """The agency's powers in force on `on` (today): those a new record (an inspection item, a review line) may hang
    on, and what the portal publishes."""
    powers = Power.objects.filter(agency=agency).in_force(on or timezone.localdate())
    return powers.filter(kind=kind) if kind else powers


def powers_by_kind(agency: Agency, *, on: dt.date | None = None) -> list[tuple[str, int]]:
    """How many powers of each kind the agency has in force on `on` (today), every kind named, none left out."""
    counts = dict(powers_in_force(agency, on=on).order_by().values_list("kind").annotate(Count("pk")))
    return [(label, counts.get(kind, 0)) for kind, label in PowerKind.choices]
