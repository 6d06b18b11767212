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
)
from sanxiang.cases.services.base import (
    act_on,
    commit,
    decision_issued,
    issue,
    lock,
    moment_facts,
)
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import rule
from sanxiang.core.wording import deadline_words
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
