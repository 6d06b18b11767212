"""查封、扣押, decided in a case of its own (《环境保护法》第二十五条; 《行政强制法》第十八条、第十九条、第二十三条至第二十八条; 令第29号).

An officer proposes the seizure (呈批) on the case that found the violation; the proposal is a derived case at the
decision stage. The catalogue of major decisions lists 查封、扣押 as a coercive measure, so it is legally reviewed
like any decision (`base.review_needed`, the same gate `case_decide` applies) before the head approves it and it is
carried out — with its audio-video record, and the decision and list delivered on the spot.

In an emergency (art 19) the officers carry it out first: the proposal records when, and the decision and list are
issued at once. The review and the head's approval must then follow within 24 hours (`case_decide` refuses later
ones); a seizure not approved in time, or refused, is lifted. The case page shows which way it went.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.cases import gates
from sanxiang.cases.models import Act, Case, CaseKind, Outcome, Seizure, Source
from sanxiang.cases.services.base import (
    CASE,
    act_on,
    commit,
    decision_issued,
    issue,
    lock,
    moment_facts,
    officer_names,
    review_needed,
    today,
)
from sanxiang.cases.services.measures import link_recordings
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import last_day_words, period_words
from sanxiang.documents.texts import remedy_fields

SEIZURE_BASIS = "《中华人民共和国环境保护法》第二十五条；《中华人民共和国行政强制法》第二十五条"


@transaction.atomic
def seizure_propose(
    *,
    actor,
    case: Case,
    kind: str,
    items: str,
    place: str,
    reasons: str,
    officers,
    days: int,
    emergency: bool = False,
    started_at: dt.datetime | None = None,
    late_reason: str = "",
) -> Case:
    """查封、扣押呈批: the derived case that decides it; an emergency seizure is carried out at `started_at`."""
    origin = lock(case, "seize")
    if origin.kind != CaseKind.PENALTY:
        raise ValidationError(_("查封、扣押应当在原案件中提出。"), code="not_original")
    if kind not in Seizure.Kind.values:
        raise ValidationError({"kind": _("请选择查封或者扣押。")})
    if not items.strip():
        raise ValidationError({"items": _("请列明查封、扣押的设施、设备或物品。")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("请写明查封、扣押的理由（违法排放造成或者可能造成严重污染的事实）。")})
    limit = rule("seizure.max_days", origin.agency)
    if not days or not 0 < days <= limit.number:
        raise RuleViolation(
            _("查封、扣押的期限不得超过 %(days)d 日") % {"days": limit.number},
            code="seizure_too_long",
            citation=limit.citation,
        )
    if emergency and started_at is None:
        raise ValidationError({"started_at": _("当场实施的，请填写实施时间。")})
    late = moment_facts(started_at, _("当场实施时间"), late_reason) if emergency else None
    day = timezone.localtime(started_at).date() if emergency else today()
    certified = gates.certified_officers(officers, on=day, agency=origin.agency)
    seizure_case = Case.objects.create(
        agency=origin.agency,
        party=origin.party,
        title=_("%(title)s（%(kind)s）") % {"title": origin.title, "kind": Seizure.Kind(kind).label},
        source=Source.FOLLOW_UP,
        kind=CaseKind.SEIZURE,
        origin=origin,
        violation=origin.violation,
        act_date=origin.act_date,
        act_place=origin.act_place,
        act_division=origin.act_division,
        discovered_on=day,
        filed_on=day,
        summary=reasons.strip(),
        facts=reasons.strip(),
        evidence=items.strip(),
        basis=SEIZURE_BASIS,
        proposed_outcome=Outcome.MEASURE,
    )
    CASE.start(seizure_case, "propose_seizure")
    if late:
        seizure_case.__dict__["_late"] = [late]
    seizure_case.investigators.set(certified.keys())
    seizure = Seizure.objects.create(
        case=seizure_case,
        kind=kind,
        items=items.strip(),
        place=place.strip(),
        days=days,
        emergency=emergency,
        started_at=started_at if emergency else None,
    )
    seizure.officers.set(certified.keys())
    review_needed(seizure_case)
    if emergency:
        _carry_out(actor, seizure_case, seizure, day)
    commit(actor, seizure_case, "propose_seizure", {"seizure": seizure.pk, "kind": kind, "emergency": emergency})
    commit(actor, origin, "seize", {"derived": seizure_case.pk, "emergency": emergency})
    return seizure_case


def _carry_out(actor, case: Case, seizure: Seizure, on: dt.date):
    """The seizure takes effect: its audio-video record is required, the decision and the list are delivered on the
    spot (《行政强制法》第二十四条) and the decision opens its publication."""
    seizure.started_on = on
    seizure.ends_on = deadline("seizure.max_days", on, case.agency, amount=seizure.days).date
    seizure.save(update_fields=["started_on", "ends_on"])
    link_recordings(case, Act.SEIZURE, seizure)
    document = issue(
        actor,
        case,
        "seizure_decision",
        on,
        subject=seizure,
        items=seizure.items,
        deadline_text=period_words(on, seizure.ends_on, formal=True),
        facts=case.facts,
        basis=case.basis,
        **remedy_fields(case.agency),
    )
    decision_issued(
        actor,
        case,
        document,
        content=_("%(kind)s：%(items)s（%(period)s）")
        % {"kind": seizure.get_kind_display(), "items": seizure.items, "period": period_words(on, seizure.ends_on)},
    )
    issue(
        actor,
        case,
        "seizure_list",
        on,
        subject=seizure,
        items=seizure.items,
        signature_text=officer_names(seizure.officers.all()),
    )
    case.decision_number = document.number
    return document


def approval_due(seizure: Seizure) -> dt.datetime:
    """The moment by which an emergency seizure must be reviewed and approved (24 hours from its start)."""
    hours = rule("seizure.emergency_report_hours", seizure.case.agency).number
    return seizure.started_at + dt.timedelta(hours=hours)


def seizure_approve(actor, case: Case, on: dt.date) -> None:
    """The head's decision on the seizure case (called by `case_decide` once the review gate holds): carry a proposed
    seizure out, or approve an emergency one after the fact — within 24 hours, or not at all (art 19)."""
    seizure = case.seizures.select_for_update().get()
    if seizure.released_on:
        raise ValidationError(_("该查封、扣押已经解除。"), code="already_released")
    if not seizure.emergency:
        seizure.approved_by = actor
        seizure.save(update_fields=["approved_by"])
        _carry_out(actor, case, seizure, on)
        return
    if timezone.now() > approval_due(seizure):
        raise RuleViolation(
            _("紧急实施的查封、扣押应当在二十四小时内（%(due)s 前）补办批准手续，逾期应当立即解除")
            % {"due": timezone.localtime(approval_due(seizure)).strftime("%Y-%m-%d %H:%M")},
            code="emergency_report_late",
            citation=rule("seizure.emergency_report_hours", case.agency).citation,
        )
    seizure.approved_by, seizure.reported_at = actor, timezone.now()
    seizure.save(update_fields=["approved_by", "reported_at"])


@transaction.atomic
def seizure_extend(*, actor, seizure: Seizure, days: int, reason: str) -> Seizure:
    """Extend once, by at most 30 days, before the period ends, with the head's approval and written reasons."""
    case = lock(seizure.case, "extend_seizure")
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    gates.require_head(actor, case.agency, _("延长查封、扣押期限"))
    limit = rule("seizure.extension_days", case.agency)
    if seizure.extended or seizure.released_on:
        raise RuleViolation(_("查封、扣押期限只能延长一次"), code="seizure_extended_twice", citation=limit.citation)
    if seizure.ends_on is None or today() > seizure.ends_on:
        raise RuleViolation(
            _("查封、扣押尚未实施或期限已经届满，不能延长"), code="seizure_expired", citation=limit.citation
        )
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
    commit(actor, case, "extend_seizure", {"seizure": seizure.pk, "extended_until": seizure.ends_on})
    return seizure


