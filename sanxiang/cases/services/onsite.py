"""当场处罚 (simple procedure): the decision on the spot, then its 备案 — filed with the agency by one of the deciding
officers within the period (`onsite.filing_workdays`, 《生态环境行政处罚办法》第六十八条第三款) and acknowledged by the
head. One function per move of ONSITE, each locking, checking, applying and ledgering in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.cases import gates
from sanxiang.cases.models import OnSitePenalty, Party
from sanxiang.cases.services.base import moment_facts, today
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import last_day_words
from sanxiang.documents.services import document_issue
from sanxiang.documents.texts import payment_fields, remedy_fields
from sanxiang.ledger.services import staff_refs
from sanxiang.ledger.transitions import NEW, Move, StateMachine

DECIDED, FILED, ACKNOWLEDGED = OnSitePenalty.Status.values
FILING_CITATION = "《行政处罚法》第五十二条；《生态环境行政处罚办法》第六十八条第三款"


class OnSiteMachine(StateMachine):
    def facts(self, record: OnSitePenalty) -> dict:
        return {"number": record.number}


ONSITE = OnSiteMachine(
    model=OnSitePenalty,
    prefix="onsite_penalty",
    related=("agency", "party"),
    versioned=False,
    moves={
        "decide": Move({NEW}, DECIDED, gettext_lazy("当场行政处罚"), roles={"officer"}),
        "file": Move({DECIDED}, FILED, gettext_lazy("当场处罚决定报备案"), roles={"officer"}),
        "acknowledge": Move({FILED}, ACKNOWLEDGED, gettext_lazy("负责人确认当场处罚备案"), roles={"head"}),
    },
    refused=gettext_lazy("当场处罚决定当前为“%(state)s”，不能%(action)s。"),
)


def _lawful_amount(agency: Agency, party: Party, kind: str, fine: Decimal | None) -> None:
    """A warning, or a fine of at most 200 yuan (citizen) / 3,000 yuan (organisation) (《行政处罚法》第五十一条)."""
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
    """当场处罚: decided on the spot by certified officers with the pre-numbered decision form (《行政处罚法》第五十一条、
    第五十二条); its 备案 falls due `onsite.filing_workdays` after the decision day."""
    ONSITE.require(actor, agency, "decide")
    day = timezone.localtime(decided_at).date()
    late = moment_facts(decided_at, _("决定时间"), late_reason)
    certified = gates.certified_officers(officers, on=day, agency=agency)
    gates.acting_officer(actor, certified)
    _lawful_amount(agency, party, kind, fine)
    if not (facts.strip() and basis.strip() and place.strip()):
        raise ValidationError(_("违法事实、处罚依据和地点都须填写。"), code="incomplete")
    due = deadline("onsite.filing_workdays", day, agency)
    penalty = OnSitePenalty.objects.create(
        agency=agency,
        party=party,
        decided_at=decided_at,
        place=place.strip(),
        facts=facts.strip(),
        basis=basis.strip(),
        kind=kind,
        fine=fine,
        filing_due=due.date,
        filing_due_provisional=due.provisional,
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
    ONSITE.start(penalty, "decide")
    ONSITE.commit(
        actor,
        penalty,
        "decide",
        {
            "kind": kind,
            "fine": fine,
            "officers": staff_refs(certified),
            "filing_due": due.date,
        }
        | ({"late": {"acted_on": day, "recorded_on": timezone.localdate()}} if late else {}),
    )
    return penalty


@transaction.atomic
def onsite_penalty_file(*, actor, penalty: OnSitePenalty, late_reason: str = "") -> OnSitePenalty:
    """报备案: one of the officers who decided it files the decision with the agency today; after the period it is
    still filed (the duty remains), with the reason it is late on the record."""
    penalty = ONSITE.lock(penalty, "file")
    if actor is not None and not penalty.officers.filter(pk=actor.pk).exists():
        raise RuleViolation(
            _("当场处罚决定由作出决定的执法人员报所属机关备案"), code="not_deciding_officer", citation=FILING_CITATION
        )
    filed_on = today()
    late = penalty.filing_due is not None and filed_on > penalty.filing_due
    if late and not late_reason.strip():
        raise RuleViolation(
            _("已超过报备案期限（%(date)s），请说明逾期理由") % {"date": last_day_words(penalty.filing_due)},
            code="filing_late_reason",
            citation=rule("onsite.filing_workdays", penalty.agency).citation,
        )
    penalty.filed_on, penalty.filed_by = filed_on, actor
    penalty.filing_late_reason = late_reason.strip() if late else ""
    ONSITE.commit(actor, penalty, "file", {"filed_on": filed_on, "late": late})
    return penalty


@transaction.atomic
def onsite_penalty_acknowledge(*, actor, penalty: OnSitePenalty, sound: bool, opinion: str = "") -> OnSitePenalty:
    """The head acknowledges the filing (备案审查): without objection, or naming what is wrong with the decision."""
    penalty = ONSITE.lock(penalty, "acknowledge")
    gates.require_head(actor, penalty.agency, _("确认当场处罚备案"))
    if not sound and not opinion.strip():
        raise ValidationError({"opinion": _("有异议的，请写明问题和处理意见。")})
    penalty.sound, penalty.acknowledgement = sound, opinion.strip()
    penalty.acknowledged_on, penalty.acknowledged_by = today(), actor
    ONSITE.commit(actor, penalty, "acknowledge", {"sound": sound})
    return penalty
