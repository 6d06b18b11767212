"""Reads with policy for cases, parties and inspections: one access gate per object type, scoped lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.http import Http404

from sanxiang.agencies.models import Role, User
from sanxiang.agencies.selectors import can_view
from sanxiang.cases import gates
from sanxiang.cases.discretion import own_or_inherited
from sanxiang.cases.models import OPEN_STAGES, Case, DiscretionFactor, Inspection, OnSitePenalty, Party, Seizure, Stage
from sanxiang.cases.search import CASES, PARTIES, Page, found, newest_page
from sanxiang.powers.models import Power


def case_get_for_user(*, user, case_id: int) -> Case:
    """The case if `user` may see it (404 otherwise); whether the user's roles allow a step is the workflow's to
    say (actions.WORKFLOW.require, 403)."""
    case = Case.objects.select_related("agency", "party", "violation").filter(pk=case_id).first()
    if case is None or not can_view(user, case.agency):
        raise Http404
    return case


def cases_for_user(user, *, stage: str = "", search: str = "") -> QuerySet[Case]:
    """Cases in the user's scope, newest first; with `search`, the newest search.LIMIT of those whose number,
    title or party's name holds it (case_page goes on below them)."""
    cases = Case.objects.visible_to(user).select_related("agency", "party")
    if stage:
        cases = cases.filter(stage=stage)
    if search:
        cases = cases.filter(pk__in=found(CASES, user, search))
    return cases.order_by("-id")  # creation order; walks the primary key backwards, no sort


def case_page(user, *, stage: str = "", text: str = "", before: int | None = None, size: int) -> Page:
    """One page of the case list, newest first (search.newest_page)."""
    cases = cases_for_user(user, stage=stage)
    return newest_page(cases, index=CASES, user=user, text=text, before=before, size=size)


def cases_due(user, *, today: dt.date, within_days: int = 14) -> QuerySet[Case]:
    """Open cases with a legal deadline within `within_days` or already past, earliest first."""
    return (
        Case.objects.visible_to(user)
        .filter(next_due_on__isnull=False, next_due_on__lte=today + dt.timedelta(days=within_days))
        .select_related("agency", "party")
        .order_by("next_due_on", "id")
    )


def cases_handled_by(user) -> QuerySet[Case]:
    """我承办的案件: the open cases `user` investigates, the soonest due first."""
    return (
        Case.objects.visible_to(user)
        .filter(investigators=user, stage__in=OPEN_STAGES)
        .select_related("party")
        .order_by(F("next_due_on").asc(nulls_last=True), "-id")
    )


PARTY_CORRECTORS = frozenset({Role.OFFICER, Role.HEAD})


def may_keep_directory(user, agency) -> bool:
    """Whether `user` may register, correct and import the parties of the agency's directory (监管对象名录库): its
    own officers and heads, who meet the enterprises (the platform itself — no user, or "cli", the command line — and
    a superuser may too). The services refuse anyone else; pages offer them nothing."""
    if user is None or isinstance(user, str) or user.is_superuser:
        return True
    return user.agency_id == agency.pk and bool(PARTY_CORRECTORS & user.roles)


def may_correct_party(user, party: Party) -> bool:
    """Whether `user` may correct the party's record: those who keep the directory of the agency that registered
    it."""
    return may_keep_directory(user, party.agency)


def party_get_for_user(*, user, party_id: int) -> Party:
    """The party if `user` may see it (404 otherwise)."""
    party = Party.objects.select_related("agency").filter(pk=party_id).first()
    if party is None or not can_view(user, party.agency):
        raise Http404
    return party


def parties_for_user(
    user,
    *,
    search: str = "",
    agency=None,
    division: str = "",
    tier: str = "",
    industry: str = "",
) -> QuerySet[Party]:
    """The directory (监管对象名录库) in the user's scope: by name, credit code or permit number (the newest
    search.LIMIT matches), the agency that registered the party, an area (a code's leading digits: 23 the
    province, 2301 a city, 230102 a district), a tier and an industry."""
    parties = Party.objects.visible_to(user).select_related("agency")
    if search:
        parties = parties.filter(pk__in=found(PARTIES, user, search))
    if agency is not None:
        parties = parties.filter(agency=agency)
    if division:
        parties = parties.filter(division__startswith=division)
    if tier:
        parties = parties.filter(tier=tier)
    if industry:
        parties = parties.filter(industry__icontains=industry)
    return parties.order_by("name")


def discretion_factor_get(*, agency, factor_id: int) -> DiscretionFactor:
    """A factor of the benchmark `agency` applies, its own or inherited (404 for any other: another agency's is not
    its to change)."""
    factor = next((factor for factor in own_or_inherited(agency) if factor.pk == factor_id), None)
    if factor is None:
        raise Http404
    return factor


def case_powers(case: Case) -> QuerySet[Power]:
    """The powers (执法事项) of the case's agency that its violation hangs on: what the case is exercised under."""
    if case.violation is None:
        return Power.objects.none()
    return case.violation.powers.filter(agency=case.agency_id).order_by("code")