@transaction.atomic
def seizure_release(*, actor, seizure: Seizure, released_on: dt.date, reason: str, late_reason: str = "") -> Seizure:
    """解除查封、扣押, served within 3 working days (部令第29号 art 21); the seizure case ends with it. An emergency
    seizure not approved in time is lifted this way."""
    case = lock(seizure.case, "release_seizure")
    if case.kind != CaseKind.SEIZURE:
        raise ValidationError(_("请在该查封、扣押的案件中解除。"), code="not_seizure_case")
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    act_on(case, released_on, _("解除日期"), late_reason)
    if seizure.released_on:
        raise ValidationError(_("已经解除。"), code="already_released")
    if not reason.strip():
        raise ValidationError({"reason": _("请说明解除理由。")})
    seizure.released_on, seizure.release_reason = released_on, reason.strip()
    seizure.save()
    if seizure.started_on:
        issue(
            actor,
            case,
            "seizure_release",
            released_on,
            subject=seizure,
            reason=seizure.release_reason,
            items=seizure.items,
        )
    case.closed_on, case.ending_reason = released_on, seizure.release_reason
    commit(actor, case, "release_seizure", {"seizure": seizure.pk, "released_on": released_on})
    return seizure


def seizure_state(seizure: Seizure) -> str:
    """Which way the seizure went, as the case page says it."""
    if seizure.released_on and seizure.emergency and not seizure.approved_by_id:
        return str(_("紧急实施，未在二十四小时内补办批准手续，已解除"))
    if seizure.emergency and seizure.approved_by_id:
        return str(_("紧急实施，%(at)s 补办批准（法制审核后）")) % {
            "at": timezone.localtime(seizure.reported_at).strftime("%Y-%m-%d %H:%M")
        }
    if seizure.emergency:
        due = timezone.localtime(approval_due(seizure)).strftime("%Y-%m-%d %H:%M")
        return str(_("紧急实施，须于 %(due)s 前经法制审核并由负责人补办批准，逾期应当立即解除")) % {"due": due}
    if seizure.started_on:
        return str(_("经法制审核、负责人批准后实施，期限至 %(date)s")) % {"date": last_day_words(seizure.ends_on)}
    return str(_("呈批中：经法制审核、负责人批准后方可实施"))
