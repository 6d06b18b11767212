"""当场处罚 (simple procedure) and the coercive and related measures: 查封扣押, 责令改正, 按日连续处罚, 限产停产."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases import gates, hooks
from sanxiang.cases.models import (
    AV_CITATION,
    Act,
    Case,
    CorrectionOrder,
    DailyPenalty,
    OnSitePenalty,
    Party,
    PenaltyKind,
    ProductionMeasure,
    Seizure,
)
from sanxiang.cases.services.base import (
    act_on,
    commit,
    decision_issued,
    issue,
    lock,
    moment_facts,
    officer_names,
    today,
)
from sanxiang.core.calendar import add_months
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import deadline_words, last_day_words, period_words
from sanxiang.documents.services import document_issue
from sanxiang.documents.texts import payment_fields, remedy_fields
from sanxiang.ledger.services import ledger_append


def _link_recordings(case: Case, act: str, measure) -> None:
    """The act's audio/video records not yet linked to another measure go with this one (the evidence app keeps
    them: hooks.measure_recordings); at least one is required, or the measure is not decided."""
    if not hooks.measure_recordings.provider(case=case, act=act, measure=measure):
        raise RuleViolation(
            _("%(act)s应当全程音像记录，请先登记该环节的录音录像") % {"act": Act(act).label},
            code="audiovisual_required",
            citation=AV_CITATION,
        )


@transaction.atomic
def onsite_penalty_decide(
    *,
    actor,
    agency: Agency,
    party: Party,
    officers,
    decided_at: dt.datetime,
    place: str,
    facts: str,
    basis: str,
    kind: str,
    fine: Decimal | None = None,
    late_reason: str = "",
) -> OnSitePenalty:
    """当场处罚: a warning, or a fine of at most 200 yuan (citizen) / 3,000 yuan (organisation), decided on the spot
    by certified officers with the pre-numbered decision form (《行政处罚法》第五十一条、第五十二条)."""
    day = timezone.localtime(decided_at).date()
    late = moment_facts(decided_at, _("决定时间"), late_reason)
    certified = gates.certified_officers(officers, on=day, agency=agency)
    if kind not in OnSitePenalty.Kind.values:
        raise ValidationError({"kind": _("简易程序只能给予警告或者罚款。")})
    if kind == OnSitePenalty.Kind.FINE:
        organisation, reading = gates.amounts_as_organisation(party, agency)
        limit = rule("simple.organisation_max_fine" if organisation else "simple.citizen_max_fine", agency)
        if not fine or fine <= 0:
            raise ValidationError({"fine": _("请填写罚款金额。")})
        if fine > limit.value:
            raise RuleViolation(
                _("当场罚款不得超过 %(limit)s 元，应当适用普通程序") % {"limit": limit.value},
                code="simple_procedure_limit",
                citation="；".join(filter(None, [limit.citation, reading])),
            )
    elif fine:
        raise ValidationError({"fine": _("给予警告的，不填写罚款。")})
    if not (facts.strip() and basis.strip() and place.strip()):
        raise ValidationError(_("违法事实、处罚依据和地点都须填写。"), code="incomplete")
    penalty = OnSitePenalty.objects.create(
        agency=agency,
        party=party,
        decided_at=decided_at,
        place=place.strip(),
        facts=facts.strip(),
        basis=basis.strip(),
        kind=kind,
        fine=fine,
    )
    penalty.officers.set(certified.keys())
    document = document_issue(
        actor=actor,
        agency=agency,
        doc_type_code="onsite_decision",
        subject=penalty,
        issued_on=day,
        context={
            "party_name": party.name,
            "party_code": party.code,
            "party_address": party.address,
            "legal_representative": party.legal_representative,
            "facts": penalty.facts,
            "basis": penalty.basis,
            "officers": "、".join(f"{c.holder.full_name}（{c.number}）" for c in certified.values()),
            "decision_text": _("警告") if kind == "warning" else _("罚款人民币 %(fine)s 元") % {"fine": fine},
            **(payment_fields(agency) if kind == OnSitePenalty.Kind.FINE else {}),
            **remedy_fields(agency),
        },
    )
    penalty.number = document.number
    penalty.save(update_fields=["number"])
    ledger_append(
        actor=actor,
        agency=agency,
        action="onsite_penalty.decide",
        subject=penalty,
        data={
            "kind": kind,
            "fine": fine,
            "number": document.number,
            "officers": sorted(f"staff:{pk}" for pk in certified),
        }
        | ({"late": {"acted_on": day, "recorded_on": timezone.localdate()}} if late else {}),
    )
    return penalty


@transaction.atomic
def seizure_decide(
    *,
    actor,
    case: Case,
    kind: str,
    items: str,
    place: str,
    officers,
    approver,
    started_on: dt.date,
    days: int,
    emergency: bool = False,
    late_reason: str = "",
) -> Seizure:
    """查封、扣押: approved by the head beforehand (or, in an emergency, reported within 24 hours), carried out by
    certified officers, for at most 30 days (《行政强制法》第十八条、第十九条、第二十五条; 部令第29号)."""
    case = lock(case, "seize")
    act_on(case, started_on, _("实施日期"), late_reason)
    certified = gates.certified_officers(officers, on=started_on, agency=case.agency)
    if kind not in Seizure.Kind.values:
        raise ValidationError({"kind": _("请选择查封或者扣押。")})
    if not emergency:
        gates.require_head(approver, case.agency, _("查封、扣押"))
    limit = rule("seizure.max_days", case.agency)
    if not 0 < days <= limit.number:
        raise RuleViolation(_("查封、扣押的期限不得超过三十日"), code="seizure_too_long", citation=limit.citation)
    if not items.strip():
        raise ValidationError({"items": _("请列明查封、扣押的设施、设备或物品。")})
    seizure = Seizure.objects.create(
        case=case,
        kind=kind,
        items=items.strip(),
        place=place.strip(),
        approved_by=None if emergency else approver,
        emergency=emergency,
        started_on=started_on,
        ends_on=started_on + dt.timedelta(days=days),
    )
    _link_recordings(case, Act.SEIZURE, seizure)
    seizure.officers.set(certified.keys())
    document = issue(
        actor,
        case,
        "seizure_decision",
        started_on,
        subject=seizure,
        items=seizure.items,
        deadline_text=period_words(started_on, seizure.ends_on, formal=True),
        facts=case.facts or case.summary,
        basis="《中华人民共和国环境保护法》第二十五条；《中华人民共和国行政强制法》第二十五条",
        **remedy_fields(case.agency),
    )
    decision_issued(
        actor,
        case,
        document,
        content=_("%(kind)s：%(items)s（%(period)s）")
        % {
            "kind": seizure.get_kind_display(),
            "items": seizure.items,
            "period": period_words(started_on, seizure.ends_on),
        },
    )
    issue(
        actor,
        case,
        "seizure_list",
        started_on,
        subject=seizure,
        items=seizure.items,
        signature_text=officer_names(certificate.holder for certificate in certified.values()),
    )
    commit(
        actor, case, "seize", {"seizure": seizure.pk, "kind": kind, "until": seizure.ends_on, "emergency": emergency}
    )
    return seizure


@transaction.atomic
def seizure_report_emergency(*, actor, seizure: Seizure, approver, reported_at: dt.datetime) -> Seizure:
    """An emergency seizure reported to the head, who must approve within 24 hours or it is released."""
    case = lock(seizure.case, "seize")
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    gates.require_head(approver, case.agency, _("补办查封、扣押批准手续"))
    hours = rule("seizure.emergency_report_hours", case.agency)
    started = timezone.make_aware(dt.datetime.combine(seizure.started_on, dt.time.max))
    if not seizure.emergency or seizure.approved_by_id:
        raise ValidationError(_("该查封、扣押不是待补办批准的紧急措施。"), code="not_emergency")
    if reported_at > started + dt.timedelta(hours=hours.number):
        raise RuleViolation(
            _("紧急实施查封、扣押后，应当在二十四小时内报告并补办批准手续，逾期应当立即解除"),
            code="emergency_report_late",
            citation=hours.citation,
        )
    seizure.approved_by, seizure.reported_at = approver, reported_at
    seizure.save(update_fields=["approved_by", "reported_at"])
    commit(actor, case, "seize", {"seizure": seizure.pk, "approved": f"staff:{approver.pk}"})
    return seizure


@transaction.atomic
def seizure_extend(*, actor, seizure: Seizure, days: int, reason: str) -> Seizure:
    """Extend once, by at most 30 days, before the period ends, with the head's approval and written reasons."""
    case = lock(seizure.case, "seize")
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    gates.require_head(actor, case.agency, _("延长查封、扣押期限"))
    limit = rule("seizure.extension_days", case.agency)
    if seizure.extended or seizure.released_on:
        raise RuleViolation(_("查封、扣押期限只能延长一次"), code="seizure_extended_twice", citation=limit.citation)
    if today() > seizure.ends_on:
        raise RuleViolation(_("查封、扣押期限已经届满，不能延长"), code="seizure_expired", citation=limit.citation)
    if not 0 < days <= limit.number or not reason.strip():
        raise RuleViolation(
            _("延长期限不得超过三十日，并须书面说明理由"), code="seizure_extension_invalid", citation=limit.citation
        )
    seizure.ends_on += dt.timedelta(days=days)
    seizure.extended, seizure.extension_reason = True, reason.strip()
    seizure.save()
    issue(
        actor,
        case,
        "seizure_extension",
        today(),
        subject=seizure,
        deadline_text=last_day_words(seizure.ends_on, formal=True),
        reason=seizure.extension_reason,
        **remedy_fields(case.agency),
    )
    commit(actor, case, "seize", {"seizure": seizure.pk, "extended_until": seizure.ends_on})
    return seizure


