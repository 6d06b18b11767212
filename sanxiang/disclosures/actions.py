"""The moves of a pre-disclosure item as its page and API offer them (a core.actions.Workflow): review, publish,
collect a new version, withdraw. The services check everything again; an item's state for the table is its version
waiting for review or publication."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.core.actions import Action, Workflow
from sanxiang.disclosures import services
from sanxiang.disclosures.forms import CollectForm, VersionedForm, WithdrawForm
from sanxiang.disclosures.models import Disclosure
from sanxiang.disclosures.services import may_approve, may_collect


def _pending(disclosure):
    return disclosure.versions.filter(published_at__isnull=True).first()


WORKFLOW = Workflow(
    [
        Action(
            "review",
            _("审核通过"),
            VersionedForm,
            lambda u, d, data: services.disclosure_review(actor=u, disclosure=d, version=data["version"]),
            offered=lambda u, d, p: (
                p is not None and p.reviewed_at is None and p.collected_by_id != u.pk and may_approve(u, d.agency)
            ),
        ),
        Action(
            "publish",
            _("发布"),
            VersionedForm,
            lambda u, d, data: services.disclosure_publish(actor=u, disclosure=d, version=data["version"]),
            offered=lambda u, d, p: p is not None and p.reviewed_at is not None and may_approve(u, d.agency),
        ),
        Action(
            "collect",
            _("采集新版本"),
            CollectForm,
            lambda u, d, data: services.disclosure_collect(
                actor=u,
                disclosure=d,
                title=data["title"],
                body=data["body"],
                note=data["note"],
                version=data["version"],
            ),
            offered=lambda u, d, p: may_collect(u, d.agency),
        ),
        Action(
            "withdraw",
            _("撤下"),
            WithdrawForm,
            lambda u, d, data: services.disclosure_withdraw(
                actor=u, disclosure=d, reason=data["reason"], version=data["version"]
            ),
            offered=lambda u, d, p: d.status == Disclosure.Status.PUBLISHED and may_approve(u, d.agency),
        ),
    ],
    page="disclosures:item",
    state=_pending,
)
