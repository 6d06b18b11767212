"""送达, 执行, 结案 and 归档 (《行政处罚法》第六十一条、第六十六条、第六十七条、第七十二条; 《行政强制法》第五十三条、
第五十四条; 《环境行政处罚办法》（2010）第六十七条至第七十条)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.cases import deadlines, gates, hooks
from sanxiang.cases.models import ANNULLING_OUTCOMES, Approval, Case, Outcome, ServiceMethod
from sanxiang.cases.services.base import CASE, act_on, approve, commit, issue, lock, today
from sanxiang.core.calendar import period_end
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import deadline_words, last_day_words, period_words

SERVICE_METHODS = dict(ServiceMethod.choices)


@transaction.atomic
def case_serve(
    *,
    actor,
    case: Case,
    method: str,
    served_on: dt.date | None = None,
    notice_on: dt.date | None = None,
    consent_to_electronic: bool = False,
    late_reason: str = "",
    version=None,
) -> Case:
    """送达 of the decision, with its 送达回证. `served_on` is the day of service — for 邮寄送达 the day of receipt on
    the return slip; 公告送达 takes `notice_on`, the day the notice was issued, and service is deemed made 30 days
    later (《民事诉讼法》第九十五条), the day the payment and appeal periods run from. Electronic service needs the
    party's consent (《行政处罚法》第六十一条)."""
    case = lock(case, "serve", version=version)
    if method not in SERVICE_METHODS:
        raise ValidationError({"method": _("请选择送达方式。")})
    if method == "electronic" and not consent_to_electronic:
        raise RuleViolation(
            _("当事人同意并签订确认书的，方可采用电子送达"),
            code="no_electronic_consent",
            citation="《行政处罚法》第六十一条",
        )
    public = method == ServiceMethod.PUBLIC_NOTICE
    acted_on = notice_on if public else served_on
    if acted_on is None:
        field = "notice_on" if public else "served_on"
        raise ValidationError({field: _("请填写公告发布日期。") if public else _("请填写送达日期。")})
    act_on(case, acted_on, _("公告发布日期") if public else _("送达日期"), late_reason)
    if acted_on < case.decided_on:
        raise ValidationError({"served_on": _("送达日期不能早于决定日期。")})
    late = acted_on > deadlines.service_due(case).date
    case.service_method, case.service_notice_on = method, notice_on if public else None
    case.served_on = deadline("service.public_notice_days", notice_on, case.agency).date if public else served_on
    issue(
        actor,
        case,
        "service_receipt",
        acted_on,
        served_document=case.decision_number,
        service_method=SERVICE_METHODS[method],
        served_at=deadlines.service_words(case),
        officers=getattr(actor, "full_name", ""),
        signature_text=_("（受送达人签名）") if not public else _("（公告送达，无受送达人签名）"),
    )
    data = {"served_on": case.served_on, "method": method, "late": late}
    return commit(actor, case, "serve", data | ({"notice_on": notice_on} if public else {}))


def late_fee(case: Case, paid_on: dt.date) -> Decimal:
    """加处罚款: 3 % of the fine for each day after the payment deadline, never more than the fine (art 72); the days
    of a 复议 or 诉讼 are not counted (art 73 ¶3)."""
    fine = case.decided_fine or Decimal(0)
    days = deadlines.surcharge_days(case, until=paid_on)
    if days <= 0 or not fine:
        return Decimal(0)
    rate = rule("late_fee.percent_per_day", case.agency).value / Decimal(100)
    return min((fine * rate * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), fine)


def amount_due(case: Case, on: dt.date) -> Decimal:
    if case.paid_on:
        return case.surcharge_owed if not case.surcharge_paid_on and case.surcharge_owed else Decimal(0)
    return (case.decided_fine or Decimal(0)) + late_fee(case, on)


def annulled(case: Case) -> bool:
    """Whether a 复议 or 诉讼 revoked the decision or found it void: nothing of it is left to carry out."""
    return case.challenges.filter(outcome__in=ANNULLING_OUTCOMES).exists()


