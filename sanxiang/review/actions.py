"""The review actions: when each is offered to whom, its form, and the service it calls.

The workbench and API v1 share this table (a core.actions.Workflow). Whether a person may really take a step is
decided by the services (qualification, conflicts, the head's approval); `offered` only keeps pages free of
buttons that would be refused. A review's state for the table is its latest round.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Role
from sanxiang.core.actions import Action, Workflow
from sanxiang.review import forms, services
from sanxiang.review.models import Review
from sanxiang.review.subjects import subject_of

OPEN, PROBLEMS, COORDINATION = Review.Status.OPEN, Review.Status.PROBLEMS, Review.Status.COORDINATION


def _head(user) -> bool:
    return user.is_superuser or user.has_role(Role.HEAD)


def _reviewer(user) -> bool:
    return user.has_role(Role.REVIEWER)


def _coordinated(review, current) -> bool:
    return review.coordinations.filter(round=current).exists()


def _latest_round(review):
    return review.rounds.order_by("-number").first()


WORKFLOW = Workflow(
    [
        Action(
            "take",
            _("领取（指定）审核人员"),
            forms.TakeForm,
            lambda u, r, d: services.review_take(actor=u, review=r, reviewer=d["reviewer"], version=d.get("version")),
            offered=lambda u, r, c: r.status == OPEN and ((_reviewer(u) and c.reviewer_id is None) or _head(u)),
        ),
        Action(
            "opinion",
            _("出具审核意见"),
            forms.OpinionForm,
            lambda u, r, d: services.review_record_opinion(
                actor=u,
                review=r,
                items=d["items"],
                outcome=d["outcome"],
                opinion=d["opinion"],
                corrections=d["corrections"],
                version=d.get("version"),
            ),
            offered=lambda u, r, c: r.status == OPEN and _reviewer(u) and c.reviewer_id in (None, u.pk),
        ),
        Action(
            "extend",
            _("延长审核期限"),
            forms.ExtendForm,
            lambda u, r, d: services.review_extend(actor=u, review=r, reason=d["reason"], version=d.get("version")),
            offered=lambda u, r, c: r.status == OPEN and _head(u) and not c.extended,
        ),
        Action(
            "resubmit",
            _("纠正后重新送审"),
            forms.ResubmitForm,
            lambda u, r, d: services.review_resubmit(
                actor=u, review=r, response=d["response"], affirmed=d["affirmed"], version=d.get("version")
            ),
            offered=lambda u, r, c: r.status == PROBLEMS and subject_of(r).handled_by(u),
        ),
        Action(
            "contest",
            _("不同意审核意见，提请协调"),
            forms.ContestForm,
            lambda u, r, d: services.review_contest(actor=u, review=r, reason=d["reason"], version=d.get("version")),
            offered=lambda u, r, c: r.status == PROBLEMS and subject_of(r).handled_by(u) and not _coordinated(r, c),
        ),
        Action(
            "coordinate",
            _("协调"),
            forms.CoordinateForm,
            lambda u, r, d: services.review_coordinate(
                actor=u,
                review=r,
                decision=d["decision"],
                note=d["note"],
                discussion=d["discussion"],
                version=d.get("version"),
            ),
            offered=lambda u, r, c: r.status == COORDINATION and _head(u),
        ),
    ],
    page="review:review",
    state=_latest_round,
    form_kwargs=lambda review, current: {"review": review},
)
