"""事先告知, 陈述申辩 and 听证 (《行政处罚法》第四十四条、第四十五条、第六十三条至第六十五条)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sanxiang.cases import deadlines, gates
from sanxiang.cases.models import Case, Suspension, describe_penalty
from sanxiang.cases.services.base import act_on, commit, issue, lock
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import last_day_words


@transaction.atomic
def case_notify(*, actor, case: Case, served_on: dt.date, late_reason: str = "", version=None) -> Case:
    """Serve the 事先告知书: the proposed penalty, facts, reasons, basis, the rights to state and defend, and the
    right to a hearing where the penalty carries one."""
    case = lock(case, "notify", version=version)
    if case.case_reviewer_id is None:
        raise RuleViolation(
            _("案件未经审查部门审查，不得告知"),
            code="not_reviewed",
            citation="《环境行政处罚办法》（2010）第四十五条、第四十六条",
        )
    act_on(case, served_on, _("告知书送达日期"), late_reason)
    case.notified_kinds = list(case.proposed_kinds)
    case.notified_fine, case.notified_confiscation = case.proposed_fine, case.proposed_confiscation
    offered, citation = gates.hearing_right(case, case.notified_kinds, case.notified_fine, case.notified_confiscation)
    case.hearing_offered, case.notice_served_on = offered, served_on
    statement = deadlines.statement_due(case)
    # The statute's period, and the last day it gives counted from this service (domain.md §17).
    rights = _("你（单位）有权自收到本告知书之日起%(days)d个工作日内进行陈述和申辩，期限至%(date)s。") % {
        "days": rule("notice.statement_workdays", case.agency).number,
        "date": last_day_words(statement.date, formal=True),
    }
    if offered:
        rights += _(
            "你（单位）有权要求举行听证（%(citation)s），请自收到本告知书之日起%(days)d个工作日内提出，期限至%(date)s。"
        ) % {
            "citation": citation,
            "days": rule("hearing.request_workdays", case.agency).number,
            "date": last_day_words(deadlines.hearing_request_due(case).date, formal=True),
        }
    issue(
        actor,
        case,
        "prior_notice",
        served_on,
        facts=case.facts,
        evidence=case.evidence,
        basis=case.basis,
        proposal=describe_penalty(case.notified_kinds, case.notified_fine, case.notified_confiscation),
        rights_text=rights,
        deadline_text=last_day_words(statement.date, formal=True),
    )
    return commit(actor, case, "notify", {"hearing_offered": offered, "served_on": served_on})


@transaction.atomic
def case_record_statement(
    *, actor, case: Case, received_on: dt.date, summary: str, late_reason: str = "", version=None
) -> Case:
    """The party's 陈述、申辩, to be re-examined (复核) before any decision."""
    case = lock(case, "statement", version=version)
    act_on(case, received_on, _("收到日期"), late_reason)
    if received_on < case.notice_served_on:
        raise ValidationError({"received_on": _("陈述申辩不能早于告知书送达。")})
    if not summary.strip():
        raise ValidationError({"summary": _("请记录陈述申辩的主要内容。")})
    case.statement_received_on, case.statement_handled = received_on, False
    case.statement_summary = summary.strip()
    return commit(actor, case, "statement", {"received_on": received_on})


WAIVERS = {
    "all": _l("放弃陈述、申辩和听证"),
    "hearing": _l("放弃听证（保留陈述、申辩）"),
    "statement": _l("放弃陈述、申辩（保留听证）"),
}


@transaction.atomic
def case_record_waiver(
    *, actor, case: Case, waived_on: dt.date, scope: str = "all", late_reason: str = "", version=None
) -> Case:
    """The party expressly gives up stating and defending, the hearing, or both (《行政处罚法》第六十二条): each
    right only by its own waiver — a statement made is no waiver of the hearing. A waiver of the hearing after a
    request withdraws the request."""
    case = lock(case, "waive", version=version)
    if scope not in WAIVERS:
        raise ValidationError({"scope": _("请选择放弃的权利。")})
    act_on(case, waived_on, _("放弃日期"), late_reason)
    if waived_on < case.notice_served_on:
        raise ValidationError({"waived_on": _("放弃权利不能早于告知书送达。")})
    if scope == "hearing" and not case.hearing_offered:
        raise ValidationError({"scope": _("本案未告知听证权利，无需放弃听证。")})
    if case.hearing_held_on and scope != "statement":
        raise ValidationError(_("听证已经举行，不能再放弃听证。"), code="hearing_held")
    if scope in ("all", "statement"):
        case.statement_waived_on = waived_on
    if scope in ("all", "hearing"):
        case.hearing_waived_on = waived_on
        case.suspensions.filter(kind=Suspension.Kind.HEARING, ended_on__isnull=True).update(ended_on=waived_on)
    if case.statement_waived_on and (case.hearing_waived_on or not case.hearing_offered):
        case.rights_waived_on = waived_on
    return commit(actor, case, "waive", {"waived_on": waived_on, "scope": scope})