@transaction.atomic
def case_record_payment(
    *, actor, case: Case, paid_on: dt.date, amount: Decimal, late_reason: str = "", version=None
) -> Case:
    """Record a payment (罚缴分离: paid at the bank; the agency records the receipt). The fine with its 加处罚款, or
    the fine alone — the 加处罚款 then stays owed, as computed on that day, and a later payment settles it."""
    case = lock(case, "pay", version=version)
    act_on(case, paid_on, _("缴纳日期"), late_reason)
    if case.outcome != Outcome.PENALTY or not case.decided_fine or annulled(case) or not amount_due(case, paid_on):
        raise ValidationError(_("本案没有需要缴纳的罚款或加处罚款。"), code="nothing_to_pay")
    if paid_on < (case.service_notice_on or case.served_on) or (case.paid_on and paid_on < case.paid_on):
        raise ValidationError({"paid_on": _("缴纳日期不能早于送达日期或上次缴纳日期。")})
    if case.paid_on:  # the fine was paid: this settles the 加处罚款 left owed
        if amount < case.surcharge_owed:
            raise ValidationError(
                {"amount": _("尚欠加处罚款 %(due)s 元，缴纳金额不足。") % {"due": case.surcharge_owed}}
            )
        case.surcharge_paid_on = paid_on
        return commit(actor, case, "pay", {"paid_on": paid_on, "amount": amount, "surcharge": True})
    fee = late_fee(case, paid_on)
    if amount < case.decided_fine:
        raise ValidationError(
            {
                "amount": _("应缴罚款 %(fine)s 元（另有加处罚款 %(fee)s 元），缴纳金额不足罚款本金。")
                % {"fine": case.decided_fine, "fee": fee}
            }
        )
    owed = max(case.decided_fine + fee - amount, Decimal(0))
    case.paid_on, case.paid_amount = paid_on, amount
    case.surcharge_owed = owed or None
    return commit(actor, case, "pay", {"paid_on": paid_on, "amount": amount, "late_fee": fee, "surcharge_owed": owed})


@transaction.atomic
def case_defer_payment(*, actor, case: Case, until: dt.date, reason: str, version=None) -> Case:
    """暂缓或者分期缴纳, approved by the head on the party's request before the deadline (art 66)."""
    case = lock(case, "defer", version=version)
    gates.require_head(actor, case.agency, _("延期、分期缴纳罚款"))
    if today() > deadlines.payment_due(case).date:
        raise RuleViolation(
            _("应当在缴纳期限届满前申请延期或者分期缴纳"),
            code="deferral_late",
            citation="《行政处罚法》第六十六条；《环境行政处罚办法》（2010）第六十四条",
        )
    if until <= deadlines.payment_due(case).date:
        raise ValidationError({"until": _("延期后的期限须晚于原缴纳期限。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请说明当事人确有经济困难的情况。")})
    if actor:
        approve(case, Approval.Step.DEFERRAL, actor, reason)
    case.deferred_until = until
    issue(
        actor,
        case,
        "instalment_notice",
        today(),
        decision_text=_("同意延期（分期）缴纳罚款，请于%(date)s缴清。") % {"date": deadline_words(until, formal=True)},
    )
    return commit(actor, case, "defer", {"until": until})


@transaction.atomic
def case_remind(*, actor, case: Case, served_on: dt.date, late_reason: str = "", version=None) -> Case:
    """催告 after the payment deadline passed without payment (《行政强制法》第三十五条、第五十四条)."""
    case = lock(case, "remind", version=version)
    act_on(case, served_on, _("催告书送达日期"), late_reason)
    if case.paid_on or served_on <= deadlines.payment_due(case).date:
        raise ValidationError(_("缴纳期限届满且未缴纳的，方可催告。"), code="remind_too_early")
    case.reminder_served_on = served_on
    issue(
        actor,
        case,
        "reminder",
        served_on,
        deadline_text=last_day_words(
            deadline("court_application.after_notice_workdays", served_on, case.agency).date, formal=True
        ),
        decision_text=_("请于收到本催告书后十日内履行 %(number)s 决定，缴纳罚款及加处罚款 %(due)s 元。")
        % {"number": case.decision_number, "due": amount_due(case, served_on)},
        rights_text=_("你（单位）有权进行陈述和申辩。"),
    )
    return commit(actor, case, "remind", {"served_on": served_on})


@transaction.atomic
def case_apply_court(*, actor, case: Case, applied_on: dt.date, late_reason: str = "", version=None) -> Case:
    """申请人民法院强制执行: 10 working days after the 催告, within 3 months after the litigation window closes."""
    case = lock(case, "apply_court", version=version)
    act_on(case, applied_on, _("申请日期"), late_reason)
    if case.reminder_served_on is None:
        raise RuleViolation(
            _("申请强制执行前，应当催告当事人履行义务"), code="no_reminder", citation="《行政强制法》第五十四条"
        )
    after_notice = deadline("court_application.after_notice_workdays", case.reminder_served_on, case.agency)
    if applied_on < after_notice.date:
        raise RuleViolation(
            _("催告书送达十日后当事人仍未履行的，方可申请"),
            code="court_too_early",
            citation=rule("court_application.after_notice_workdays", case.agency).citation,
        )
    opens, closes = deadlines.court_window(case)
    if not opens.date < applied_on <= closes.date:
        raise RuleViolation(
            _("应自复议、诉讼期限届满之日起三个月内申请（%(period)s）")
            % {"period": period_words(period_end(opens.date, 1, "calendar_days", moves=False).date, closes.date)},
            code="court_window",
            citation=rule("court_application.months", case.agency).citation,
        )
    case.court_applied_on = applied_on
    issue(
        actor,
        case,
        "enforcement_application",
        applied_on,
        facts=case.facts,
        decision_text=_("申请强制执行 %(number)s 行政处罚决定。") % {"number": case.decision_number},
    )
    return commit(actor, case, "apply_court", {"applied_on": applied_on})


