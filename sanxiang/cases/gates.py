"""Checks with legal force shared by the case services. Each raises RuleViolation naming its article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Certificate, EnforcementDomain, Role, User
from sanxiang.cases.models import (
    HEARING_KINDS,
    HEARING_KINDS_CITATION,
    Case,
    CaseKind,
    Party,
    PartyKind,
    PenaltyKind,
    Violation,
)
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.documents.selectors import is_act_officer


def certified_officers(
    officers: Iterable[User], *, on: dt.date, agency: Agency, domain: str = EnforcementDomain.ECOLOGY
) -> dict[int, Certificate]:
    """Each officer's certificate valid on `on` in `domain`; refused unless at least the legal minimum hold one."""
    officers = list({officer.pk: officer for officer in officers}.values())
    minimum = rule("officers.min", agency)
    if len(officers) < minimum.number:
        raise RuleViolation(
            _("执法人员不得少于%(n)d人") % {"n": minimum.number}, code="too_few_officers", citation=minimum.citation
        )
    certificates = {
        certificate.holder_id: certificate
        for certificate in Certificate.objects.filter(holder__in=officers, domain=domain).valid_on(on)
    }
    missing = [officer.full_name for officer in officers if officer.pk not in certificates]
    if missing:
        raise RuleViolation(
            _("%(names)s 在 %(date)s 没有有效的执法证，不得从事执法活动") % {"names": "、".join(missing), "date": on},
            code="officer_not_certified",
            citation="《行政处罚法》第四十二条、第五十五条",
        )
    outside = [officer.full_name for officer in officers if not _related(officer.agency, agency)]
    if outside:
        raise RuleViolation(
            _("%(names)s 不属于本机关或其上下级机关") % {"names": "、".join(outside)},
            code="officer_outside_agency",
            citation="《行政处罚法》第四十二条",
        )
    return certificates


def _related(one: Agency | None, other: Agency) -> bool:
    return one is not None and (one.is_within(other) or other.is_within(one))


def acting_officer(actor, officers) -> None:
    """The one who records an act done on the spot is one of its officers (the act's officers are the acting user
    and at least one other certified officer): no one records in two officers' names without being one of them."""
    if not is_act_officer(actor, officers):
        raise RuleViolation(
            _("现场执法活动由在场的执法人员本人记录，记录人须是执法人员之一"),
            code="not_acting_officer",
            citation="《行政处罚法》第四十二条、第五十五条",
        )


def is_head(actor, agency: Agency) -> bool:
    """Whether `actor` is a 负责人 of the agency or of one above it."""
    return bool(actor.is_superuser or (actor.has_role(Role.HEAD) and actor.agency and agency.is_within(actor.agency)))


def handles_case(actor, case: Case) -> bool:
    """承办机构: the case's investigators, and the heads who answer for it (of its agency or one above it)."""
    return is_head(actor, case.agency) or case.investigators.filter(pk=actor.pk).exists()


def require_head(actor, agency: Agency, what: str) -> None:
    """Approvals belong to the agency's 负责人 (of the agency or one above it)."""
    if actor is None:
        return
    if not is_head(actor, agency):
        raise RuleViolation(
            _("%(what)s须经本机关负责人批准") % {"what": what},
            code="head_approval_required",
            citation="《行政处罚法》第五十四条、第五十六条、第五十七条",
        )


def not_investigator(case: Case, person: User, role: str, citation: str) -> None:
    if case.investigators.filter(pk=person.pk).exists():
        raise RuleViolation(
            _("%(role)s不得由本案调查人员担任") % {"role": role}, code="separation_of_duties", citation=citation
        )


def limitation_end(case: Case) -> dt.date:
    """The last day the violation may still be discovered (2 years, 5 with serious harm; from the act's end)."""
    key = "limitation.serious_years" if case.serious_harm else "limitation.years"
    start = case.act_ended_on if case.act_continuing and case.act_ended_on else case.act_date
    return deadline(key, start, case.agency).date


JURISDICTION_CITATION = "《行政处罚法》第二十二条"


def area_covers(agency: Agency, division: str) -> bool:
    """Whether the 行政区划 `division` (6 digits) lies in the agency's area: a province covers its cities, a city its
    districts and counties, a district itself."""
    area = agency.code.rstrip("0")
    area = area if len(area) % 2 == 0 else area + "0"
    return division.startswith(area)


