"""Writes for enforcement certificates (执法证): issue, then suspend, reinstate, revoke or renew — each a move of
CERTIFICATE, locked, checked, applied and ledgered in one transaction. Certificate facts are public (the officer list
and the check page), so their entries are public too."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Certificate, CertificateStatus, EnforcementDomain, Role, User
from sanxiang.agencies.services.training import certificate_training_check
from sanxiang.ledger.transitions import NEW, Move, StateMachine

VALID, SUSPENDED, REVOKED = CertificateStatus.VALID, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED


class CertificateMachine(StateMachine):
    # The verb each move takes in a refusal ("不能暂扣"), shorter than its ledger label.
    VERBS = {
        "suspend": gettext_lazy("暂扣"),
        "reinstate": gettext_lazy("恢复"),
        "revoke": gettext_lazy("吊销"),
        "renew": gettext_lazy("延期换证"),
    }

    def refusal(self, record: Certificate, move: str) -> str:
        return _("执法证当前状态为“%(status)s”，不能%(action)s。") % {
            "status": record.get_status_display(),
            "action": self.VERBS[move],
        }

    def facts(self, record: Certificate) -> dict:
        return {
            "number": record.number,
            "holder": f"staff:{record.holder_id}",
            "domain": record.domain,
            "expires_on": record.expires_on,
        }


CERTIFICATE = CertificateMachine(
    model=Certificate,
    prefix="certificate",
    related=("agency",),
    versioned=False,
    moves={
        "issue": Move({NEW}, VALID, gettext_lazy("登记执法证")),
        "suspend": Move({VALID}, SUSPENDED, gettext_lazy("暂扣执法证")),
        "reinstate": Move({SUSPENDED}, VALID, gettext_lazy("恢复执法证")),
        "revoke": Move({VALID, SUSPENDED}, REVOKED, gettext_lazy("吊销执法证")),
        "renew": Move({VALID}, VALID, gettext_lazy("执法证延期")),
    },
)


@transaction.atomic
def certificate_issue(
    *,
    actor: User | None,
    holder: User,
    number: str,
    domain: str,
    issued_on: dt.date,
    expires_on: dt.date,
) -> Certificate:
    """Register an enforcement certificate (执法证) for an officer of an agency."""
    number = number.strip().upper()
    if holder.agency_id is None or not holder.has_role(Role.OFFICER):
        raise ValidationError({"holder": _("执法证只能发给具有执法人员角色的本系统工作人员。")})
    if domain not in EnforcementDomain.values:
        raise ValidationError({"domain": _("未知执法领域。")})
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": _("有效期截止日期必须晚于发证日期。")})
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError({"number": _("证件编号 %(number)s 已被登记。") % {"number": number}}, code="duplicate")
    if Certificate.objects.filter(holder=holder, domain=domain).exclude(status=REVOKED).exists():
        raise ValidationError(
            {"holder": _("该人员在此执法领域已有未吊销的执法证，请办理换证（延期）而不是重复发证。")}, code="duplicate"
        )
    certificate = Certificate(
        number=number, holder=holder, agency=holder.agency, domain=domain, issued_on=issued_on, expires_on=expires_on
    )
    certificate.full_clean()
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # A concurrent request registered the same number or holder between our check and the insert.
        raise ValidationError({"number": _("证件编号或持证人已被同时登记，请刷新后重试。")}, code="duplicate") from None
    CERTIFICATE.start(certificate, "issue")
    CERTIFICATE.commit(actor, certificate, "issue", public=True)
    return certificate


@transaction.atomic
def _certificate_move(
    *, actor: User | None, certificate: Certificate, move: str, reason: str, expires_on: dt.date | None = None
) -> Certificate:
    certificate = CERTIFICATE.lock(certificate, move)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写原因。")})
    if move == "renew":
        # The yearly training requirement, checked on the year before the renewal (domain.md, "Officers' training").
        certificate_training_check(certificate=certificate, today=timezone.localdate())
    if expires_on is not None:
        if expires_on <= certificate.expires_on:
            raise ValidationError(
                {"expires_on": _("新的有效期截止日期必须晚于原截止日期 %(date)s。") % {"date": certificate.expires_on}}
            )
        certificate.expires_on = expires_on
    certificate.status_reason = reason.strip()
    certificate.status_changed_at = timezone.now()
    CERTIFICATE.commit(actor, certificate, move, public=True)
    return certificate


def certificate_suspend(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """暂扣: the holder may not enforce until the certificate is reinstated."""
    return _certificate_move(actor=actor, certificate=certificate, move="suspend", reason=reason)


def certificate_reinstate(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """End a suspension."""
    return _certificate_move(actor=actor, certificate=certificate, move="reinstate", reason=reason)


def certificate_revoke(*, actor: User | None, certificate: Certificate, reason: str) -> Certificate:
    """吊销: final; the public check page shows the revocation prominently."""
    return _certificate_move(actor=actor, certificate=certificate, move="revoke", reason=reason)


def certificate_renew(
    *, actor: User | None, certificate: Certificate, expires_on: dt.date, reason: str = ""
) -> Certificate:
    """Extend a valid (possibly lapsed) certificate to a later expiry date, keeping its number — not for a holder
    short of the previous year's training hours (`training_short`)."""
    return _certificate_move(
        actor=actor, certificate=certificate, move="renew", reason=reason or str(_("到期换证")), expires_on=expires_on
    )