def inspection_get_for_user(*, user, inspection_id: int) -> Inspection:
    inspection = Inspection.objects.select_related("agency", "party").filter(pk=inspection_id).first()
    if inspection is None or not can_view(user, inspection.agency):
        raise Http404
    return inspection


def inspections_for_user(user) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related("agency", "party").order_by("-started_at")


def onsite_penalty_get_for_user(*, user, penalty_id: int) -> OnSitePenalty:
    penalty = OnSitePenalty.objects.select_related("agency", "party").filter(pk=penalty_id).first()
    if penalty is None or not can_view(user, penalty.agency):
        raise Http404
    return penalty


def onsite_penalties_for_user(user, *, status: str = "") -> QuerySet[OnSitePenalty]:
    """当场处罚 in the user's scope, newest first."""
    penalties = OnSitePenalty.objects.visible_to(user)
    if status:
        penalties = penalties.filter(status=status)
    return penalties.select_related("agency", "party").prefetch_related("officers").order_by("-decided_at", "-id")


def onsite_steps(user, penalty: OnSitePenalty) -> dict[str, bool]:
    """Which 备案 step the user may take on the penalty (the services check the same again)."""
    decided = penalty.status == OnSitePenalty.Status.DECIDED
    return {
        "file": decided and any(officer.pk == user.pk for officer in penalty.officers.all()),
        "acknowledge": penalty.status == OnSitePenalty.Status.FILED and gates.is_head(user, penalty.agency),
    }


def onsite_filings_due(user, *, today: dt.date) -> list[tuple[OnSitePenalty, str, dt.date]]:
    """The 备案 steps waiting for the user: an officer's own decisions not yet filed (by their filing period); for a
    head, decisions filed and awaiting acknowledgement (since the filing day) and those not filed in time."""
    visible = onsite_penalties_for_user(user).prefetch_related(None)  # the dashboard names no officers
    waiting = visible.filter(status=OnSitePenalty.Status.DECIDED, officers=user)
    items = [(penalty, "file", penalty.filing_due or today) for penalty in waiting[:200]]
    if user.is_superuser or user.has_role(Role.HEAD):
        filed = visible.filter(status=OnSitePenalty.Status.FILED)
        items += [(penalty, "acknowledge", penalty.filed_on) for penalty in filed[:200]]
        overdue = visible.filter(status=OnSitePenalty.Status.DECIDED, filing_due__lt=today).exclude(officers=user)
        items += [(penalty, "file", penalty.filing_due) for penalty in overdue[:200]]
    return items


def cases_overdue(agencies, *, today: dt.date) -> QuerySet[Case]:
    """Open cases of `agencies` past their next legal deadline (a count or list for a desk above them: the caller
    chose the agencies)."""
    return Case.objects.filter(agency__in=agencies, stage__in=OPEN_STAGES, next_due_on__lt=today)


def staff_of_case(case: Case) -> QuerySet[User]:
    """Staff who may take part in the case: its agency and the agencies above and below it."""
    codes = case.agency.lineage
    return User.objects.filter(
        Q(agency__path__startswith=case.agency.path) | Q(agency__code__in=codes), is_active=True
    ).order_by("full_name")


def case_document_fields(case) -> dict:
    """The fields every document of a case shares (personal data stays in the document, never in the ledger); an
    inspection, which has no number or title, passes for a case here."""
    party = case.party
    return {
        # a derived case without a filing of its own (a seizure) is numbered by the case it came from
        "case_number": case.number or (case.origin.number if getattr(case, "origin_id", None) else ""),
        "case_title": case.title,
        "party_name": party.name,
        "party_code": party.code,
        "legal_representative": party.legal_representative,
        "party_address": party.address,
    }


# The stages of the ordinary procedure, in order, as the case page's stepper shows them; a hearing is shown only in
# a case where it was offered, and a case that ended without a decision shows where it ended.
PROCEDURE = (*OPEN_STAGES, Stage.CLOSED, Stage.ARCHIVED)  # the open stages are listed in the procedure's order


def case_steps(case: Case) -> list[tuple[str, str]]:
    """(stage label, "done" / "current" / "todo") for each stage of the case's procedure, in order."""
    stages = [stage for stage in PROCEDURE if stage != Stage.HEARING or case.hearing_offered]
    if case.stage not in stages:  # not filed, withdrawn: the clue, then how it ended
        stages = [Stage.CLUE, case.stage]
    reached = stages.index(case.stage)
    return [
        (Stage(stage).label, "done" if index < reached else "current" if index == reached else "todo")
        for index, stage in enumerate(stages)
    ]


# The officers of each act whose records are signed on site (documents.act_officers): they record the signatures.
ACT_OFFICERS = {
    "cases.inspection": lambda pk: User.objects.filter(inspections__pk=pk),
    "cases.seizure": lambda pk: Seizure.objects.get(pk=pk).officers.all(),
    "cases.case": lambda pk: Case.objects.get(pk=pk).investigators.all(),
}
