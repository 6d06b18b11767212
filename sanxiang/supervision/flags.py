"""What the supervision desk flags across the agencies a supervisor supervises: each kind read from the app that owns
the record, through that app's own selector (the policy — which agencies — is the desk's), with the page it links to.

A kind's reader takes the agencies, the day and the year, and returns rows of Flag; the desk counts them per agency
and lists them. Record pages are linked by URL name only (`reverse` at run time), never by importing a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.selectors import cases_overdue
from sanxiang.inspections import feedback_selectors
from sanxiang.inspections.approval_selectors import cap_overrides
from sanxiang.licensing.selectors import applications_overdue
from sanxiang.publicity.selectors import publications_corrected, publications_late, publications_withdrawn
from sanxiang.review.selectors import reviews_overruled, rounds_overdue_in

LIMIT = 200  # rows a kind lists at most on the desk; the counts are exact
LOW_STARS = 2  # a rating of this many stars or fewer is flagged


@dataclass(frozen=True)
class Flag:
    kind: str
    record_id: int
    agency_id: int
    agency_name: str
    label: str
    day: dt.date | None
    url: str
    kind_label: str = ""


@dataclass(frozen=True)
class FlagKind:
    key: str
    label: str
    read: Callable  # (agencies, today, year, user) -> queryset
    row: Callable  # (object) -> (record id, agency, label, day, url)
    agency_field: str = "agency"  # the path from a row to its agency, for the counts per agency


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


KINDS: dict[str, FlagKind] = {
    kind.key: kind
    for kind in [
        FlagKind(
            "case_overdue",
            _("案件超过法定期限"),
            lambda agencies, today, year, user: (
                cases_overdue(agencies, today=today).select_related("agency", "party").order_by("next_due_on", "id")
            ),
            lambda case: (
                case.pk,
                case.agency,
                f"{case.number or _('（未立案）')} {case.title} · {case.get_stage_display()}",
                case.next_due_on,
                reverse("cases:case-detail", args=[case.pk]),
            ),
        ),
        FlagKind(
            "application_overdue",
            _("行政许可超过办理期限"),
            lambda agencies, today, year, user: (
                applications_overdue(agencies, today=today)
                .select_related("agency", "licence_type")
                .order_by("received_on", "id")
            ),
            lambda application: (
                application.pk,
                application.agency,
                f"{application.number} {application.licence_type.name} · {application.get_status_display()}",
                application.received_on,
                reverse("licensing:application", args=[application.pk]),
            ),
        ),
        FlagKind(
            "review_overdue",
            _("法制审核超过审核期限"),
            lambda agencies, today, year, user: rounds_overdue_in(agencies, today=today).order_by("due_on", "id"),
            lambda round_: (
                round_.review_id,
                round_.review.agency,
                str(_("第%(n)d轮审核，期限 %(due)s")) % {"n": round_.number, "due": round_.due_on.isoformat()},
                round_.due_on,
                reverse("review:review", args=[round_.review_id]),
            ),
            "review__agency",
        ),
        FlagKind(
            "review_overruled",
            _("经协调不采纳法制审核意见"),
            lambda agencies, today, year, user: reviews_overruled(agencies, year=year).order_by("-closed_at", "-id"),
            lambda review: (
                review.pk,
                review.agency,
                f"{review.subject_number or _('（未编号）')} {review.party_name}",
                _day(review.closed_at),
                reverse("review:review", args=[review.pk]),
            ),
        ),
        FlagKind(
            "publication_late",
            _("公示迟延或逾期未公示"),
            lambda agencies, today, year, user: (
                publications_late(agencies, today=today, year=year).select_related("agency").order_by("due_on", "id")
            ),
            lambda publication: (
                publication.pk,
                publication.agency,
                f"{publication.number} · {publication.get_status_display()}"
                + (f" {publication.published_on.isoformat()}" if publication.published_on else ""),
                publication.due_on,
                reverse("publicity:publication", args=[publication.pk]),
            ),
        ),
        FlagKind(
            "publication_corrected",
            _("公示更正"),
            lambda agencies, today, year, user: publications_corrected(agencies, year=year).order_by(
                "-published_at", "-id"
            ),
            lambda version: (
                version.publication_id,
                version.publication.agency,
                str(_("%(number)s 第%(n)d版：%(reason)s"))
                % {"number": version.publication.number, "n": version.number, "reason": version.reason[:80]},
                _day(version.published_at),
                reverse("publicity:publication", args=[version.publication_id]),
            ),
            "publication__agency",
        ),
        FlagKind(
            "publication_withdrawn",
            _("公示撤回"),
            lambda agencies, today, year, user: (
                publications_withdrawn(agencies, year=year).select_related("agency").order_by("-withdrawn_at", "-id")
            ),
            lambda publication: (
                publication.pk,
                publication.agency,
                f"{publication.number}：{publication.withdrawal_reason[:80]}",
                _day(publication.withdrawn_at),
                reverse("publicity:publication", args=[publication.pk]),
            ),
        ),
        FlagKind(
            "cap_override",
            _("超出年度检查频次上限"),
            lambda agencies, today, year, user: (
                cap_overrides(agencies, year=year).select_related("agency", "party").order_by("-requested_at", "-id")
            ),
            lambda approval: (
                approval.pk,
                approval.agency,
                f"{approval.party.name} · {approval.get_status_display()}",
                _day(approval.requested_at),
                reverse("approvals:approval", args=[approval.pk]),
            ),
        ),
        FlagKind(
            "complaint",
            _("企业对检查的投诉"),
            lambda agencies, today, year, user: feedback_selectors.complaints_for(user).filter(
                approval__agency__in=agencies, created_at__year=year
            ),
            lambda complaint: (
                complaint.pk,
                complaint.approval.agency,
                f"{complaint.approval.party.name} · {complaint.get_category_display()}",
                _day(complaint.created_at),
                reverse("inspections:supervision") + f"?agency={complaint.approval.agency.code}",
            ),
            "approval__agency",
        ),
        FlagKind(
            "low_rating",
            _("企业对检查的差评"),
            lambda agencies, today, year, user: feedback_selectors.ratings_for(user).filter(
                approval__agency__in=agencies, created_at__year=year, stars__lte=LOW_STARS
            ),
            lambda rating: (
                rating.pk,
                rating.approval.agency,
                str(_("%(party)s · %(stars)d 星")) % {"party": rating.approval.party.name, "stars": rating.stars},
                _day(rating.created_at),
                reverse("inspections:supervision") + f"?agency={rating.approval.agency.code}",
            ),
            "approval__agency",
        ),
    ]
}


def flags_of(kind: FlagKind, rows: QuerySet, *, limit: int = LIMIT) -> list[Flag]:
    result = []
    for row in rows[:limit]:
        record_id, agency, label, day, url = kind.row(row)
        result.append(Flag(kind.key, record_id, agency.pk, agency.name, label, day, url, str(kind.label)))
    return result
