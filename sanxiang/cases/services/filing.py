"""立案 and the investigation: filing (or not), extensions, 先行登记保存, 调查终结, 案件审查, 销案."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases import deadlines, gates
from sanxiang.cases.discretion import calculate
from sanxiang.cases.models import Approval, Case, PenaltyKind, Preservation, Stage, Transfer, describe_penalty
from sanxiang.cases.services.base import act_on, approve, commit, issue, lock, officer_names, review_needed, today
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.core.wording import deadline_words, last_day_words
from sanxiang.ledger.services import staff_refs


@transaction.atomic
def case_transfer(*, actor, case: Case, to_agency, reason: str, version=None) -> Case:
    """移送管辖: a clue whose act happened outside the agency's area goes, with the head's approval, to the agency of
    that place, which then decides on filing it (《行政处罚法》第二十二条)."""
    case = lock(case, "transfer", version=version)
    gates.require_head(actor, case.agency, _("移送管辖"))
    if to_agency.pk == case.agency_id:
        raise ValidationError({"to_agency": _("请选择其他有管辖权的机关。")})
    # A closed agency no longer acts: the clue would sit where nobody can file it.
    if not Agency.objects.filter(pk=to_agency.pk, is_active=True).exists():
        raise ValidationError({"to_agency": _("%(agency)s已停用，不能接受移送。") % {"agency": to_agency.name}})
    if not case.act_division:
        raise ValidationError({"act_division": _("请先登记违法行为发生地，再按发生地移送管辖。")})
    if not gates.area_covers(to_agency, case.act_division):
        raise RuleViolation(
            _("受移送机关对违法行为发生地（行政区划 %(code)s）没有管辖权") % {"code": case.act_division},
            code="not_competent",
            citation=gates.JURISDICTION_CITATION,
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请写明移送理由。")})
    Transfer.objects.create(
        case=case,
        from_agency=case.agency,
        to_agency=to_agency,
        reason=reason.strip(),
        transferred_on=today(),
        transferred_by=actor if getattr(actor, "pk", None) else None,
    )
    source = case.agency
    case.agency = to_agency
    return commit(actor, case, "transfer", {"from": source.code, "to": to_agency.code})


@transaction.atomic
def case_record_act_place(*, actor, case: Case, act_place: str, act_division: str, version=None) -> Case:
    """登记违法行为发生地: the place of the act decides which agency files the clue (《行政处罚法》第二十二条). A clue
    registered before the platform asked for it, or with a wrong one, gets it here before filing or transfer; the
    ledger keeps the code it had."""
    case = lock(case, "record_act_place", version=version)
    act_place = act_place.strip()
    if not act_place or len(act_place) > Case._meta.get_field("act_place").max_length:
        raise ValidationError({"act_place": _("请填写违法行为发生地（不超过 200 字）。")})
    gates.division_check(act_division)
    previous = case.act_division
    case.act_place, case.act_division = act_place, act_division
    return commit(actor, case, "record_act_place", {"act_division": act_division, "previous": previous})


@transaction.atomic
def case_file(
    *,
    actor,
    case: Case,
    investigators,
    opinion: str,
    filed_on: dt.date | None = None,
    late_reason: str = "",
    version=None,
) -> Case:
    """立案: the head approves filing within 15 days of discovery (+15 if extended), inside the limitation period,
    with at least two certified investigators."""
    case = lock(case, "file", version=version)
    gates.require_head(actor, case.agency, _("立案"))
    gates.competent(case.agency, case.act_division)
    filed_on = act_on(case, filed_on or today(), _("立案日期"), late_reason)
    due = deadlines.filing_due(case)
    if max(filed_on, today()) > due.date:  # a filing recorded after the period cannot be dated back into it
        raise RuleViolation(
            _("已超过立案期限（应于 %(date)s决定是否立案）") % {"date": deadline_words(due.date)},
            code="filing_late",
            citation=rule("filing.decide_days", case.agency).citation,
        )
    if case.discovered_on > gates.limitation_end(case):
        key = "limitation.serious_years" if case.serious_harm else "limitation.years"
        raise RuleViolation(
            _("违法行为在追责期限内未被发现，不再给予行政处罚"),
            code="limitation_expired",
            citation=rule(key, case.agency).citation,
        )
    certificates = gates.certified_officers(investigators, on=filed_on, agency=case.agency)
    case.investigators.set(certificates.keys())
    case.filed_on = filed_on
    if actor:
        approve(case, Approval.Step.FILING, actor, opinion)
    document = issue(
        actor,
        case,
        "filing_approval",
        filed_on,
        source=case.get_source_display(),
        discovered_on=str(case.discovered_on),
        officers=officer_names(case.investigators.all()),
        summary=case.summary,
        approval_text=opinion,
    )
    case.number = document.number
    return commit(actor, case, "file", {"investigators": staff_refs(certificates)})


@transaction.atomic
def case_not_file(*, actor, case: Case, reason: str, version=None) -> Case:
    """不予立案, with the head's approval and the reason on record."""
    case = lock(case, "not_file", version=version)
    gates.require_head(actor, case.agency, _("不予立案"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明不予立案的理由。")})
    if actor:
        approve(case, Approval.Step.NOT_FILING, actor, reason)
    case.ending_reason = reason.strip()
    issue(actor, case, "not_filing_approval", today(), reason=case.ending_reason, approval_text=_("同意不予立案"))
    return commit(actor, case, "not_file")


@transaction.atomic
def case_extend_filing(*, actor, case: Case, reason: str, version=None) -> Case:
    """Special circumstances: the head extends the filing period once by 15 days (2023 办法 art 18)."""
    case = lock(case, "extend_filing", version=version)
    gates.require_head(actor, case.agency, _("延长立案期限"))
    if case.filing_extended:
        raise RuleViolation(
            _("立案期限只能延长一次"),
            code="filing_extended_twice",
            citation=rule("filing.extension_days", case.agency).citation,
        )
    if today() > deadlines.filing_due(case).date:
        raise RuleViolation(
            _("立案期限已届满，不能再延长"),
            code="filing_late",
            citation=rule("filing.decide_days", case.agency).citation,
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请说明延长理由。")})
    if actor:
        approve(case, Approval.Step.FILING_EXTENSION, actor, reason)
    case.filing_extended = True
    return commit(actor, case, "extend_filing")


@transaction.atomic
def case_preserve(
    *, actor, case: Case, approver, items: str, registered_on: dt.date | None = None, late_reason: str = ""
) -> Preservation:
    """先行登记保存 with the head's approval; its decision falls due 7 working days later (art 56)."""
    case = lock(case, "preserve")
    gates.require_head(approver, case.agency, _("先行登记保存"))
    registered_on = act_on(case, registered_on or today(), _("登记保存日期"), late_reason)
    if not items.strip():
        raise ValidationError({"items": _("请列明登记保存的物品。")})
    due = deadline("preservation.decide_workdays", registered_on, case.agency)
    preservation = Preservation.objects.create(
        case=case, items=items.strip(), registered_on=registered_on, decide_by=due.date
    )
    if approver:
        approve(case, Approval.Step.PRESERVATION, approver, _("同意先行登记保存"))
    issue(
        actor,
        case,
        "preservation_notice",
        registered_on,
        subject=preservation,
        items=preservation.items,
        deadline_text=last_day_words(due.date, formal=True),
        basis=rule("preservation.decide_workdays", case.agency).citation,
        rights_text=_("登记保存期间，当事人或者有关人员不得销毁或者转移证据。"),
    )
    commit(actor, case, "preserve", {"preservation": preservation.pk, "decide_by": due.date})
    return preservation


@transaction.atomic
def case_decide_preservation(*, actor, preservation: Preservation, decision: str, note: str = "") -> Preservation:
    """The decision on preserved evidence, which must come within 7 working days (otherwise it lapses)."""
    case = lock(preservation.case, "decide_preservation")
    preservation = Preservation.objects.select_for_update().get(pk=preservation.pk)
    if preservation.decided_on:
        raise ValidationError(_("已经作出处理决定。"), code="invalid_transition")
    if decision not in Preservation.Decision.values:
        raise ValidationError({"decision": _("请选择处理决定。")})
    if today() > preservation.decide_by:
        raise RuleViolation(
            _("先行登记保存已超过七个工作日未作处理决定，应视为解除"),
            code="preservation_lapsed",
            citation=rule("preservation.decide_workdays", case.agency).citation,
        )
    preservation.decision, preservation.decided_on = decision, today()
    preservation.save()
    issue(
        actor,
        case,
        "preservation_decision",
        today(),
        subject=preservation,
        items=preservation.items,
        decision_text=f"{preservation.get_decision_display()}。{note}".strip(),
    )
    commit(actor, case, "decide_preservation", {"preservation": preservation.pk, "decision": decision})
    return preservation


@transaction.atomic
def case_submit(
    *,
    actor,
    case: Case,
    facts: str,
    evidence: str,
    basis: str,
    kinds: list[str],
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    violation=None,
    discretion: dict | None = None,
    departure_reason: str = "",
    fine_base: Decimal | None = None,
    version=None,
) -> Case:
    """调查终结: the investigators' report with the proposed penalty goes to 案件审查."""
    case = lock(case, "submit", version=version)
    if actor is not None and not case.investigators.filter(pk=actor.pk).exists():
        raise ValidationError(_("只有本案承办人可以提交调查报告。"), code="not_investigator")
    if case.preservations.filter(decided_on__isnull=True, decide_by__gte=today()).exists():
        raise ValidationError(_("尚有先行登记保存未作处理决定。"), code="preservation_pending")
    _set_proposal(
        case, facts, evidence, basis, kinds, fine, confiscation, violation, discretion, departure_reason, fine_base
    )
    issue(
        actor,
        case,
        "investigation_report",
        today(),
        facts=case.facts,
        evidence=case.evidence,
        basis=case.basis,
        officers=officer_names(case.investigators.all()),
        proposal=describe_penalty(kinds, fine, confiscation),
        discretion=_discretion_text(case),
    )
    return commit(actor, case, "submit", {"kinds": sorted(kinds), "fine": fine, "confiscation": confiscation})


@transaction.atomic
def case_calculate_discretion(
    *, actor, case: Case, violation, choices: dict[str, int], base: Decimal | None = None, version=None
) -> Case:
    """Record the discretion calculation (自由裁量) for the proposal; a proposed fine that departs from it later
    needs a stated reason and goes to legal review."""
    case = lock(case, "calculate_discretion", version=version)
    case.violation = violation
    case.discretion = calculate(violation, case.agency, choices, base=base)
    # Before the decision the fine to compare is the settled one: a departure then needs its reason (补正) and review.
    settled = case.stage == Stage.DECIDING
    fine = case.decided_fine if settled else case.proposed_fine
    case.departs_from_benchmark = fine is not None and fine != Decimal(case.discretion["fine"])
    if settled:
        review_needed(case)
    return commit(
        actor,
        case,
        "calculate_discretion",
        {"violation": violation.code, "fine": case.discretion["fine"], "departs": case.departs_from_benchmark},
    )


def _set_proposal(case, facts, evidence, basis, kinds, fine, confiscation, violation, discretion, reason, base):
    unknown = set(kinds) - set(PenaltyKind.values)
    if unknown:
        raise ValidationError({"kinds": _("未知处罚种类：%(kinds)s") % {"kinds": ", ".join(sorted(unknown))}})
    if not all(text.strip() for text in (facts, evidence, basis)):
        raise ValidationError(_("违法事实、证据和处罚依据都须填写。"), code="incomplete")
    if PenaltyKind.FINE in kinds and not fine:
        raise ValidationError({"fine": _("拟罚款的，须填写罚款金额。")})
    violation = violation or case.violation
    gates.proposal_lawful(case, kinds, fine, confiscation, violation=violation, base=base)
    departs = gates.departs_from_calculation(discretion, fine, reason)
    case.facts, case.evidence, case.basis = facts.strip(), evidence.strip(), basis.strip()
    case.violation, case.proposed_kinds, case.proposed_fine, case.proposed_confiscation = (
        violation,
        kinds,
        fine,
        confiscation,
    )
    case.discretion, case.departs_from_benchmark, case.departure_reason = discretion or {}, departs, reason.strip()


def _discretion_text(case: Case) -> str:
    if not case.discretion:
        return ""
    lines = [f"{line['factor']}：{line['level']}（{line['weight']}%）" for line in case.discretion.get("lines", [])]
    text = "；".join(lines) + f"。合计 {case.discretion.get('percent')}%，计算结果 {case.discretion.get('fine')} 元。"
    return text + (f"偏离理由：{case.departure_reason}" if case.departs_from_benchmark else "")


@transaction.atomic
def case_review(*, actor, case: Case, opinion: str, approve_case: bool, version=None) -> Case:
    """案件审查 by someone who did not investigate (查处分离): pass it on to notice, or send it back."""
    case = lock(case, "review" if approve_case else "send_back", version=version)
    if actor is not None:
        gates.not_investigator(case, actor, _("案件审查人员"), "《环境行政处罚办法》（2010）第五条、第四十五条")
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写审查意见。")})
    issue(actor, case, "case_review_opinion", today(), reviewer=getattr(actor, "full_name", ""), opinion=opinion)
    if approve_case:
        case.case_reviewer, case.review_opinion = actor, opinion.strip()
        return commit(actor, case, "review", {"approved": True})
    case.case_reviewer, case.review_opinion = None, ""
    return commit(actor, case, "send_back", {"approved": False})


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str, version=None) -> Case:
    """销案 when the filing conditions turn out not to be met (2010 办法 art 23), with the head's approval."""
    case = lock(case, "withdraw", version=version)
    gates.require_head(actor, case.agency, _("销案"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明销案理由。")})
    if actor:
        approve(case, Approval.Step.WITHDRAWAL, actor, reason)
    case.ending_reason = reason.strip()
    issue(actor, case, "withdrawal_approval", today(), reason=case.ending_reason, approval_text=_("同意销案"))
    return commit(actor, case, "withdraw")