@transaction.atomic
def seizure_release(*, actor, seizure: Seizure, released_on: dt.date, reason: str, late_reason: str = "") -> Seizure:
    """解除查封、扣押, served within 3 working days (部令第29号 art 21)."""
    case = lock(seizure.case, "seize")
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    act_on(case, released_on, _("解除日期"), late_reason)
    if seizure.released_on:
        raise ValidationError(_("已经解除。"), code="already_released")
    if not reason.strip():
        raise ValidationError({"reason": _("请说明解除理由。")})
    seizure.released_on, seizure.release_reason = released_on, reason.strip()
    seizure.save()
    issue(
        actor, case, "seizure_release", released_on, subject=seizure, reason=seizure.release_reason, items=seizure.items
    )
    commit(actor, case, "seize", {"seizure": seizure.pk, "released_on": released_on})
    return seizure


@transaction.atomic
def correction_order_issue(
    *, actor, case: Case, content: str, served_on: dt.date, correct_by: dt.date, late_reason: str = ""
) -> CorrectionOrder:
    """责令改正违法行为决定书 (《行政处罚法》第二十八条)."""
    case = lock(case, "order_correction")
    act_on(case, served_on, _("送达日期"), late_reason)
    if correct_by < served_on or not content.strip():
        raise ValidationError(_("请写明改正内容和不早于送达日的改正期限。"), code="incomplete")
    order = CorrectionOrder.objects.create(
        case=case, content=content.strip(), served_on=served_on, correct_by=correct_by
    )
    document = issue(
        actor,
        case,
        "correction_order",
        served_on,
        subject=order,
        deadline_text=deadline_words(correct_by, formal=True),
        facts=case.facts or case.summary,
        basis=case.basis or (case.violation.basis if case.violation else ""),
        decision_text=order.content,
        **remedy_fields(case.agency),
    )
    order.number = document.number
    order.save(update_fields=["number"])
    decision_issued(
        actor,
        case,
        document,
        content=_("责令改正：%(content)s（%(date)s）") % {"content": order.content, "date": deadline_words(correct_by)},
    )
    commit(actor, case, "order_correction", {"order": order.pk, "served_on": served_on})
    return order


