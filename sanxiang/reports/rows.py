"""One line of a drill-down list for each kind of record a measure counts: what it is, whom it concerns and the page
that shows it. The line's date is the one that put the record in the year and its amount the one summed — both the
measure's own (selectors.rows_of). Only links and labels of the domain apps, no policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Row:
    label: str
    party: str
    url: str
    date: object = None
    amount: object = None


def _case(case) -> Row:
    return Row(case.number or case.title, case.party.name, reverse("cases:case-detail", args=[case.pk]))


def _through_case(record) -> Row:
    return _case(record.case)


def _application(application) -> Row:
    return Row(
        f"{application.number} {application.licence_type.name}",
        application.applicant_name,
        reverse("licensing:application", args=[application.pk]),
    )


# model label → (related rows to fetch with it, the line)
ROWS = {
    "cases.Case": (("party",), _case),
    "cases.Inspection": (
        ("party",),
        lambda r: Row(r.place, r.party.name, reverse("cases:inspection-detail", args=[r.pk])),
    ),
    "cases.OnSitePenalty": (
        ("party",),
        lambda r: Row(r.number or r.get_kind_display(), r.party.name, reverse("cases:onsite-list")),
    ),
    "cases.Seizure": (("case__party",), _through_case),
    "cases.ProductionMeasure": (("case__party",), _through_case),
    "cases.DailyPenalty": (("case__party",), _through_case),
    "cases.Challenge": (
        ("case__party",),
        lambda r: Row(
            f"{r.get_kind_display()} {r.reference or r.body}",
            r.case.party.name,
            reverse("cases:case-detail", args=[r.case_id]),
        ),
    ),
    "licensing.Application": (("licence_type",), _application),
    "licensing.Licence": ((), lambda r: Row(r.number, r.holder_name, reverse("licensing:licence", args=[r.pk]))),
    "licensing.Pause": (("application__licence_type",), lambda r: _application(r.application)),
    "review.Review": (
        ("case__party", "application"),
        lambda r: Row(
            f"{r.subject_number or '—'} · {r.get_status_display()}", r.party_name, reverse("review:review", args=[r.pk])
        ),
    ),
    "publicity.Publication": ((), lambda r: Row(r.number, r.party_name, reverse("publicity:publication", args=[r.pk]))),
    "inspections.InspectionComplaint": (
        ("approval__agency",),
        lambda r: Row(r.get_category_display(), r.approval.agency.name, ""),
    ),
    "agencies.TrainingRecord": (
        ("officer",),
        lambda r: Row(
            f"{r.course}（{r.hours}学时）", r.officer.full_name, reverse("agencies:staff-detail", args=[r.officer_id])
        ),
    ),
    "agencies.Certificate": (
        ("holder",),
        lambda r: Row(r.number, r.holder.full_name, reverse("agencies:certificate-detail", args=[r.pk])),
    ),
}
