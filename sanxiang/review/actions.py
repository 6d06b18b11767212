"""The review actions: when each is offered to whom, its form, and the service it calls.

The workbench and API v1 share this table. Whether a person may really take a step is decided by the services
(qualification, conflicts, the head's approval); `offered` only keeps pages free of buttons that would be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Role
from sanxiang.review import forms, services
from sanxiang.review.models import Review
from sanxiang.review.selectors import is_handling_unit

OPEN, PROBLEMS, COORDINATION = Review.Status.OPEN, Review.Status.PROBLEMS, Review.Status.COORDINATION


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type[forms.ReviewForm]
    call: Callable  # (actor, review, bound and valid form) -> result
    offered: Callable  # (user, review, latest round) -> bool


def _head(user) -> bool:
    return user.is_superuser or user.has_role(Role.HEAD)


def _reviewer(user) -> bool:
    return user.has_role(Role.REVIEWER)


def _version(form) -> int | None:
    return form.cleaned_data.get("version")


def _coordinated(review, current) -> bool:
    return review.coordinations.filter(round=current).exists()


ACTIONS = {
    action.name: action
    for action in [
        Action("take", _("领取（指定）审核人员"), forms.TakeForm, lambda u, r, f: services.review_take(
            actor=u, review=r, reviewer=f.cleaned_data["reviewer"], version=_version(f)),
            lambda u, r, c: r.status == OPEN and ((_reviewer(u) and c.reviewer_id is None) or _head(u))),
        Action("opinion", _("出具审核意见"), forms.OpinionForm, lambda u, r, f: services.review_record_opinion(
            actor=u, review=r, items=f.items(), outcome=f.cleaned_data["outcome"], opinion=f.cleaned_data["opinion"],
            corrections=f.cleaned_data["corrections"], version=_version(f)),
            lambda u, r, c: r.status == OPEN and _reviewer(u) and c.reviewer_id in (None, u.pk)),
        Action("extend", _("延长审核期限"), forms.ExtendForm, lambda u, r, f: services.review_extend(
            actor=u, review=r, reason=f.cleaned_data["reason"], version=_version(f)),
            lambda u, r, c: r.status == OPEN and _head(u) and not c.extended),
        Action("resubmit", _("纠正后重新送审"), forms.ResubmitForm, lambda u, r, f: services.review_resubmit(
            actor=u, review=r, response=f.cleaned_data["response"], affirmed=f.cleaned_data["affirmed"],
            version=_version(f)),
            lambda u, r, c: r.status == PROBLEMS and is_handling_unit(u, r.case)),
        Action("contest", _("不同意审核意见，提请协调"), forms.ContestForm, lambda u, r, f: services.review_contest(
            actor=u, review=r, reason=f.cleaned_data["reason"], version=_version(f)),
            lambda u, r, c: r.status == PROBLEMS and is_handling_unit(u, r.case) and not _coordinated(r, c)),
        Action("coordinate", _("协调"), forms.CoordinateForm, lambda u, r, f: services.review_coordinate(
            actor=u, review=r, decision=f.cleaned_data["decision"], note=f.cleaned_data["note"],
            discussion=f.cleaned_data["discussion"], version=_version(f)),
            lambda u, r, c: r.status == COORDINATION and _head(u)),
    ]
}


def offered(user, review, current) -> list[Action]:
    return [action for action in ACTIONS.values() if action.offered(user, review, current)]
