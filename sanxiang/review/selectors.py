"""Reads with policy for legal review: the access gate, who may review or answer for a case or a licence
application, whether the decision gate is open, the reviewer's queue and the statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Role
from sanxiang.agencies.selectors import can_view
from sanxiang.cases import gates
from sanxiang.cases.models import Approval, Case
from sanxiang.core.calendar import work_calendar
from sanxiang.core.errors import RuleViolation
from sanxiang.licensing.models import Application
from sanxiang.review.catalogue import catalogue_for
from sanxiang.review.materials import LABELS, changed_since
from sanxiang.review.models import Coordination, Review, ReviewRule, Round

if TYPE_CHECKING:  # the subjects read these selectors
    from sanxiang.review.subjects import Subject

# 《行政处罚法》（2021年修订）第五十八条第二款 took effect on 15 July 2021: who was reviewing before it is not
# "初次从事" and keeps reviewing without the 法律职业资格.
QUALIFICATION_FROM = dt.date(2021, 7, 15)
QUALIFICATION_CITATION = "《行政处罚法》第五十八条第二款（2021年7月15日起施行）"
SEPARATION_CITATION = "查处分离（《环境行政处罚办法》第五条）；《行政处罚法》第四十三条"
OPEN = (Review.Status.OPEN, Review.Status.PROBLEMS, Review.Status.COORDINATION)
# What every page and answer shows of the decision reviewed: the case and its party, or the application and its type.
SUBJECT = ("case__party", "application__licence_type")


def review_get_for_user(*, user, review_id: int) -> Review:
    """The review if `user` may see its agency (404 otherwise)."""
    review = (
        Review.objects.select_related(*SUBJECT, "case__agency", "application__agency", "agency")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not can_view(user, review.agency):
        raise Http404
    return review


def review_rule_get(*, agency: Agency, rule_id: int) -> ReviewRule:
    """A line of the catalogue `agency` applies, its own or inherited (404 for any other: another agency's line is
    not its to change)."""
    rule = next((rule for rule in catalogue_for(agency) if rule.pk == rule_id), None)
    if rule is None:
        raise Http404
    return rule


def is_handling_unit(user, case: Case) -> bool:
    """承办机构: the investigators of the case, and the heads who answer for it."""
    return can_view(user, case.agency) and gates.handles_case(user, case)


def is_application_handler(user, application: Application) -> bool:
    """承办机构 of a licence application: its officers (审查人员), and the heads who answer for it (of its agency or
    one above it)."""
    return can_view(user, application.agency) and (
        gates.is_head(user, application.agency) or application.officers.filter(pk=user.pk).exists()
    )


def require_handling_unit(user, subject: Subject) -> None:
    """Refuse (403) anyone outside the handling unit of the decision reviewed (a review subject, subjects.py)."""
    if user is not None and not subject.handled_by(user):
        raise PermissionDenied(str(subject.handlers_only))


def reviewer_refusal(user, subject: Subject) -> None:
    """Refuse a reviewer without the role, the qualification, or with a conflict in the decision reviewed (a review
    subject, subjects.py) — with the reason."""
    if not (can_view(user, subject.agency) and user.has_role(Role.REVIEWER)):
        raise PermissionDenied(_("只有本机关或上级机关的法制审核人员可以审核%(noun)s。") % {"noun": subject.noun})
    first_time = user.reviewing_since is None or user.reviewing_since >= QUALIFICATION_FROM
    if subject.needs_qualification and first_time and not user.has_legal_qualification:
        raise RuleViolation(
            _(
                "%(name)s 未取得法律职业资格，初次从事行政处罚决定法制审核的人员应当通过国家统一法律职业资格考试取得法律职业资格"
            )
            % {"name": user.full_name},
            code="reviewer_unqualified",
            citation=QUALIFICATION_CITATION,
        )
    roles = subject.conflicts(user)
    if roles:
        raise RuleViolation(
            _("%(name)s 在%(noun)s中担任%(roles)s，不能审核%(noun)s")
            % {"name": user.full_name, "roles": "、".join(roles), "noun": subject.noun},
            code="reviewer_conflict",
            citation=subject.separation_citation,
        )


def conflicts(user, case: Case) -> list[str]:
    """The parts `user` played in the case that bar them from reviewing it."""
    parts = []
    if case.investigators.filter(pk=user.pk).exists() or (
        case.inspection_id and case.inspection.officers.filter(pk=user.pk).exists()
    ):
        parts.append(_("调查人员"))
    if Approval.objects.filter(case=case, step=Approval.Step.FILING, approver=user).exists():
        parts.append(_("立案审批人"))
    if case.hearing_presiding_id == user.pk:
        parts.append(_("听证主持人"))
    if Round.objects.filter(review__case=case, submitted_by=user).exists():
        parts.append(_("送审人"))
    return parts


def application_conflicts(user, application: Application) -> list[str]:
    """The parts `user` played in the application that bar them from reviewing its decision: an officer who examined
    it or checked its site (审查人员), or who sent it for review."""
    examined = application.examinations.filter(Q(officers=user) | Q(recorded_by=user)).exists()
    parts = [_("审查人员")] if examined or application.officers.filter(pk=user.pk).exists() else []
    if Round.objects.filter(review__application=application, submitted_by=user).exists():
        parts.append(_("送审人"))
    return parts


def latest_review(subject: Case | Application) -> Review | None:
    """The latest review of a case or an application: the one the decision's gate reads."""
    return subject.reviews.order_by("-id").first()


