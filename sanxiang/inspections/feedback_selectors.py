"""Reads of 扫码入企: the public page of a code (what the enterprise may check about the inspection at its door), and
the supervisors' reads of ratings and complaints with the check that each still matches its ledger entry.

Ratings and complaints are never shown to the inspecting unit, not even its heads (深圳“行政执法监督码管理规定”:
评价匿名、对被监督单位不公开): only supervisors (Role.SUPERVISOR) of an agency strictly above it read them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sanxiang.agencies.models import Agency, Certificate, EnforcementDomain
from sanxiang.cases.models import Inspection
from sanxiang.inspections.approval_models import Approval
from sanxiang.inspections.approval_selectors import is_supervisor
from sanxiang.inspections.feedback_models import InspectionComplaint, InspectionRating
from sanxiang.ledger.canonical import snapshot_digest
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.ledger.vocabulary import subject_type

COMPLAINTS_PER_CODE = 3  # a few complaints about one visit say all there is; more is flooding
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,24}")  # approvals._code(): secrets.token_urlsafe(12)


def approval_by_code(code: str) -> Approval:
    """The approval a 扫码入企 code names (404 for any other string: the page reveals nothing else)."""
    if not CODE_SHAPE.fullmatch(code or ""):
        raise Http404
    approval = Approval.objects.select_related("agency", "party", "inspection").filter(code=code).first()
    if approval is None:
        raise Http404
    return approval


def check_url(code: str, *, absolute: bool = True) -> str:
    """The address of a code's public page, as its QR code holds it (a link to the portal's page by name, as
    documents prints its verification address; no import of the portal)."""
    path = reverse("portal:check", args=[code])
    return f"{settings.PUBLIC_URL}{path}" if absolute else path


def inspection_completed(approval: Approval) -> bool:
    return approval.inspection is not None and approval.inspection.status == Inspection.Status.COMPLETED


@dataclass(frozen=True)
class CheckOfficer:
    name: str
    number: str
    valid_today: bool


def _officers(approval: Approval, today: dt.date) -> list[CheckOfficer]:
    """Each officer of the inspection with the certificate shown at the door and whether it is valid today; an
    officer without one reads as not valid."""
    holders = list(approval.officers.order_by("full_name", "pk"))
    certificates: dict[int, Certificate] = {}
    # the live certificate first (a valid one before a suspended or revoked one), then the newest
    held = Certificate.objects.filter(holder__in=holders, domain=EnforcementDomain.ECOLOGY).order_by("-issued_on")
    for certificate in held:
        current = certificates.get(certificate.holder_id)
        if current is None or (certificate.is_valid_on(today) and not current.is_valid_on(today)):
            certificates[certificate.holder_id] = certificate
    rows = []
    for holder in holders:
        certificate = certificates.get(holder.pk)
        rows.append(
            CheckOfficer(
                holder.full_name,
                certificate.number if certificate else "",
                certificate is not None and certificate.is_valid_on(today),
            )
        )
    return rows


def check_public(approval: Approval) -> dict:
    """What the code's public page shows: that the inspection is registered, by whom, on what, when, its approval
    in words, its officers with their certificates today, and whether the enterprise may rate or complain now."""
    today = timezone.localdate()
    completed = inspection_completed(approval)
    return {
        "approval": approval,
        "agency": approval.agency,
        "party_name": approval.party.name,
        "items": list(approval.items.order_by("code")),
        "status": approval.get_status_display(),
        "approved": approval.status in (Approval.Status.APPROVED, Approval.Status.INSPECTED, Approval.Status.RATIFIED),
        "officers": _officers(approval, today),
        "today": today,
        "completed": completed,
        "may_rate": completed and not InspectionRating.objects.filter(approval=approval).exists(),
        "may_complain": completed and approval.complaints.count() < COMPLAINTS_PER_CODE,
    }


# ---- supervision ----


def supervised_agencies(user) -> QuerySet[Agency]:
    """The agencies whose feedback `user` reads: strictly below the supervisor's own agency (none for anyone else)."""
    if not is_supervisor(user) or not user.is_active or user.agency_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(path__startswith=user.agency.path).exclude(pk=user.agency_id)


def may_supervise(user) -> bool:
    """The access check of the supervision page and API: a supervisor of an agency with agencies below it."""
    return supervised_agencies(user).exists()


def supervision_require(user) -> None:
    """404 for anyone but a supervisor above some agency: the page's existence is itself not for the inspected."""
    if not may_supervise(user):
        raise Http404


def ratings_for(user, *, agency: Agency | None = None, stars: int | None = None) -> QuerySet[InspectionRating]:
    rows = InspectionRating.objects.filter(approval__agency__in=supervised_agencies(user))
    if agency is not None:
        rows = rows.filter(approval__agency__path__startswith=agency.path)
    if stars:
        rows = rows.filter(stars=stars)
    return rows.select_related("approval__agency", "approval__party").order_by("-created_at", "-id")


def complaints_for(user, *, agency: Agency | None = None, category: str = "") -> QuerySet[InspectionComplaint]:
    rows = InspectionComplaint.objects.filter(approval__agency__in=supervised_agencies(user))
    if agency is not None:
        rows = rows.filter(approval__agency__path__startswith=agency.path)
    if category:
        rows = rows.filter(category=category)
    return rows.select_related("approval__agency", "approval__party").order_by("-created_at", "-id")


def feedback_get_for_user(*, user, feedback_id, model=InspectionRating):
    """The history gate of a rating or complaint: only the supervisors above its inspecting agency (404 otherwise)."""
    row = model.objects.filter(pk=feedback_id, approval__agency__in=supervised_agencies(user)).first()
    if row is None:
        raise Http404
    return row


def complaint_get_for_user(*, user, complaint_id):
    return feedback_get_for_user(user=user, feedback_id=complaint_id, model=InspectionComplaint)


def intact(rows) -> dict[int, bool]:
    """For each rating or complaint, whether its stored content still has the digest its ledger entry recorded
    when it was written: a row changed outside the service no longer matches (one query for all rows)."""
    rows = list(rows)
    if not rows:
        return {}
    kind = subject_type(type(rows[0]))
    entries = Entry.objects.filter(subject_type=kind, subject_id__in=[str(row.pk) for row in rows]).order_by("index")
    recorded = {int(entry.subject_id): entry_json(entry)["data"].get("digest") for entry in entries}
    return {row.pk: recorded.get(row.pk) == snapshot_digest(row) for row in rows}


def unregistered_inspections(user) -> QuerySet[Inspection]:
    """The inspections of the supervised agencies without a registered code (no approval, or one without a code):
    国办发〔2024〕54号 wants every inspection registered and known to the enterprise."""
    return Inspection.objects.filter(agency__in=supervised_agencies(user)).filter(
        Q(approval__isnull=True) | Q(approval__code__isnull=True)
    )


def inspections_per_agency(user, *, year: int) -> list[dict]:
    """Counted inspections per supervised agency in `year`, for the bar chart of the supervision page."""
    rows = (
        Approval.objects.counted()
        .filter(year=year, agency__in=supervised_agencies(user))
        .values("agency__name")
        .annotate(total=Count("pk"))
        .order_by("-total", "agency__name")
    )
    top = max((row["total"] for row in rows), default=0)
    return [{"agency": row["agency__name"], "total": row["total"], "top": top} for row in rows]