def division_check(division: str, *, field: str = "act_division") -> None:
    """A 行政区划代码 is six digits (GB/T 2260)."""
    if not (len(division) == 6 and division.isdigit()):
        raise ValidationError({field: _("行政区划代码为 6 位数字，例如 230102。")})


def competent(agency: Agency, division: str) -> None:
    """The agency may file only a violation that happened in its area (地域管辖); otherwise it transfers the clue."""
    if not division:
        raise ValidationError({"act_division": _("请填写违法行为发生地的行政区划代码（管辖依据）。")})
    if not area_covers(agency, division):
        raise RuleViolation(
            _("违法行为发生地（行政区划 %(code)s）不在%(agency)s管辖区域，应当移送有管辖权的机关")
            % {"code": division, "agency": agency.name},
            code="not_competent",
            citation=JURISDICTION_CITATION,
        )


def amounts_as_organisation(party: Party, agency: Agency) -> tuple[bool, str]:
    """Whether the amounts set for organisations apply to the party (simple-procedure limit, hearing 较大数额, the
    review catalogue), and the reading behind it. A 个体工商户 is a natural person (《民法典》第五十四条): by default
    the citizens' lower amounts apply, the reading that gives the party more procedure; an agency may read it
    otherwise by its own rule."""
    if party.kind != PartyKind.INDIVIDUAL_BUSINESS:
        return party.is_organisation, ""
    reading = rule("party.individual_business_as_citizen", agency)
    as_citizen = bool(reading.number)
    basis = _("个体工商户按%(kind)s适用数额标准（%(citation)s）") % {
        "kind": _("公民") if as_citizen else _("其他组织"),
        "citation": reading.citation,
    }
    return not as_citizen, basis


def hearing_threshold(party: Party, agency: Agency) -> tuple[Decimal, str]:
    organisation, reading = amounts_as_organisation(party, agency)
    value = rule("hearing.large_fine_organisation" if organisation else "hearing.large_fine_citizen", agency)
    return value.value, "；".join(filter(None, [value.citation, reading]))


def hearing_right(case: Case, kinds: list[str], fine: Decimal | None, confiscation: Decimal | None) -> tuple[bool, str]:
    """Whether the proposed penalty carries the right to a hearing, and why."""
    threshold, citation = hearing_threshold(case.party, case.agency)
    if set(kinds) & HEARING_KINDS:
        return True, HEARING_KINDS_CITATION
    if (fine or 0) >= threshold or (confiscation or 0) >= threshold:
        return True, citation
    return False, ""


def fine_in_range(violation: Violation | None, fine: Decimal | None, *, base: Decimal | None = None) -> None:
    """The fine must lie inside the statutory range of the violation (a hard rule)."""
    if violation is None or fine is None:
        return
    low, high = statutory_range(violation, base)
    if (low is not None and fine < low) or (high is not None and fine > high):
        raise RuleViolation(
            _("罚款 %(fine)s 元超出法定幅度（%(low)s—%(high)s 元）")
            % {"fine": fine, "low": low if low is not None else "—", "high": high if high is not None else "—"},
            code="fine_out_of_range",
            citation=violation.basis,
        )


# The penalty kind each production measure is (《生态环境行政处罚办法》第八条 lists 限制开展生产经营活动 and 责令停产整治
# among the penalties), so the hearing right, the review catalogue and collective discussion apply as to any penalty.
PRODUCTION_KINDS = {"limit": PenaltyKind.RESTRICT_OPERATION, "stop": PenaltyKind.SUSPEND_OPERATION}
DAILY_CITATION = "《环境保护主管部门实施按日连续处罚办法》第十七条至第十九条"
# 责令停业 is the penalty 责令停产停业, 责令关闭 the penalty of that name (《行政处罚法》第九条): hearing, review and
# collective discussion follow from the kind; only the people's government with the power may approve either.
CLOSURE_KINDS = {"suspend": PenaltyKind.SUSPEND_OPERATION, "close": PenaltyKind.CLOSE}
CLOSURE_CITATION = "《环境保护法》第六十条；《环境保护主管部门实施限制生产、停产整治办法》第八条"