def cleared_round(review: Review | None) -> Round | None:
    """The round whose opinion allows the decision, or None: the review's latest round, agreed — or contested and
    overruled by the coordination of that round. A status written past the services opens nothing."""
    if review is None or review.status not in (Review.Status.AGREED, Review.Status.OVERRULED):
        return None
    last = review.rounds.order_by("-number").first()
    if review.status == Review.Status.AGREED and last.outcome != Round.Outcome.AGREE:
        return None
    if (
        review.status == Review.Status.OVERRULED
        and not review.coordinations.filter(round=last, decision=Coordination.Decision.OVERRULE).exists()
    ):
        return None
    return last


def decision_cleared(case: Case) -> str:
    """Why the review does not yet allow the decision ("" when it does).

    Only the case's latest review counts: agreed on its latest round, or closed by a coordination that overruled the
    opinion — and only for the decision the reviewer saw.
    """
    last = cleared_round(latest_review(case))
    if last is None:
        return _("未经法制审核或者审核未通过的，不得作出决定")
    changed = changed_since(last.materials, case)
    if changed:
        return _("法制审核后%(what)s已改变，须重新送审") % {"what": "、".join(changed)}
    return ""


def round_changes(previous: Round, current: Round, labels: dict = LABELS) -> list[str]:
    """What the handling unit changed between two submissions, by the names of the materials (a case's, or those
    `labels` name)."""
    return [
        str(label)
        for key, label in labels.items()
        if key != "decision" and previous.materials.get(key) != current.materials.get(key)
    ]


def reviews_for_user(user, *, status: str = "") -> QuerySet[Review]:
    reviews = Review.objects.filter(agency__in=Agency.objects.visible_to(user)).select_related(*SUBJECT, "agency")
    return reviews.filter(status=status) if status else reviews


def queue_for_user(user) -> list[Round]:
    """The reviewer's queue: the latest round of each review waiting for an opinion, earliest due first."""
    latest = Round.objects.filter(review=OuterRef("review")).order_by("-number").values("number")[:1]
    return list(
        Round.objects.filter(review__in=reviews_for_user(user, status=Review.Status.OPEN), number=Subquery(latest))
        .select_related(*(f"review__{path}" for path in SUBJECT), "review__agency", "reviewer", "submitted_by")
        .order_by("due_on", "id")
    )


def rounds_overdue(*, today: dt.date) -> QuerySet[Round]:
    """Rounds waiting for an opinion past their review period (for the heads' alerts)."""
    return Round.objects.filter(review__status=Review.Status.OPEN, outcome="", due_on__lt=today).select_related(
        "review__case", "review__application", "review__agency"
    )


def rounds_overdue_in(agencies, *, today: dt.date) -> QuerySet[Round]:
    """The overdue rounds (rounds_overdue) of reviews in `agencies`, for a desk above them."""
    return rounds_overdue(today=today).filter(review__agency__in=agencies)


def reviews_overruled(agencies, *, year: int) -> QuerySet[Review]:
    """Reviews of `agencies` closed in `year` by a coordination that did not adopt the opinion (经协调，不采纳审核意见),
    for a desk above them: the caller chose the agencies."""
    return Review.objects.filter(
        agency__in=agencies, status=Review.Status.OVERRULED, closed_at__year=year
    ).select_related("agency", "case__party", "application")


def statistics_for(agency: Agency, *, year: int) -> dict:
    """Reviews opened in `year` by the agency and the agencies below it: how many, first-round pass rate, rounds,
    median time to a final opinion in working days."""
    reviews = list(
        Review.objects.filter(agency__path__startswith=agency.path, opened_at__year=year)
        .annotate(rounds_count=Max("rounds__number"))
        .prefetch_related("rounds")
    )
    first = [review.rounds.all()[0] for review in reviews]
    decided_first = [row for row in first if row.outcome]
    closed = [review for review in reviews if review.closed_at]
    calendar = work_calendar()
    durations = [
        calendar.working_days_between(timezone.localdate(review.opened_at), timezone.localdate(review.closed_at))
        for review in closed
    ]
    return {
        "year": year,
        "reviews": len(reviews),
        "open": sum(review.status in OPEN for review in reviews),
        "agreed": sum(review.status == Review.Status.AGREED for review in reviews),
        "overruled": sum(review.status == Review.Status.OVERRULED for review in reviews),
        "first_round_pass_rate": round(
            sum(row.outcome == Round.Outcome.AGREE for row in decided_first) / len(decided_first), 3
        )
        if decided_first
        else None,
        "average_rounds": round(sum(review.rounds_count for review in closed) / len(closed), 2) if closed else None,
        "median_workdays": statistics.median(durations) if durations else None,
    }
