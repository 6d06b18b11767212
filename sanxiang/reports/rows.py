"""One line of a drill-down list for each kind of record a measure counts: what it is, its date, whom it concerns,
its amount, and the page that shows it. Only links and labels of the domain apps, no policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Row:
    label: str
    date: object
    party: str
    amount: object
    url: str


def _case(case, amount=None) -> Row:
    return Row(
        case.number or case.title,
        case.decided_on or case.filed_on,
        case.party.name,
        amount,
        reverse("cases:case-detail", args=[case.pk]),
    )


def _through_case(record) -> Row:
    return _case(record.case)


# model label → (related rows to fetch with it, the line)
ROWS = {
    "cases.Case": (("party",), lambda r: _case(r, r.decided_fine)),
    "cases.Inspection": (
        ("party",),
        lambda r: Row(r.place, r.started_at, r.party.name, None, reverse("cases:inspection-detail", args=[r.pk])),
    ),
    "cases.OnSitePenalty": (
        ("party",),
        lambda r: Row(
            r.number or r.get_kind_display(), r.decided_at, r.party.name, r.fine, reverse("cases:onsite-list")
        ),
    ),
    "cases.Seizure": (("case__party",), _through_case),
    "cases.ProductionMeasure": (("case__party",), _through_case),
    "cases.DailyPenalty": (("case__party",), _through_case),
    "cases.Challenge": (
        ("case__party",),
        lambda r: Row(
            f"{r.get_kind_display()} {r.reference or r.body}",
            r.decided_on or r.filed_on,
            r.case.party.name,
            None,
            reverse("cases:case-detail", args=[r.case_id]),
        ),
    ),
    "licensing.Application": (
        ("licence_type",),
        lambda r: Row(
            f"{r.number} {r.licence_type.name}",
            r.decided_on or r.received_on,
            r.applicant_name,
            None,
            reverse("licensing:application", args=[r.pk]),
        ),
    ),
    "licensing.Licence": (
        (),
        lambda r: Row(r.number, r.ended_on, r.holder_name, None, reverse("licensing:licence", args=[r.pk])),
    ),
    "licensing.Pause": (
        ("application",),
        lambda r: Row(
            r.application.number,
            r.held_on,
            r.application.applicant_name,
            None,
            reverse("licensing:application", args=[r.application_id]),
        ),
    ),
    "review.Review": (
        ("case__party", "application"),
        lambda r: Row(
            f"{r.subject_number or '—'} · {r.get_status_display()}",
            r.closed_at,
            r.party_name,
            None,
            reverse("review:review", args=[r.pk]),
        ),
    ),
    "publicity.Publication": (
        (),
        lambda r: Row(
            r.number,
            r.published_on or r.decided_on,
            r.party_name,
            None,
            reverse("publicity:publication", args=[r.pk]),
        ),
    ),
    "inspections.InspectionComplaint": (
        ("approval__agency",),
        lambda r: Row(r.get_category_display(), r.created_at, r.approval.agency.name, None, ""),
    ),
    "agencies.TrainingRecord": (
        ("officer",),
        lambda r: Row(
            f"{r.course}（{r.hours}学时）",
            r.ended_on,
            r.officer.full_name,
            r.hours,
            reverse("agencies:staff-detail", args=[r.officer_id]),
        ),
    ),
    "agencies.Certificate": (
        ("holder",),
        lambda r: Row(
            r.number, r.expires_on, r.holder.full_name, None, reverse("agencies:certificate-detail", args=[r.pk])
        ),
    ),
}
