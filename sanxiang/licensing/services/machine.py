"""The two machines of licensing and what every move shares: who may take it, the officer's certificate on the
day, the documents it issues and the applicant told of it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Certificate, Role
from sanxiang.cases.gates import certified_officers
from sanxiang.core.errors import RuleViolation
from sanxiang.core.text import refuse_control_characters
from sanxiang.documents.services import document_issue
from sanxiang.documents.types import context_for
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.licensing import clocks, notify
from sanxiang.licensing.models import Application, Licence

S = Application.Status
RECEIVED, SUPPLEMENT, ACCEPTED, PAUSED = S.RECEIVED, S.SUPPLEMENT, S.ACCEPTED, S.PAUSED
GRANTED, REFUSED, REJECTED, WITHDRAWN = S.GRANTED, S.REFUSED, S.REJECTED, S.WITHDRAWN
STAFF = {Role.OFFICER, Role.HEAD}
HEADS = {Role.HEAD}
CERTIFIED = "国办发〔2018〕118号（行政执法人员持证上岗）；《行政许可法》第三十四条"


class ApplicationMachine(StateMachine):
    def facts(self, record: Application) -> dict:
        return super().facts(record) | {"number": record.number, "kind": record.kind}


APPLICATION = ApplicationMachine(
    model=Application,
    prefix="licence_application",
    related=("agency", "licence_type", "licence"),
    conflict=gettext_lazy("该许可申请已被他人处理（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("许可申请当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        # the service window registers an application; one made on the portal has no actor (the platform)
        "submit": Move({NEW}, RECEIVED, gettext_lazy("接收许可申请"), roles=STAFF),
        "supplement_request": Move({RECEIVED}, SUPPLEMENT, gettext_lazy("一次性告知补正材料"), roles=STAFF),
        "supplement": Move({SUPPLEMENT}, RECEIVED, gettext_lazy("接收补正材料"), roles=STAFF),
        "accept": Move({RECEIVED}, ACCEPTED, gettext_lazy("受理许可申请"), roles=STAFF),
        "deem_accept": Move({RECEIVED}, ACCEPTED, gettext_lazy("逾期未告知，视为受理")),
        "reject": Move({RECEIVED}, REJECTED, gettext_lazy("不予受理"), roles=STAFF),
        "examine": Move({ACCEPTED}, None, gettext_lazy("记录审查情况"), roles=STAFF),
        "pause": Move({ACCEPTED}, PAUSED, gettext_lazy("告知听证、专家评审等所需时间"), roles=STAFF),
        "hearing_request": Move({PAUSED}, None, gettext_lazy("登记听证申请"), roles=STAFF),
        "resume": Move({PAUSED}, ACCEPTED, gettext_lazy("听证、专家评审等结束，恢复计算期限"), roles=STAFF),
        "extend": Move({ACCEPTED, PAUSED}, None, gettext_lazy("批准延长许可决定期限"), roles=HEADS),
        "grant": Move({ACCEPTED}, GRANTED, gettext_lazy("作出准予行政许可决定"), roles=HEADS),
        "refuse": Move({ACCEPTED}, REFUSED, gettext_lazy("作出不予行政许可决定"), roles=HEADS),
        "deem_grant": Move({RECEIVED, SUPPLEMENT, ACCEPTED, PAUSED}, GRANTED, gettext_lazy("逾期未决定，视为准予延续")),
        "serve": Move({GRANTED, REFUSED, REJECTED}, None, gettext_lazy("送达许可决定"), roles=STAFF),
        "withdraw": Move(
            {RECEIVED, SUPPLEMENT, ACCEPTED, PAUSED}, WITHDRAWN, gettext_lazy("申请人撤回申请"), roles=STAFF
        ),
    },
)

L = Licence.Status


class LicenceMachine(StateMachine):
    def facts(self, record: Licence) -> dict:
        return super().facts(record) | {"number": record.number}


LICENCE = LicenceMachine(
    model=Licence,
    prefix="licence",
    related=("agency", "licence_type", "application"),
    conflict=gettext_lazy("该许可已被他人处理（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("该许可当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "issue": Move({NEW}, L.VALID, gettext_lazy("颁发行政许可")),
        "register": Move({NEW}, {L.VALID, L.EXPIRED}, gettext_lazy("登记本平台启用前作出的行政许可")),
        "change": Move({L.VALID}, None, gettext_lazy("变更行政许可")),
        "renew": Move({L.VALID, L.EXPIRED}, L.VALID, gettext_lazy("延续行政许可")),
        "recall": Move({L.VALID}, L.RECALLED, gettext_lazy("撤回行政许可"), roles=HEADS),
        "revoke": Move({L.VALID, L.EXPIRED}, L.REVOKED, gettext_lazy("撤销行政许可"), roles=HEADS),
        "cancel": Move(
            {L.VALID, L.EXPIRED, L.RECALLED, L.REVOKED}, L.CANCELLED, gettext_lazy("注销行政许可"), roles=HEADS
        ),
        "expire": Move({L.VALID}, L.EXPIRED, gettext_lazy("有效期届满")),
    },
)
LEDGER_ACTIONS = APPLICATION.labels() | LICENCE.labels()


def today() -> dt.date:
    return timezone.localdate()


def text(value: str, field: str, message: str, *, limit: int = 2000, required: bool = True) -> str:
    value = (value or "").strip()
    refuse_control_characters({field: value})
    if (required and not value) or len(value) > limit:
        raise ValidationError({field: message})
    return value


def require_certified(actor, agency, *, officers=None) -> dict:
    """A step of the procedure is taken by staff holding a valid certificate today (持证上岗): the actor alone, or the
    officers named (a site check needs at least two, 第三十四条第三款). The platform itself (actor None) and a head
    deciding as the agency's 负责人 need none."""
    if actor is None:
        return {}
    if officers is not None:
        return certified_officers(officers, on=today(), agency=agency)
    if actor.has_role(Role.HEAD) and not actor.has_role(Role.OFFICER):
        return {}
    certificate = Certificate.objects.filter(holder=actor).valid_on(today()).first()
    if certificate is None:
        raise RuleViolation(
            _("%(name)s 今天没有有效的执法证，不得办理行政许可") % {"name": actor.full_name},
            code="officer_not_certified",
            citation=CERTIFIED,
        )
    return {actor.pk: certificate}


