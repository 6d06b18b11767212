"""审查 (《行政许可法》第三十四条至第三十六条、第四十二条、第四十五条至第四十八条): the officers' examination and
site check, a hearing or an expert review whose time is not counted (told in writing), and the one extension of the
period a head may approve."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.cases.gates import acting_officer, require_head
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import rule
from sanxiang.licensing import clocks
from sanxiang.licensing.models import LAW, Application, Examination, HearingRule, Pause
from sanxiang.licensing.services.machine import (
    commit,
    issue,
    lock,
    refresh_decision_due,
    require_certified,
    text,
    today,
)

ART34, ART42, ART45, ART47 = (LAW + f"第{n}条" for n in ("三十四", "四十二", "四十五", "四十七"))


@transaction.atomic
def application_examine(
    *,
    actor,
    application: Application,
    kind: str,
    findings: str,
    officers=(),
    held_on: dt.date | None = None,
    version=None,
) -> Examination:
    """审查情况: the materials examined, a site check by at least two certified officers, one of them recording it
    (第三十四条第三款), or the opinions of interested parties heard (第三十六条)."""
    application = lock(actor, application, "examine", version)
    if kind not in Examination.Kind.values:
        raise ValidationError({"kind": _("请选择审查方式。")})
    held_on = held_on or today()
    if held_on > today() or held_on < application.accepted_on:
        raise ValidationError({"held_on": _("审查日期应在受理之后、今天之前。")})
    officers = list(officers) or ([actor] if actor is not None else [])
    if kind == Examination.Kind.SITE:
        require_certified(actor, application.agency, officers=officers)
        acting_officer(actor, officers)
    examination = Examination.objects.create(
        application=application,
        kind=kind,
        held_on=held_on,
        findings=text(findings, "findings", _("请写明审查情况。"), limit=5000),
        recorded_by=actor,
    )
    examination.officers.set(officers)
    application.officers.add(*officers)
    commit(actor, application, "examine", {"kind": kind, "held_on": held_on, "officers": len(officers)})
    return examination


@transaction.atomic
def application_pause(
    *, actor, application: Application, kind: str, reason: str, expected_days: int, version=None
) -> Pause:
    """A hearing (第四十六条、第四十七条) or an expert review, test or appraisal (第四十五条) begins: the time it takes
    is not counted, and the applicant is told in writing — for a hearing, of the right to ask for it within 5 days."""
    application = lock(actor, application, "pause", version)
    if kind not in Pause.Kind.values:
        raise ValidationError({"kind": _("请选择事由。")})
    if kind == Pause.Kind.HEARING and application.licence_type.hearing == HearingRule.NONE:
        raise ValidationError({"kind": _("本事项不适用听证。")})
    if not 1 <= int(expected_days or 0) <= 365:
        raise ValidationError({"expected_days": _("请填写预计所需时间（1 至 365 个工作日）。")})
    reason = text(reason, "reason", _("请写明事由。"))
    pause = Pause(application=application, kind=kind, started_on=today(), expected_days=expected_days, reason=reason)
    if kind == Pause.Kind.HEARING:
        pause.request_due_on = clocks.hearing_request_due(today(), application.agency).date
        within = rule(clocks.HEARING_WITHIN, application.agency)
        content = _(
            "%(reason)s\n申请人、利害关系人有权要求听证。要求听证的，应当在被告知听证权利之日起5日内（%(due)s 前）提出，"
            "本机关将在收到申请之日起%(within)s内组织听证。听证所需时间不计算在许可期限内（%(art45)s），预计%(days)d个工作日。"
        ) % {
            "reason": reason,
            "due": pause.request_due_on,
            "within": within.display,
            "art45": ART45,
            "days": expected_days,
        }
        pause.notice = issue(actor, application, "licence_hearing_notice", {"content": content})
    else:
        content = _("因%(kind)s，所需时间不计算在许可期限内（%(art45)s），预计%(days)d个工作日。%(reason)s") % {
            "kind": Pause.Kind(kind).label,
            "art45": ART45,
            "days": expected_days,
            "reason": reason,
        }
        pause.notice = issue(actor, application, "licence_pause_notice", {"content": content})
    pause.save()
    commit(
        actor,
        application,
        "pause",
        {"kind": kind, "expected_days": expected_days, "document": pause.notice.number},
        tell=_("您的申请 %(number)s：%(text)s") % {"number": application.number, "text": content},
    )
    return pause


def _open_pause(application: Application) -> Pause:
    return application.pauses.select_for_update().get(ended_on__isnull=True)


@transaction.atomic
def application_request_hearing(*, actor, application: Application, version=None) -> Pause:
    """The applicant or an interested party asks for the hearing, within 5 days of being told (第四十七条第一款);
    the hearing must then be held within 20 days."""
    application = lock(actor, application, "hearing_request", version)
    pause = _open_pause(application)
    if pause.kind != Pause.Kind.HEARING or pause.requested_on:
        raise ValidationError(_("当前没有等待申请的听证。"), code="no_hearing")
    if today() > pause.request_due_on:
        raise RuleViolation(
            _("听证申请应当在被告知听证权利之日起5日内（%(due)s 前）提出，已逾期") % {"due": pause.request_due_on},
            code="hearing_request_late",
            citation=ART47,
        )
    pause.requested_on = today()
    pause.hearing_due_on = clocks.hearing_due(today(), application.agency).date
    pause.save(update_fields=["requested_on", "hearing_due_on"])
    commit(actor, application, "hearing_request", {"hearing_due_on": pause.hearing_due_on})
    return pause


@transaction.atomic
def application_resume(
    *, actor, application: Application, result: str, held_on: dt.date | None = None, version=None
) -> Pause:
    """The hearing was held (within its 20 days), or nobody asked for it in time, or the expert review or test is
    done: the period counts again, longer by the working days the pause took (第四十五条)."""
    application = lock(actor, application, "resume", version)
    pause = _open_pause(application)
    if pause.kind == Pause.Kind.HEARING:
        if pause.requested_on:
            if held_on is None or not pause.requested_on <= held_on <= today():
                raise ValidationError({"held_on": _("请填写举行听证的日期（申请听证之后、今天之前）。")})
            if held_on > pause.hearing_due_on:
                raise RuleViolation(
                    _("听证应当在收到申请之日起20日内（%(due)s 前）组织") % {"due": pause.hearing_due_on},
                    code="hearing_late",
                    citation=ART47,
                )
            pause.held_on = held_on
        elif today() <= pause.request_due_on:
            raise ValidationError(
                _("申请听证的期限尚未届满（%(due)s），届满后未申请的方可恢复计算期限。")
                % {"due": pause.request_due_on},
                code="hearing_request_open",
            )
    pause.result = text(result, "result", _("请写明听证、评审等的结果。"), limit=5000)
    pause.ended_on = today()
    pause.days = clocks.paused_days(pause.started_on, pause.ended_on, application.licence_type.decision_unit)
    pause.save()
    application.paused_days += pause.days
    refresh_decision_due(application)
    commit(
        actor,
        application,
        "resume",
        {"kind": pause.kind, "days": pause.days, "decision_due_on": application.decision_due_on},
        tell=_("您的申请 %(number)s 恢复计算办理期限，应在 %(due)s 前作出决定。")
        % {"number": application.number, "due": application.decision_due_on},
    )
    return pause


@transaction.atomic
def application_extend(*, actor, application: Application, reason: str, version=None) -> Application:
    """延期: 20 working days are not enough — the head approves, once, 10 more working days, before the period ends,
    and the applicant is told the reason in writing (第四十二条第一款)."""
    application = lock(actor, application, "extend", version)
    require_head(actor, application.agency, _("延长行政许可期限"))
    if application.extended:
        raise RuleViolation(_("行政许可决定期限只能延长一次，本申请已延长"), code="extension_twice", citation=ART42)
    if not application.licence_type.extendable:
        raise RuleViolation(_("本事项的办理期限由专门法律规定，不适用延长"), code="not_extendable", citation=ART42)
    if today() > application.decision_due_on:
        raise RuleViolation(
            _("决定期限已于 %(due)s 届满，不能再延长") % {"due": application.decision_due_on},
            code="period_over",
            citation=ART42,
        )
    application.extension_reason = text(reason, "reason", _("请写明延长期限的理由（将告知申请人）。"))
    application.extended = True
    before = application.decision_due_on
    refresh_decision_due(application)
    document = issue(
        actor,
        application,
        "licence_extension",
        {"reason": application.extension_reason, "period": f"{before} 延长至 {application.decision_due_on}"},
    )
    return commit(
        actor,
        application,
        "extend",
        {"decision_due_on": application.decision_due_on, "previous_due_on": before, "document": document.number},
        tell=_("您的申请 %(number)s 经负责人批准延长办理期限至 %(due)s，理由：%(reason)s")
        % {"number": application.number, "due": application.decision_due_on, "reason": application.extension_reason},
    )
