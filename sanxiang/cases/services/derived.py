"""Decisions that follow from an earlier case, each decided in a case of its own through the ordinary procedure.

按日连续处罚 (《环境保护法》第五十九条, 令第28号): after the original penalty decision and its correction order, a
re-inspection within 30 days finds the violation continuing; the head approves a new case whose fine is the
original fine times the days from the day after the order was served to the re-inspection day. It is notified with
that amount and day count, the party may state its case and ask for a hearing, the catalogue's legal review and
collective discussion apply, and only then is it decided and published.

限制生产、停产整治 (《环境保护法》第六十条, 令第30号): proposed in a new case with its measure and period, notified with
the rights to state a case and to a hearing (art 11), reviewed as the catalogue says (a coercive measure), decided
by the head, and in force from the decision.

责令停业、关闭 (《环境保护法》第六十条, 令第30号 art 8): proposed in a new case (services.closure), decided once the
people's government with the power approved it; its decision names the approval.

The original case records that each was opened (its `daily_penalty` / `limit_production` / `propose_closure` moves),
and the derived case carries its own clocks, documents, review and history.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sanxiang.cases import gates
from sanxiang.cases.models import (
    Act,
    Case,
    CaseKind,
    CorrectionOrder,
    DailyPenalty,
    ProductionMeasure,
    Seizure,
    Source,
)
from sanxiang.cases.services.base import act_on, commit, issue, lock, today
from sanxiang.cases.services.filing import case_file
from sanxiang.cases.services.measures import link_recordings
from sanxiang.cases.services.parties import case_open
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import last_day_words, period_words
from sanxiang.documents.texts import payment_fields, remedy_fields

DAILY_BASIS = "《中华人民共和国环境保护法》第五十九条；《环境保护主管部门实施按日连续处罚办法》"
PRODUCTION_BASIS = "《中华人民共和国环境保护法》第六十条；《环境保护主管部门实施限制生产、停产整治办法》"
CLOSURE_BASIS = "《中华人民共和国环境保护法》第六十条；《环境保护主管部门实施限制生产、停产整治办法》第八条"
DERIVED_BASIS = {
    CaseKind.DAILY_PENALTY: DAILY_BASIS,
    CaseKind.PRODUCTION: PRODUCTION_BASIS,
    CaseKind.CLOSURE: CLOSURE_BASIS,
}


def derive_case(actor, origin: Case, *, kind: str, title: str, summary: str, found_on: dt.date, investigators) -> Case:
    """The derived case, registered and filed at once with the head's approval (the act that gives rise to it is
    the continuing violation the re-inspection or the monitoring found)."""
    derived = case_open(
        actor=actor,
        agency=origin.agency,
        party=origin.party,
        title=title,
        source=Source.FOLLOW_UP,
        violation=origin.violation,
        act_date=min(origin.act_date, found_on),
        act_continuing=True,
        act_place=origin.act_place,
        act_division=origin.act_division,
        discovered_on=found_on,
        summary=summary,
        kind=kind,
        origin=origin,
    )
    return case_file(
        actor=actor, case=derived, investigators=investigators, opinion=_("同意立案（%(kind)s）") % {"kind": kind}
    )


def _stopped_by_measure(origin: Case, start: dt.date, end: dt.date) -> str:
    """A seizure or production measure in force between the order's service and the re-inspection stopped the
    discharge: no daily penalty for that time (令第28号 art 20). Returns what stopped it ("" if nothing did)."""
    overlapping = Q(started_on__lte=end) & (Q(released_on__isnull=True) | Q(released_on__gt=start))
    seizures = Seizure.objects.filter(Q(case=origin) | Q(case__origin=origin), started_on__isnull=False)
    if seizures.filter(overlapping).exists():
        return str(_("查封、扣押"))
    measures = ProductionMeasure.objects.filter(case__origin=origin, started_on__isnull=False).filter(overlapping)
    return str(_("限制生产、停产整治")) if measures.exists() else ""


@transaction.atomic
def daily_penalty_open(
    *, actor, case: Case, order: CorrectionOrder, reinspected_on: dt.date, investigators, late_reason: str = ""
) -> Case:
    """按日连续处罚立案: the re-inspection found the violation continuing; the derived case proposes the computed fine."""
    origin = lock(case, "daily_penalty")
    gates.require_head(actor, origin.agency, _("按日连续处罚立案"))
    act_on(origin, reinspected_on, _("复查日期"), late_reason)
    if origin.kind != CaseKind.PENALTY or origin.decided_on is None or not origin.decided_fine:
        raise RuleViolation(
            _("按日连续处罚应当在作出原处罚决定之后实施"),
            code="no_original_penalty",
            citation="《环境保护主管部门实施按日连续处罚办法》第七条",
        )
    if order.case_id != origin.pk:
        raise ValidationError({"order": _("请选择本案的责令改正违法行为决定书。")})
    window = deadline("daily_penalty.reinspection_days", order.served_on, origin.agency)
    if not order.served_on < reinspected_on <= window.date:
        raise RuleViolation(
            _("应当自送达责令改正决定书之日起三十日内复查（至 %(date)s）") % {"date": last_day_words(window.date)},
            code="reinspection_window",
            citation=rule("daily_penalty.reinspection_days", origin.agency).citation,
        )
    stopped = _stopped_by_measure(origin, order.served_on, reinspected_on)
    if stopped:
        raise RuleViolation(
            _("复查期间已采取%(measure)s，排污行为已被停止，不适用按日连续处罚") % {"measure": stopped},
            code="discharge_stopped",
            citation="《环境保护主管部门实施按日连续处罚办法》第二十条",
        )
    if DailyPenalty.objects.filter(order=order, reinspected_on__gte=reinspected_on).exists():
        raise ValidationError(_("该复查日期之前已有按日连续处罚立案。"), code="already_counted")
    # From the day after the order was served to the re-inspection day (art 17); a later round counts on (art 19).
    days = reinspected_on.toordinal() - order.served_on.toordinal()
    amount = origin.decided_fine * days
    summary = _(
        "%(served)s 送达责令改正违法行为决定书 %(number)s，%(reinspected)s 复查发现当事人拒不改正。"
        "按原处罚决定 %(decision)s 的罚款数额 %(fine)s 元，自送达次日起至复查之日计罚 %(days)d 日，拟罚款 %(amount)s 元。"
    ) % {
        "served": order.served_on,
        "number": order.number,
        "reinspected": reinspected_on,
        "decision": origin.decision_number,
        "fine": origin.decided_fine,
        "days": days,
        "amount": amount,
    }
    title = _("%(title)s（按日连续处罚）") % {"title": origin.title}
    derived = derive_case(
        actor,
        origin,
        kind=CaseKind.DAILY_PENALTY,
        title=title,
        summary=summary,
        found_on=reinspected_on,
        investigators=investigators,
    )
    DailyPenalty.objects.create(
        case=derived,
        order=order,
        reinspected_on=reinspected_on,
        daily_amount=origin.decided_fine,
        days=days,
        amount=amount,
    )
    commit(actor, origin, "daily_penalty", {"derived": derived.pk, "days": days, "amount": amount})
    return derived


@transaction.atomic
def production_measure_open(
    *, actor, case: Case, kind: str, investigators, months: int | None = None, reason: str = ""
) -> Case:
    """责令限制生产、停产整治立案: the measure and its period are proposed in a derived case (令第30号 arts 5, 6, 15)."""
    origin = lock(case, "limit_production")
    gates.require_head(actor, origin.agency, _("责令限制生产、停产整治立案"))
    if kind not in ProductionMeasure.Kind.values:
        raise ValidationError({"kind": _("请选择限制生产或停产整治。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明适用的情形（超标、超总量等）和事实。")})
    if kind == ProductionMeasure.Kind.LIMIT:
        limit = rule("production_limit.max_months", origin.agency)
        if not months or not 0 < months <= limit.number:
            raise RuleViolation(
                _("限制生产一般不超过 %(months)d 个月") % {"months": limit.number},
                code="limit_too_long",
                citation=limit.citation,
            )
    measure_name = ProductionMeasure.Kind(kind).label
    derived = derive_case(
        actor,
        origin,
        kind=CaseKind.PRODUCTION,
        title=_("%(title)s（%(measure)s）") % {"title": origin.title, "measure": measure_name},
        summary=reason.strip(),
        found_on=today(),
        investigators=investigators,
    )
    ProductionMeasure.objects.create(case=derived, kind=kind, months=months if kind == "limit" else None)
    commit(actor, origin, "limit_production", {"derived": derived.pk, "kind": kind, "months": months})
    return derived


def derived_decision(actor, case: Case, on: dt.date):
    """The decision document of a derived case, and the measure it puts in force."""
    if case.kind == CaseKind.DAILY_PENALTY:
        daily = case.daily_penalty
        document = issue(
            actor,
            case,
            "daily_penalty_decision",
            on,
            subject=daily,
            facts=case.facts,
            basis=case.basis or DAILY_BASIS,
            decision_text=_("按原处罚数额 %(fine)s 元按日连续处罚 %(days)d 日，罚款 %(amount)s 元。")
            % {"fine": daily.daily_amount, "days": daily.days, "amount": case.decided_fine},
            **payment_fields(case.agency),
            **remedy_fields(case.agency),
        )
        daily.number = document.number
        daily.save(update_fields=["number"])
        return document
    if case.kind == CaseKind.CLOSURE:
        return _closure_decision(actor, case, on)
    measure = case.production_measures.get()
    link_recordings(case, Act.PRODUCTION, measure)
    measure.started_on = on
    if measure.kind == ProductionMeasure.Kind.LIMIT:
        measure.ends_on = deadline("production_limit.max_months", on, case.agency, amount=measure.months).date
    document = issue(
        actor,
        case,
        "production_limit_decision" if measure.kind == "limit" else "production_stop_decision",
        on,
        subject=measure,
        facts=case.facts,
        basis=case.basis or PRODUCTION_BASIS,
        decision_text=measure.get_kind_display(),
        deadline_text=period_words(on, measure.ends_on, formal=True) if measure.ends_on else "",
        **remedy_fields(case.agency),
    )
    measure.number = document.number
    measure.save(update_fields=["started_on", "ends_on", "number"])
    return document


def _closure_decision(actor, case: Case, on: dt.date):
    """责令停业、关闭决定书, naming the government's approval; carried out with its audio/video record."""
    closure = case.closure
    link_recordings(case, Act.CLOSURE, closure)
    document = issue(
        actor,
        case,
        "closure_decision",
        on,
        subject=closure,
        government=closure.government,
        approval_number=closure.approval_number,
        facts=case.facts,
        basis=case.basis or CLOSURE_BASIS,
        decision_text=_("经%(government)s批准（%(number)s），决定对你单位%(measure)s。")
        % {"government": closure.government, "number": closure.approval_number, "measure": closure.get_kind_display()},
        **remedy_fields(case.agency),
    )
    closure.started_on, closure.number = on, document.number
    closure.save(update_fields=["started_on", "number"])
    return document


def derived_content(case: Case) -> str:
    """What the publication of a derived case's decision says it decided."""
    if case.kind == CaseKind.CLOSURE:
        closure = case.closure
        return _("%(measure)s（经%(government)s批准，%(number)s）") % {
            "measure": closure.get_kind_display(),
            "government": closure.government,
            "number": closure.approval_number,
        }
    if case.kind == CaseKind.DAILY_PENALTY:
        return _("按日连续处罚 %(days)d 日，罚款人民币 %(amount)s 元") % {
            "days": case.daily_penalty.days,
            "amount": case.decided_fine,
        }
    measure = case.production_measures.get()
    ends = _("（至 %(date)s）") % {"date": last_day_words(measure.ends_on)} if measure.ends_on else ""
    return measure.get_kind_display() + ends