def applicant_fields(application: Application) -> dict:
    """The lines every licensing document shares: the applicant, the application and the licence type."""
    return {
        "party_name": application.applicant_name,
        "party_code": application.applicant_uscc or application.applicant_id_number,
        "party_address": application.applicant_address,
        "application_number": application.number,
        "licence_name": application.licence_type.name,
        "project": application.project,
        "received_on": f"{application.received_on:%Y年%m月%d日}",
    }


def issue(actor, application: Application, doc_type: str, fields: dict, *, subject=None):
    """One licensing document of the application, numbered and ledgered in the caller's transaction."""
    return document_issue(
        actor=actor,
        agency=application.agency,
        doc_type_code=doc_type,
        subject=subject or application,
        issued_on=today(),
        context=context_for(doc_type, applicant_fields(application) | fields),
    )


def commit(actor, application: Application, move: str, data: dict | None = None, *, tell: str = "") -> Application:
    """Apply the move and ledger it; the applicant is told `tell` once the transaction commits (notify.py)."""
    APPLICATION.commit(actor, application, move, data or {})
    if tell:
        notify.tell(application, event=move, text=tell)
    return application


def refresh_decision_due(application: Application) -> None:
    """The decision's last day from acceptance, the periods not counted so far and the extension (clocks.py)."""
    kind = application.licence_type
    due = clocks.decision_due(
        accepted_on=application.accepted_on,
        days=kind.decision_days,
        unit=kind.decision_unit,
        paused=application.paused_days,
        extended=application.extended,
        agency=application.agency,
    )
    application.decision_due_on, application.due_provisional = due.date, due.provisional


def document_for_licence(actor, licence: Licence, doc_type: str, fields: dict):
    """A decision about a licence once granted (撤回、撤销、注销), filed under the licence and addressed to its holder
    (a licence registered from before the platform has no application: its own decision is named instead)."""
    application = licence.application
    holder = (
        applicant_fields(application)
        if application
        else {
            "party_name": licence.holder_name,
            "party_code": licence.holder_uscc,
            "application_number": licence.decision_number,
            "licence_name": licence.licence_type.name,
        }
    )
    return document_issue(
        actor=actor,
        agency=licence.agency,
        doc_type_code=doc_type,
        subject=licence,
        issued_on=today(),
        context=context_for(doc_type, holder | {"licence_number": licence.number} | fields),
    )


def lock(actor, application: Application, move: str, version=None) -> Application:
    """The application locked for `move`: refused (403) first to whom the move's roles leave out, then — for a step
    officers take — to one without a certificate valid today."""
    APPLICATION.require(actor, application.agency, move)
    application = APPLICATION.lock(application, move, version=version)
    if Role.OFFICER in (APPLICATION.moves[move].roles or ()):
        require_certified(actor, application.agency)
    return application