def proposal_lawful(
    case: Case,
    kinds: list[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
    *,
    violation: Violation | None = None,
    base: Decimal | None = None,
    settled: bool = False,
) -> None:
    """What the case may propose, by its kind: a penalty inside the violation's statutory range, never 责令关闭 (it
    needs the government's approval, in a closure case); a daily penalty a fine of exactly the original fine times
    the days (never more once settled by reconsideration); a production or closure case its measure alone."""
    if case.kind == CaseKind.DAILY_PENALTY:
        daily = case.daily_penalty
        wrong = list(kinds) != [PenaltyKind.FINE] or confiscation or not fine or fine > daily.amount
        if wrong or (not settled and fine != daily.amount):
            raise RuleViolation(
                _("按日连续处罚只处罚款：原处罚数额 %(fine)s 元 × 计罚日数 %(days)d 日 = %(amount)s 元")
                % {"fine": daily.daily_amount, "days": daily.days, "amount": daily.amount},
                code="daily_amount",
                citation=DAILY_CITATION,
            )
        return
    if case.kind == CaseKind.PRODUCTION:
        measure = case.production_measures.get()
        if list(kinds) != [PRODUCTION_KINDS[measure.kind]] or fine or confiscation:
            raise RuleViolation(
                _("本案只决定%(measure)s，不能改为其他处罚或并处罚款") % {"measure": measure.get_kind_display()},
                code="production_kind",
                citation="《实施限制生产、停产整治办法》第五条、第六条、第十一条",
            )
        return
    if case.kind == CaseKind.CLOSURE:
        if list(kinds) != [CLOSURE_KINDS[case.closure.kind]] or fine or confiscation:
            raise RuleViolation(
                _("本案只决定%(measure)s，不能改为其他处罚或并处罚款") % {"measure": case.closure.get_kind_display()},
                code="closure_kind",
                citation=CLOSURE_CITATION,
            )
        return
    if PenaltyKind.CLOSE in kinds:
        raise RuleViolation(
            _("责令关闭须报经有批准权的人民政府批准，应当另行提出责令停业、关闭"),
            code="closure_in_own_case",
            citation=CLOSURE_CITATION,
        )
    fine_in_range(violation or case.violation, fine, base=base)


def government_approved(case: Case, decided_on: dt.date) -> None:
    """A closure is decided only after the people's government with the power approved it, and not before that day."""
    closure = case.closure
    if closure.approved_on is None:
        raise RuleViolation(
            _("%(measure)s须报经有批准权的人民政府批准，请先登记批准文件") % {"measure": closure.get_kind_display()},
            code="government_approval_required",
            citation=CLOSURE_CITATION,
        )
    if decided_on < closure.approved_on:
        raise RuleViolation(
            _("决定日期不能早于人民政府批准日期（%(date)s）") % {"date": closure.approved_on},
            code="decided_before_approval",
            citation=CLOSURE_CITATION,
        )


def statutory_range(violation: Violation, base: Decimal | None = None) -> tuple[Decimal | None, Decimal | None]:
    if violation.fine_basis == Violation.FineBasis.MULTIPLE and base is not None:
        low, high = base * violation.multiple_min, base * violation.multiple_max
        if violation.fine_min is not None:
            low = max(low, violation.fine_min)
        return low, high
    return violation.fine_min, violation.fine_max


def departs_from_calculation(discretion: dict | None, fine: Decimal | None, reason: str) -> bool:
    """Whether the fine departs from the discretion calculation; a departure must give its reason."""
    suggested = Decimal((discretion or {}).get("fine", "0") or "0")
    departs = bool(discretion) and fine is not None and fine != suggested
    if departs and not reason.strip():
        raise ValidationError(
            {"departure_reason": _("罚款金额与裁量计算结果（%(fine)s 元）不同，须说明理由。") % {"fine": suggested}}
        )
    return departs


def not_heavier(case: Case, kinds: list[str], fine: Decimal | None, confiscation: Decimal | None) -> None:
    """The decided penalty may not be heavier than the one notified (《行政处罚法》第四十五条)."""
    heavier = (
        set(kinds) - set(case.notified_kinds)
        or (fine or 0) > (case.notified_fine or 0)
        or (confiscation or 0) > (case.notified_confiscation or 0)
    )
    if heavier:
        raise RuleViolation(
            _("不得因当事人陈述、申辩而给予更重的处罚：决定的处罚重于事先告知的处罚"),
            code="heavier_than_notified",
            citation="《行政处罚法》第四十五条",
        )