@transaction.atomic
def daily_penalty_decide(
    *, actor, case: Case, order: CorrectionOrder, reinspected_on: dt.date, late_reason: str = ""
) -> DailyPenalty:
    """按日连续处罚: only after the original penalty decision; the re-inspection within 30 days of the order found the
    violation continuing; original fine × days from the day after service to the re-inspection day (令第28号)."""
    case = lock(case, "daily_penalty")
    act_on(case, reinspected_on, _("复查日期"), late_reason)
    if case.decided_on is None or not case.decided_fine:
        raise RuleViolation(
            _("按日连续处罚应当在作出原处罚决定之后实施"),
            code="no_original_penalty",
            citation="《环境保护主管部门实施按日连续处罚办法》第七条",
        )
    window = deadline("daily_penalty.reinspection_days", order.served_on, case.agency)
    if not order.served_on < reinspected_on <= window.date:
        raise RuleViolation(
            _("应当自送达责令改正决定书之日起三十日内复查（至 %(date)s）") % {"date": last_day_words(window.date)},
            code="reinspection_window",
            citation=rule("daily_penalty.reinspection_days", case.agency).citation,
        )
    days = (reinspected_on - order.served_on).days
    amount = case.decided_fine * days
    penalty = DailyPenalty.objects.create(
        case=case, order=order, reinspected_on=reinspected_on, days=days, amount=amount
    )
    document = issue(
        actor,
        case,
        "daily_penalty_decision",
        reinspected_on,
        subject=penalty,
        facts=_("经复查，当事人拒不改正违法行为。"),
        basis="《中华人民共和国环境保护法》第五十九条",
        decision_text=_("按原处罚数额 %(fine)s 元按日连续处罚 %(days)d 日，罚款 %(amount)s 元。")
        % {"fine": case.decided_fine, "days": days, "amount": amount},
        **payment_fields(case.agency),
        **remedy_fields(case.agency),
    )
    penalty.number = document.number
    penalty.save(update_fields=["number"])
    decision_issued(
        actor,
        case,
        document,
        kinds=[PenaltyKind.FINE],
        fine=amount,
        content=_("按日连续处罚 %(days)d 日，罚款人民币 %(amount)s 元") % {"days": days, "amount": amount},
    )
    commit(actor, case, "daily_penalty", {"days": days, "amount": amount, "number": document.number})
    return penalty


