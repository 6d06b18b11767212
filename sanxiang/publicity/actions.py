"""The publication actions: when each is offered, its form, and the service it calls.

The workbench and API v1 share this table. Whether a person may really take a step is decided by the services
(the clerk's agency, the second person, the display periods); `offered` only keeps pages free of buttons that
would be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from sanxiang.publicity import forms, services
from sanxiang.publicity.models import Publication

DRAFT, PUBLISHED = Publication.Status.DRAFT, Publication.Status.PUBLISHED


@dataclass(frozen=True)
class Action:
    """One step of a publication or a pre-disclosure item, as the workbench and the API offer it."""

    name: str
    label: str
    form: type[django_forms.Form]
    call: Callable  # (actor, record, the bound and valid form or its cleaned data) -> result
    offered: Callable  # (user, record, waiting version or None) -> bool


def _version(form) -> int | None:
    return form.cleaned_data.get("version")


def _waiting(draft) -> bool:
    return draft is not None


def _prepared_by_other(user, draft) -> bool:
    return draft is not None and draft.prepared_by_id not in (None, user.pk) and draft.confirmed_at is None


ACTIONS = {
    action.name: action
    for action in [
        Action("redact", _("保存遮盖处理"), forms.RedactForm, lambda u, p, f: services.publication_redact(
            actor=u, publication=p, masks=f.cleaned_data["masks"], version=_version(f)),
            lambda u, p, d: _waiting(d)),
        Action("confirm", _("复核确认遮盖处理"), forms.ConfirmForm, lambda u, p, f: services.publication_confirm(
            actor=u, publication=p, version=_version(f)),
            lambda u, p, d: _prepared_by_other(u, d)),
        Action("publish", _("公示"), forms.PublishForm, lambda u, p, f: services.publication_publish(
            actor=u, publication=p, version=_version(f)),
            lambda u, p, d: d is not None and d.confirmed_at is not None),
        Action("correct", _("更正"), forms.CorrectForm, lambda u, p, f: services.publication_correct(
            actor=u, publication=p, original=f.cleaned_data["original"], reason=f.cleaned_data["reason"],
            summary=f.summary(), version=_version(f)),
            lambda u, p, d: p.status == PUBLISHED and d is None),
        Action("withdraw", _("撤回公示"), forms.WithdrawForm, lambda u, p, f: services.publication_withdraw(
            actor=u, publication=p, reason=f.cleaned_data["reason"], changed_on=f.cleaned_data["changed_on"],
            version=_version(f)),
            lambda u, p, d: p.status == PUBLISHED),
        Action("withhold", _("不予网上公开"), forms.WithholdForm, lambda u, p, f: services.publication_withhold(
            actor=u, publication=p, reason=f.cleaned_data["reason"], version=_version(f)),
            lambda u, p, d: p.status == DRAFT),
        Action("end", _("信用修复后停止公示"), forms.EndForm, lambda u, p, f: services.publication_end(
            actor=u, publication=p, reason=f.cleaned_data["reason"], version=_version(f)),
            lambda u, p, d: p.status == PUBLISHED and p.kind == "penalty"),
    ]
}


def offered(user, publication, draft) -> list[Action]:
    return [action for action in ACTIONS.values() if action.offered(user, publication, draft)]


def action_forms(actions: dict[str, Action], user, record, waiting, *, bound, make_form) -> list[tuple[Action, object]]:
    """The steps offered to `user`, each with a fresh form — and a refused step with its bound form and the reason,
    even when the page would not offer it now (nothing typed is lost to a refusal)."""
    refused = bound[0] if bound else ""
    return [(action, bound[1] if action.name == refused else make_form(action)) for action in actions.values()
            if action.name == refused or action.offered(user, record, waiting)]
