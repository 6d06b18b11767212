"""Whether a decision needs legal review (法制审核), from the agency's catalogue of major decisions
(重大执法决定法制审核目录清单, 黑环发〔2019〕112号 三(三)2): a case's decision by what it decides, a licence decision
by the licensing power its type is exercised under."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from sanxiang.cases.gates import amounts_as_organisation
from sanxiang.cases.models import Case
from sanxiang.licensing.models import Application
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import powers_in_force
from sanxiang.review.models import ReviewRule

# Legal review concerns decisions on penalties and coercive measures (《行政处罚法》第五十八条, 《行政强制法》), and the
# licence decisions the catalogue names (黑环发〔2019〕112号 三(三)): a line of kind `licence` is the decision of one
# licensing power, every other kind is met by a case and may hang on one of its penalty or coercion powers.
CASE_POWER_KINDS = (PowerKind.PENALTY, PowerKind.COERCION)
LINE_POWER_KINDS = {ReviewRule.Kind.LICENCE: (PowerKind.LICENSING,)}


def catalogue_for(agency) -> list[ReviewRule]:
    """The nearest catalogue along the agency's hierarchy: a city bureau's own list replaces the province's."""
    codes = agency.lineage
    # pages and the API show each line's power, linked when the reader sees its agency
    rules = list(ReviewRule.objects.filter(agency_code__in=codes).select_related("power__agency"))
    for code in codes:
        own = [rule for rule in rules if rule.agency_code == code]
        if own:
            return own
    return []


def reviewed_powers(agency, *, kind: str = "") -> QuerySet[Power]:
    """The agency's powers in force a line of its catalogue may hang on: a line of `kind`, or any line."""
    kinds = LINE_POWER_KINDS.get(kind, CASE_POWER_KINDS) if kind else (*CASE_POWER_KINDS, PowerKind.LICENSING)
    return powers_in_force(agency).filter(kind__in=kinds)


def licence_reasons(application: Application) -> list[dict]:
    """The catalogue lines a licence decision meets: those of kind `licence` under the power of its type."""
    power = application.licence_type.power_id
    return [
        {"kind": rule.kind, "description": rule.description, "citation": rule.citation}
        for rule in catalogue_for(application.agency)
        if rule.kind == ReviewRule.Kind.LICENCE and power is not None and rule.power_id == power
    ]


def review_reasons(case: Case, *, coercive: bool = False, referral: bool = False) -> list[dict]:
    """The catalogue lines this case meets, each with its description and citation."""
    kinds = set(case.decided_kinds or case.proposed_kinds)
    fine = case.decided_fine if case.decided_fine is not None else case.proposed_fine
    confiscation = case.decided_confiscation if case.decided_confiscation is not None else case.proposed_confiscation
    organisation, reading = amounts_as_organisation(case.party, case.agency)
    amounts = {ReviewRule.Kind.FINE_ORGANISATION, ReviewRule.Kind.FINE_CITIZEN}
    met = []
    for rule in catalogue_for(case.agency):
        kind, value = rule.kind, rule.value
        hit = (
            (kind == ReviewRule.Kind.PENALTY_KIND and value in kinds)
            or (kind == ReviewRule.Kind.FINE_ORGANISATION and organisation and (fine or 0) >= Decimal(value))
            or (kind == ReviewRule.Kind.FINE_CITIZEN and not organisation and (fine or 0) >= Decimal(value))
            or (kind == ReviewRule.Kind.CONFISCATION and (confiscation or 0) >= Decimal(value))
            or (kind == ReviewRule.Kind.HEARING and case.hearing_held_on is not None)
            or (kind == ReviewRule.Kind.COERCIVE and coercive)
            or (
                kind == ReviewRule.Kind.REFERRAL and (referral or (case.outcome or case.proposed_outcome) == "referral")
            )
            or (kind == ReviewRule.Kind.DISCRETION and case.departs_from_benchmark)
            or (kind == ReviewRule.Kind.MANUAL and case.complex_or_major)
        )
        if hit:
            citation = "；".join(filter(None, [rule.citation, reading if kind in amounts else ""]))
            met.append({"kind": kind, "description": rule.description, "citation": citation})
    return met