@transaction.atomic
def production_measure_decide(
    *, actor, case: Case, kind: str, started_on: dt.date, months: int = 0, late_reason: str = ""
) -> ProductionMeasure:
    """责令限制生产（≤ 3 months）or 停产整治, decided by the head (部令第30号 arts 10, 15)."""
    case = lock(case, "limit_production")
    gates.require_head(actor, case.agency, _("责令限制生产、停产整治"))
    act_on(case, started_on, _("起始日期"), late_reason)
    if kind not in ProductionMeasure.Kind.values:
        raise ValidationError({"kind": _("请选择限制生产或停产整治。")})
    ends_on = None
    if kind == ProductionMeasure.Kind.LIMIT:
        limit = rule("production_limit.max_months", case.agency)
        if not 0 < months <= limit.number:
            raise RuleViolation(_("限制生产一般不超过三个月"), code="limit_too_long", citation=limit.citation)
        ends_on = add_months(started_on, months).date
    measure = ProductionMeasure.objects.create(case=case, kind=kind, started_on=started_on, ends_on=ends_on)
    _link_recordings(case, Act.PRODUCTION, measure)
    code = "production_limit_decision" if kind == "limit" else "production_stop_decision"
    document = issue(
        actor,
        case,
        code,
        started_on,
        subject=measure,
        facts=case.facts or case.summary,
        basis="《中华人民共和国环境保护法》第六十条；《实施限制生产、停产整治办法》",
        decision_text=measure.get_kind_display(),
        deadline_text=period_words(started_on, ends_on, formal=True) if ends_on else "",
        **remedy_fields(case.agency),
    )
    measure.number = document.number
    measure.save(update_fields=["number"])
    decision_issued(
        actor,
        case,
        document,
        content=measure.get_kind_display()
        + (_("（至 %(date)s）") % {"date": last_day_words(ends_on)} if ends_on else ""),
    )
    commit(actor, case, "limit_production", {"kind": kind, "until": ends_on, "number": document.number})
    return measure
