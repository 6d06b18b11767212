"""决定与送达 (《行政许可法》第三十七条、第三十八条、第四十二条、第四十四条、第五十条): a head grants or refuses
within the period — never after it, never before the legal review the catalogue requires —, the decision is served
within 10 working days, and a renewal not decided before the licence expires is deemed granted."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases.gates import require_head
from sanxiang.core.errors import Conflict, RuleViolation
from sanxiang.licensing import clocks, hooks
from sanxiang.licensing.models import LAW, Application, Examination, HearingRule, Licence, Pause
from sanxiang.licensing.services.intake import rights
from sanxiang.licensing.services.machine import (
    APPLICATION,
    LICENCE,
    commit,
    issue,
    lock,
    text,
    today,
)

ART34, ART38, ART42, ART44, ART47, ART50 = (
    LAW + f"第{n}条" for n in ("三十四", "三十八", "四十二", "四十四", "四十七", "五十")
)
REVIEW = "黑环发〔2019〕112号 三(三)；国办发〔2018〕118号"
SERVICE_METHODS = {
    "direct": gettext_lazy("直接送达"),
    "mail": gettext_lazy("邮寄送达"),
    "electronic": gettext_lazy("电子送达（经申请人同意）"),
    "window": gettext_lazy("窗口领取"),
}


def decision_block(application: Application) -> ValidationError | None:
    """What stands in the way of the decision (None when nothing does): the period, the site check the type
    requires, the hearing right an applicant must be told of, and the legal review of a major decision."""
    if today() > application.decision_due_on:
        words = (
            _("延长后的决定期限已于 %(due)s 届满")
            if application.extended
            else _("决定期限已于 %(due)s 届满，且未经负责人批准延长")
        )
        return RuleViolation(words % {"due": application.decision_due_on}, code="period_over", citation=ART42)
    kind = application.licence_type
    if kind.site_check and not application.examinations.filter(kind=Examination.Kind.SITE).exists():
        return RuleViolation(
            _("本事项需要现场核查，尚无两名以上执法人员的核查记录"), code="site_check_missing", citation=ART34
        )
    heard = application.pauses.filter(kind=Pause.Kind.HEARING, ended_on__isnull=False).exists()
    if kind.hearing == HearingRule.INTERESTS and not heard:
        return RuleViolation(
            _("本事项直接涉及申请人与他人之间重大利益关系，作出决定前应当告知听证权利"),
            code="hearing_right_untold",
            citation=ART47,
        )
    refusal = hooks.review().refusal(application)
    return RuleViolation(refusal, code="review_required", citation=REVIEW) if refusal else None


def decision_refusal(application: Application) -> str:
    """The reason the page shows beside the decision buttons ("" when the head may decide)."""
    block = decision_block(application)
    return block.messages[0] if block else ""


def _decide(application: Application) -> None:
    block = decision_block(application)
    if block is not None:
        raise block


def _licence_number(application: Application) -> str:
    year = today().year
    count = Licence.objects.filter(agency=application.agency, valid_from__year=year).count() + 1
    return f"{application.licence_type.code}-{year}-{count:05d}"


def _served_within(application: Application) -> None:
    application.decided_on = today()
    application.service_due_on = clocks.service_due(today(), application.agency).date


@transaction.atomic
def application_grant(*, actor, application: Application, content: str, version=None) -> Licence:
    """准予行政许可: a new licence with its number and validity, a changed one (变更, 第四十九条) or a renewed one
    (延续, 第五十条); its publication opens with the decision (seed: within 7 working days)."""
    application = lock(actor, application, "grant", version)
    require_head(actor, application.agency, _("作出行政许可决定"))
    _decide(application)
    content = text(content, "content", _("请写明许可内容。"), limit=5000)
    licence, document = _grant(actor, application, content)
    application.decision_document = document
    _served_within(application)
    commit(
        actor,
        application,
        "grant",
        {"licence": licence.number, "document": document.number, "service_due_on": application.service_due_on},
        tell=_("您的申请 %(number)s 已准予许可，许可编号 %(licence)s。")
        % {"number": application.number, "licence": licence.number},
    )
    hooks.decision_issued(actor=actor, application=application, licence=licence, document=document)
    return licence


def _grant(actor, application: Application, content: str, words: str = "") -> tuple[Licence, object]:
    """The licence the grant makes, changes or renews, and its 准予行政许可决定书 (`words` added to its text), with the
    licence's own ledger entry naming the document."""
    years = application.licence_type.validity_years
    if application.kind == Application.Kind.NEW:
        licence = Licence(
            agency=application.agency,
            licence_type=application.licence_type,
            application=application,
            number=_licence_number(application),
            holder_name=application.applicant_name,
            holder_uscc=application.applicant_uscc,
            content=content,
            valid_from=today(),
            valid_to=clocks.licence_end(today(), years),
            decided_on=today(),
        )
        try:
            with transaction.atomic():  # two grants numbered at the same moment: the second is asked to retry
                licence.save()
        except IntegrityError:
            raise Conflict(_("许可编号 %(n)s 刚刚被另一项决定使用，请重新提交。") % {"n": licence.number}) from None
        move = "issue"
        LICENCE.start(licence, move)
    else:
        move = "change" if application.kind == Application.Kind.CHANGE else "renew"
        licence = LICENCE.lock(application.licence, move)
        if move == "change":
            licence.content = content
        else:
            licence.valid_from, licence.valid_to = clocks.renewed_term(licence.valid_to, years)
    written = "\n".join(filter(None, [content, words]))
    document = issue(actor, application, "licence_grant", _grant_fields(application, licence, written), subject=licence)
    if move == "issue":
        licence.decision_number = document.number
    data = {"valid_to": licence.valid_to, "application": application.number, "document": document.number}
    LICENCE.commit(actor, licence, move, data)
    return licence, document


