"""Reads of pre-disclosure (事前公开): the staff gate and lists, and what the portal shows — published versions of
published items only, beside the sections computed from live data each time a page is drawn (the violation
catalogue and discretion factors, the powers catalogue, the legal-review catalogue, officers with valid
certificates, service windows, procedure flowcharts and remedy periods, the 双随机 inspection items and working
rules, the 行政许可办事指南 of the licence types in force), so that they are never a stale copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import Http404

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import can_view, officers_public
from sanxiang.cases.discretion import factors_for
from sanxiang.cases.models import Violation
from sanxiang.disclosures import procedures
from sanxiang.disclosures.models import Disclosure, DisclosureVersion
from sanxiang.inspections.selectors import items_public, rules_of
from sanxiang.ledger.models import Entry
from sanxiang.ledger.vocabulary import subject_type
from sanxiang.licensing.models import LicenceType
from sanxiang.licensing.selectors import guide
from sanxiang.powers.selectors import powers_by_kind
from sanxiang.review.catalogue import catalogue_for

PUBLISHED = Disclosure.Status.PUBLISHED


@dataclass(frozen=True)
class ItemRow:
    disclosure: Disclosure
    current: DisclosureVersion | None  # the latest published version
    pending: DisclosureVersion | None  # the version waiting for review or publication (staff only)


def disclosure_get_for_user(*, user, disclosure_id: int) -> Disclosure:
    """An item of an agency the staff member may see (404 otherwise)."""
    disclosure = Disclosure.objects.select_related("agency").filter(pk=disclosure_id).first()
    if disclosure is None or not can_view(user, disclosure.agency):
        raise Http404
    return disclosure


def agency_get_for_user(*, user, code: str) -> Agency:
    """An agency the staff member may see, by its code (404 otherwise)."""
    agency = Agency.objects.visible_to(user).filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


def agencies_for_user(user):
    """The agencies in the user's scope with their items counted: published, and waiting for review or publication."""
    waiting = Q(disclosures__versions__published_at__isnull=True)
    return (
        Agency.objects.visible_to(user)
        .filter(is_active=True)
        .annotate(
            published=Count("disclosures", filter=Q(disclosures__status=PUBLISHED), distinct=True),
            to_review=Count(
                "disclosures", filter=waiting & Q(disclosures__versions__reviewed_at__isnull=True), distinct=True
            ),
            to_publish=Count(
                "disclosures", filter=waiting & Q(disclosures__versions__reviewed_at__isnull=False), distinct=True
            ),
        )
        .order_by("path")
    )


def versions_for_staff(disclosure: Disclosure):
    """Every version of an item, newest first, with who collected, reviewed and published it."""
    return disclosure.versions.select_related("collected_by", "reviewed_by", "published_by").order_by("-number")


def _rows(disclosures, versions) -> list[ItemRow]:
    current, pending = {}, {}
    for version in versions.order_by("-number"):
        if version.published_at is None:
            pending[version.disclosure_id] = version
        else:
            current.setdefault(version.disclosure_id, version)
    return [ItemRow(item, current.get(item.pk), pending.get(item.pk)) for item in disclosures]


def _by_category(rows: list[ItemRow]) -> list[dict]:
    """The six categories in the seed's order (黑环发〔2019〕112号 三(一)1 (1)–(6)), each with its rows."""
    return [
        {"category": value, "label": label, "rows": [row for row in rows if row.disclosure.category == value]}
        for value, label in Disclosure.Category.choices
    ]


def staff_items(agency: Agency) -> list[dict]:
    """All items of the agency by category, each with its published and its waiting version."""
    disclosures = agency.disclosures.order_by("order", "id")
    versions = DisclosureVersion.objects.filter(disclosure__agency=agency).select_related("collected_by", "reviewed_by")
    return _by_category(_rows(disclosures, versions))


# The portal: no user, published facts only.


def public_agencies():
    """Active agencies with the number of items each has published."""
    return (
        Agency.objects.filter(is_active=True)
        .select_related("parent")
        .annotate(published=Count("disclosures", filter=Q(disclosures__status=PUBLISHED)))
        .order_by("path")
    )


def public_items(agency: Agency) -> list[dict]:
    """The agency's published items by category, each with its latest published version; nothing else."""
    disclosures = agency.disclosures.filter(status=PUBLISHED).order_by("order", "id")
    versions = DisclosureVersion.objects.filter(disclosure__in=disclosures, published_at__isnull=False)
    return _by_category(_rows(disclosures, versions))


def public_history(agency: Agency, disclosure_id: int) -> tuple[Disclosure, list[DisclosureVersion]]:
    """A published item of `agency` and its published versions, newest first (404 for anything else)."""
    disclosure = agency.disclosures.filter(pk=disclosure_id, status=PUBLISHED).first()
    if disclosure is None:
        raise Http404
    return disclosure, list(disclosure.versions.filter(published_at__isnull=False).order_by("-number"))


def discretion_tables(agency: Agency) -> dict:
    """The violation catalogue and the discretion factors that apply to the agency — the same factors a case's
    discretion calculation uses. Factors for all violations come first, once; a factor for one violation is paired
    with it."""
    violations = list(Violation.objects.all())
    factors, seen = [], set()
    for violation in violations:
        for factor in factors_for(violation, agency):
            if factor.pk not in seen:
                seen.add(factor.pk)
                factors.append((violation, factor))
    factors.sort(key=lambda pair: pair[1].violation_id is not None)  # stable: keeps each group's own order
    return {"violations": violations, "factors": factors}


@dataclass(frozen=True)
class GuideRow:
    licence_type: LicenceType  # its materials prefetched
    changed: Entry | None  # the last public ledger entry that changed it: the version shown, checkable by anyone


def licence_guide(agency: Agency) -> list[GuideRow]:
    """The 行政许可办事指南 (item 3): the agency's licence types in force, each with its materials and the public
    ledger entry of its last change (types, materials and withdrawals are public entries, licensing.services.types),
    in three queries however many types."""
    types = list(guide(agency).order_by("code"))
    last = (
        Entry.objects.filter(
            subject_type=subject_type(LicenceType), subject_id__in=[str(kind.pk) for kind in types], public=True
        )
        .values("subject_id")
        .annotate(last=Max("index"))
        .values_list("last", flat=True)
    )
    entries = {entry.subject_id: entry for entry in Entry.objects.filter(index__in=last).defer("body")}
    return [GuideRow(kind, entries.get(str(kind.pk))) for kind in types]


def auto_sections(agency: Agency, *, today: dt.date) -> dict:
    """Everything the portal computes for an agency's pre-disclosure page, as of `today`: the powers in force
    (权责清单, item 2) counted by kind, the 行政许可办事指南 beside the procedures (item 3), and the inspection items
    with the working rules (item 5), each in full on its own page or in its section."""
    catalogue = catalogue_for(agency)
    return {
        "licence_guide": licence_guide(agency),
        "power_kinds": powers_by_kind(agency, on=today),
        "inspection_items": items_public(agency, on=today),
        "inspection_rules": rules_of(agency),
        **discretion_tables(agency),
        "certificates": officers_public(agency=agency, today=today),
        "catalogue": catalogue,
        "catalogue_owner": Agency.objects.filter(code=catalogue[0].agency_code).first() if catalogue else None,
        "windows": agency.service_windows.all(),
        "flowcharts": procedures.flowcharts(agency),
        "remedies": procedures.limits(procedures.REMEDIES, agency),
    }