@transaction.atomic
def case_request_hearing(*, actor, case: Case, requested_on: dt.date, late_reason: str = "", version=None) -> Case:
    """A hearing request made within the request period (5 working days of the notice) is accepted whatever stage
    the case has reached since, short of the decision; the case goes (back) to the hearing and its clock stops."""
    case = lock(case, "request_hearing", version=version)
    act_on(case, requested_on, _("申请日期"), late_reason)
    if not case.hearing_offered:
        raise RuleViolation(
            _("拟作出的处罚不属于应当告知听证权利的情形"), code="no_hearing_right", citation="《行政处罚法》第六十三条"
        )
    due = deadlines.hearing_request_due(case)
    if requested_on > due.date:
        raise RuleViolation(
            _("当事人应在告知后五个工作日内提出听证要求（期限至 %(date)s）") % {"date": last_day_words(due.date)},
            code="hearing_request_late",
            citation=rule("hearing.request_workdays", case.agency).citation,
        )
    if case.hearing_waived_on and requested_on >= case.hearing_waived_on:
        raise ValidationError(
            _("当事人已于 %(date)s 明确放弃听证。") % {"date": case.hearing_waived_on}, code="hearing_waived"
        )
    case.hearing_requested_on, case.statement_handled = requested_on, False
    Suspension.objects.create(case=case, kind=Suspension.Kind.HEARING, started_on=requested_on)
    return commit(actor, case, "request_hearing", {"requested_on": requested_on})


@transaction.atomic
def case_schedule_hearing(
    *,
    actor,
    case: Case,
    presiding,
    hearing_at: dt.datetime,
    place: str,
    notice_served_on: dt.date,
    late_reason: str = "",
    version=None,
) -> Case:
    """Set the hearing: presided by a non-investigator, notified at least 7 working days ahead."""
    case = lock(case, "schedule_hearing", version=version)
    act_on(case, notice_served_on, _("听证通知送达日"), late_reason)
    gates.not_investigator(case, presiding, _("听证主持人"), "《行政处罚法》第六十四条")
    earliest = deadline("hearing.notice_workdays", notice_served_on, case.agency)
    if timezone.localtime(hearing_at).date() < earliest.date:
        raise RuleViolation(
            _("应当在举行听证的七个工作日前通知当事人（最早 %(date)s）") % {"date": earliest.date},
            code="hearing_notice_short",
            citation=rule("hearing.notice_workdays", case.agency).citation,
        )
    if not place.strip():
        raise ValidationError({"place": _("请填写听证地点。")})
    case.hearing_presiding, case.hearing_at, case.hearing_place = presiding, hearing_at, place.strip()
    case.hearing_notice_served_on = notice_served_on
    issue(
        actor,
        case,
        "hearing_notice",
        notice_served_on,
        hearing_at=f"{timezone.localtime(hearing_at):%Y-%m-%d %H:%M}",
        hearing_place=case.hearing_place,
        presiding=presiding.full_name,
        rights_text=_("当事人可以亲自参加听证，也可以委托一至二人代理；无正当理由拒不出席的，视为放弃听证权利。"),
    )
    return commit(actor, case, "schedule_hearing", {"presiding": f"staff:{presiding.pk}", "at": hearing_at})


@transaction.atomic
def case_record_hearing(
    *,
    actor,
    case: Case,
    held_on: dt.date,
    attended: bool,
    record: str,
    report: str,
    late_reason: str = "",
    version=None,
) -> Case:
    """The hearing held (听证笔录 and 听证报告), or the party's absence taken as a waiver; the clock runs again."""
    case = lock(case, "hold_hearing", version=version)
    if case.hearing_at is None:
        raise ValidationError(_("尚未安排听证。"), code="hearing_not_scheduled")
    if actor is not None and actor.pk != case.hearing_presiding_id:
        raise ValidationError(_("听证笔录和报告由听证主持人记录。"), code="not_presiding")
    act_on(case, held_on, _("听证日期"), late_reason)
    if held_on < timezone.localtime(case.hearing_at).date():
        raise ValidationError({"held_on": _("听证日期不能早于通知的听证时间。")})
    if not (record.strip() and report.strip()):
        raise ValidationError(_("听证笔录和听证报告都须填写。"), code="incomplete")
    case.hearing_held_on = held_on
    if not attended:
        case.rights_waived_on = held_on
    case.suspensions.filter(kind=Suspension.Kind.HEARING, ended_on__isnull=True).update(ended_on=held_on)
    presiding = case.hearing_presiding.full_name
    issue(
        actor,
        case,
        "hearing_record",
        held_on,
        hearing_at=str(held_on),
        presiding=presiding,
        participants=_("当事人到场") if attended else _("当事人无正当理由未到场"),
        content=record,
        signature_text=_("（听证参加人签名）"),
    )
    issue(actor, case, "hearing_report", held_on, presiding=presiding, content=record, opinion=report)
    return commit(actor, case, "hold_hearing", {"held_on": held_on, "attended": attended})