def _grant_fields(application: Application, licence: Licence, content: str) -> dict:
    kind = application.licence_type
    period = f"{licence.valid_from} 至 {licence.valid_to}" if licence.valid_to else _("长期")
    return {
        "licence_number": licence.number,
        "valid_period": period,
        "decision_text": content,
        "basis": kind.basis,
    }


@transaction.atomic
def application_refuse(*, actor, application: Application, reason: str, version=None) -> Application:
    """不予行政许可: in writing, with the reasons and the remedies (第三十八条第二款), within the period."""
    application = lock(actor, application, "refuse", version)
    require_head(actor, application.agency, _("作出行政许可决定"))
    _decide(application)
    application.decision_reason = text(reason, "reason", _("请写明不予许可的理由。"), limit=5000)
    document = issue(
        actor,
        application,
        "licence_refusal",
        {
            "reason": application.decision_reason,
            "basis": application.licence_type.basis,
            "rights_text": rights(application),
        },
    )
    application.decision_document = document
    _served_within(application)
    return commit(
        actor,
        application,
        "refuse",
        {"document": document.number, "service_due_on": application.service_due_on, "citation": ART38},
        tell=_("您的申请 %(number)s 不予许可，理由和救济途径见不予行政许可决定书。") % {"number": application.number},
    )


@transaction.atomic
def application_serve(
    *, actor, application: Application, method: str, served_on: dt.date | None = None, version=None
) -> Application:
    """送达: the decision reaches the applicant, with its 送达回证; recorded as on time or late against the 10 working
    days of 第四十四条 (a late service is still recorded — the applicant must have the decision — and shown late)."""
    application = lock(actor, application, "serve", version)
    if application.served_on:
        raise ValidationError(_("该决定已送达。"), code="served")
    if method not in SERVICE_METHODS:
        raise ValidationError({"method": _("请选择送达方式。")})
    served_on = served_on or today()
    if not application.decided_on <= served_on <= today():
        raise ValidationError({"served_on": _("送达日期应在决定之后、今天之前。")})
    application.served_on = application.closed_on = served_on
    document = issue(
        actor,
        application,
        "licence_service_receipt",
        {
            "served_document": f"{application.decision_document.title} {application.decision_document.number}",
            "service_method": str(SERVICE_METHODS[method]),
            "served_at": f"{served_on:%Y年%m月%d日}",
        },
    )
    on_time = application.service_due_on is None or served_on <= application.service_due_on
    return commit(
        actor,
        application,
        "serve",
        {"method": method, "served_on": served_on, "on_time": on_time, "document": document.number, "citation": ART44},
    )


@transaction.atomic
def applications_deem_renewed(*, on: dt.date | None = None) -> int:
    """The nightly sweep: a renewal applied for in time and not decided before the licence expired is deemed
    granted (第五十条第二款) — the licence runs on for another term, and the platform says so on the application,
    the licence, its publication and the progress page."""
    day = on or today()
    count = 0
    pending = Application.objects.filter(
        kind=Application.Kind.RENEWAL,
        status__in=[Application.Status.RECEIVED, Application.Status.ACCEPTED, Application.Status.PAUSED],
        licence__valid_to__lt=day,
    ).order_by("pk")
    for application in pending:
        application = APPLICATION.lock(application, "deem_grant")
        words = _("本机关未在许可有效期届满前作出是否准予延续的决定，依法视为准予延续（%(art)s第二款）") % {
            "art": ART50
        }
        licence, document = _grant(None, application, application.licence.content, words)
        application.decision_document, application.deemed_granted = document, True
        _served_within(application)
        commit(
            None,
            application,
            "deem_grant",
            {"licence": licence.number, "valid_to": licence.valid_to, "citation": ART50},
            tell=_("您的延续申请 %(number)s %(words)s，许可有效期至 %(to)s。")
            % {"number": application.number, "words": words, "to": licence.valid_to},
        )
        hooks.decision_issued(actor=None, application=application, licence=licence, document=document)
        count += 1
    return count


__all__ = [
    "SERVICE_METHODS",
    "application_grant",
    "application_refuse",
    "application_serve",
    "applications_deem_renewed",
    "decision_block",
    "decision_refusal",
]
