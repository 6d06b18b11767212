"""The publication actions: when each is offered, its form, and the service it calls.

The workbench and API v1 share this table (a core.actions.Workflow). Whether a person may really take a step is
decided by the services (the clerk's agency, the second person, the display periods); `offered` only keeps pages
free of buttons that would be refused. A publication's state for the table is the version waiting to be published.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.core.actions import Action, Workflow
from sanxiang.publicity import forms, services
from sanxiang.publicity.models import Publication
from sanxiang.publicity.selectors import PUBLICITY_ROLES, acts_for, draft_version

DRAFT, PUBLISHED = Publication.Status.DRAFT, Publication.Status.PUBLISHED


def _clerks_action(name, label, form, call, offered) -> Action:
    """A step of the agency's publicity: taken by its clerks and heads only (the services' `agency_clerk`), so it
    is offered to them alone, and only on a record of an agency they act for."""

    def offered_here(user, publication, draft) -> bool:
        return acts_for(user, publication.agency) and offered(user, publication, draft)

    return Action(name, label, form, call, PUBLICITY_ROLES, offered_here)


def _prepared_by_other(user, draft) -> bool:
    return draft is not None and draft.prepared_by_id not in (None, user.pk) and draft.confirmed_at is None


WORKFLOW = Workflow(
    [
        _clerks_action(
            "redact",
            _("保存遮盖处理"),
            forms.RedactForm,
            lambda u, p, d: services.publication_redact(
                actor=u, publication=p, masks=d["masks"], version=d.get("version")
            ),
            lambda u, p, draft: draft is not None,
        ),
        _clerks_action(
            "confirm",
            _("复核确认遮盖处理"),
            forms.ConfirmForm,
            lambda u, p, d: services.publication_confirm(actor=u, publication=p, version=d.get("version")),
            lambda u, p, draft: _prepared_by_other(u, draft),
        ),
        _clerks_action(
            "publish",
            _("公示"),
            forms.PublishForm,
            lambda u, p, d: services.publication_publish(actor=u, publication=p, version=d.get("version")),
            lambda u, p, draft: draft is not None and draft.confirmed_at is not None,
        ),
        _clerks_action(
            "correct",
            _("更正"),
            forms.CorrectForm,
            lambda u, p, d: services.publication_correct(
                actor=u,
                publication=p,
                original=d["original"],
                reason=d["reason"],
                summary=d["summary"],
                version=d.get("version"),
            ),
            lambda u, p, draft: p.status == PUBLISHED and draft is None,
        ),
        _clerks_action(
            "withdraw",
            _("撤回公示"),
            forms.WithdrawForm,
            lambda u, p, d: services.publication_withdraw(
                actor=u, publication=p, reason=d["reason"], changed_on=d["changed_on"], version=d.get("version")
            ),
            lambda u, p, draft: p.status == PUBLISHED,
        ),
        _clerks_action(
            "withhold",
            _("不予网上公开"),
            forms.WithholdForm,
            lambda u, p, d: services.publication_withhold(
                actor=u, publication=p, reason=d["reason"], version=d.get("version")
            ),
            lambda u, p, draft: p.status == DRAFT,
        ),
        _clerks_action(
            "end",
            _("信用修复后停止公示"),
            forms.EndForm,
            lambda u, p, d: services.publication_end(
                actor=u, publication=p, reason=d["reason"], version=d.get("version")
            ),
            lambda u, p, draft: p.status == PUBLISHED and p.kind == "penalty",
        ),
    ],
    page="publicity:publication",
    state=draft_version,
    form_kwargs=lambda publication, draft: {"publication": publication, "draft": draft},
)
