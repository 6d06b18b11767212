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
    OnSitePenalty,
    Party,
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
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import deadline_words, last_day_words, period_words
from sanxiang.documents.services import document_issue
from sanxiang.documents.texts import payment_fields, remedy_fields
from sanxiang.ledger.services import ledger_append


def link_recordings(case: Case, act: str, measure) -> None:
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
        ends_on=deadline("seizure.max_days", started_on, case.agency, amount=days).date,
    )
    link_recordings(case, Act.SEIZURE, seizure)
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
    seizure.ends_on = deadline("seizure.extension_days", seizure.ends_on, case.agency, amount=days).date
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