@transaction.atomic
def case_close(*, actor, case: Case, summary: str, version=None) -> Case:
    """结案 when the decision was performed or enforced, or needed no execution (2010 办法 art 67)."""
    case = lock(case, "close", version=version)
    gates.require_head(actor, case.agency, _("结案"))
    owed = case.outcome == Outcome.PENALTY and case.decided_fine and not annulled(case)
    if (
        owed
        and not case.court_applied_on
        and (not case.paid_on or (case.surcharge_owed and not case.surcharge_paid_on))
    ):
        raise RuleViolation(
            _("罚款或加处罚款尚未缴纳，也未申请强制执行，不能结案"),
            code="not_executed",
            citation="《环境行政处罚办法》（2010）第六十七条；《行政强制法》第四十五条",
        )
    if not summary.strip():
        raise ValidationError({"summary": _("请写明结案情况。")})
    if actor:
        approve(case, Approval.Step.CLOSING, actor, _("同意结案"))
    case.closed_on, case.ending_reason = today(), summary.strip()
    issue(actor, case, "closing_approval", today(), summary=case.ending_reason, approval_text=_("同意结案"))
    return commit(actor, case, "close")


@transaction.atomic
def case_archive(*, actor, case: Case, bag_sha256: str = "", version=None) -> Case:
    """归档: one case, one file; from now on nothing in it may be changed, added or removed (2010 办法 art 70).

    `bag_sha256` is the archived case file that the evidence app packed (see case_file_archive).
    """
    case = lock(case, "archive", version=version)
    case.archived_on, case.archive_sha256 = today(), bag_sha256
    return commit(actor, case, "archive", {"archived_on": case.archived_on, "sha256": bag_sha256})


def case_file_archive(*, actor, case: Case, version=None) -> Case:
    """Archive a closed case with its case file, in the background: the app that keeps the evidence packs the file
    (a BagIt bag a court can verify offline, with every document as PDF — LibreOffice takes seconds a document, the
    evidence can run to gigabytes), then the case records the package's hash as it becomes read-only.

    Checked now (the table's move, the actor's role, the version seen), then queued for the background worker and
    marked as asked for, so the case page shows the work under way until the bag is stored; returns the case as it
    is then (archived already when the worker runs tasks at once: the demo, the tests). Called outside any
    transaction, like every request. A case the table does not allow to be archived is refused by case_archive,
    with its message.
    """
    if not CASE.allows(case, "archive"):
        return case_archive(actor=actor, case=case, version=version)
    CASE.require(actor, case.agency, "archive")
    with transaction.atomic():
        locked = CASE.lock(case, "archive", version=version)
        if locked.archiving:
            return locked  # already queued: a second click changes nothing (a request gone stale is queued again)
        Case.objects.filter(pk=case.pk).update(archive_requested_at=timezone.now())
    from sanxiang.cases.tasks import archive_case_file

    archive_case_file(case.pk, getattr(actor, "pk", None), version)
    return Case.objects.get(pk=case.pk)


def case_file_pack_and_archive(*, actor, case: Case, version=None) -> Case:
    """The work case_file_archive queues: pack the file, then archive the case with the package's hash. The packing
    runs before the archiving transaction, because it renders every document. A failure clears the request, so the
    case page offers 归档 again, and is raised for the worker's log.

    Idempotent: a request asked again after one went stale may queue this twice, and a slow worker may still finish
    the first; whichever comes second finds the case archived and leaves it as it is."""
    case = Case.objects.get(pk=case.pk)
    if case.archived_on:
        return case
    try:
        digest = hooks.case_file_packer.provider(case=case)
        with transaction.atomic():
            current = Case.objects.select_for_update().get(pk=case.pk)
            if current.archived_on:
                return current
            return case_archive(actor=actor, case=current, bag_sha256=digest, version=version)
    except BaseException:
        Case.objects.filter(pk=case.pk, archived_on__isnull=True).update(archive_requested_at=None)
        raise
