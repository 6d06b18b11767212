"""The moves of an enforcement certificate (执法证) as the workbench and API v1 offer them to administrators (a
core.actions.Workflow): suspend, reinstate, revoke, renew. The certificate's access gate (MANAGE) decides who may;
the services check the move against CERTIFICATE's table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanxiang.agencies import services
from sanxiang.agencies.forms import ReasonForm, RenewForm
from sanxiang.agencies.models import Role
from sanxiang.agencies.services import CERTIFICATE
from sanxiang.core.actions import Action, Workflow

ADMINS = frozenset({Role.ADMIN})


def _allowed(move: str):
    return lambda user, certificate, state: CERTIFICATE.allows(certificate, move)


CERTIFICATES = Workflow(
    [
        Action(
            "suspend",
            _("暂扣执法证"),
            ReasonForm,
            lambda u, c, d: services.certificate_suspend(actor=u, certificate=c, reason=d["reason"]),
            ADMINS,
            _allowed("suspend"),
        ),
        Action(
            "renew",
            _("延期换证"),
            RenewForm,
            lambda u, c, d: services.certificate_renew(
                actor=u, certificate=c, expires_on=d["expires_on"], reason=d["reason"]
            ),
            ADMINS,
            _allowed("renew"),
        ),
        Action(
            "reinstate",
            _("恢复执法证"),
            ReasonForm,
            lambda u, c, d: services.certificate_reinstate(actor=u, certificate=c, reason=d["reason"]),
            ADMINS,
            _allowed("reinstate"),
        ),
        Action(
            "revoke",
            _("吊销执法证"),
            ReasonForm,
            lambda u, c, d: services.certificate_revoke(actor=u, certificate=c, reason=d["reason"]),
            ADMINS,
            _allowed("revoke"),
        ),
    ],
    page="agencies:certificate-detail",
)
