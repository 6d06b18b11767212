"""The case actions a person can take: who may take each (roles), its input form, and the service it calls.

The workbench and API v1 share this table (a core.actions.Workflow), so both interfaces offer exactly the same steps
with the same checks; a step is offered when the case's stage allows its move (services.base.CASE) and it makes
sense for the case right now. The legal gates themselves live in the services.
"""

from __future__ import annotations

from sanxiang.agencies.models import Role
from sanxiang.cases import forms as f
from sanxiang.cases import services as s
from sanxiang.cases.models import CaseKind
from sanxiang.cases.selectors import staff_of_case
from sanxiang.cases.services.base import CASE, today
from sanxiang.core.actions import Action, Workflow

OFFICER, HEAD, REVIEWER, CLERK = Role.OFFICER, Role.HEAD, Role.REVIEWER, Role.PUBLICITY_CLERK


def _action(name, roles, form, call, applies=None) -> Action:
    def offered(user, case, state) -> bool:
        return CASE.allows(case, name) and (applies is None or applies(case))

    return Action(name, CASE.moves[name].label, form, call, frozenset(roles), offered)


def _pending_preservation(case) -> bool:
    return case.preservations.filter(decided_on__isnull=True).exists()


def _open_seizure(case) -> bool:
    return case.seizures.filter(released_on__isnull=True).exists()


def _suspended(case) -> bool:
    return case.suspensions.filter(ended_on__isnull=True).exists()


def _unchallenged(case) -> bool:
    return not case.challenges.filter(decided_on__isnull=True).exists()


def _penalty(data):
    return {"kinds": data["kinds"], "fine": data["fine"], "confiscation": data["confiscation"]}


WORKFLOW = Workflow(
    [
        _action(
            "file",
            [HEAD],
            f.FileForm,
            lambda u, c, d: s.case_file(
                actor=u, case=c, investigators=d["investigators"], opinion=d["opinion"], version=d["version"]
            ),
        ),
        _action(
            "not_file",
            [HEAD],
            f.ReasonForm,
            lambda u, c, d: s.case_not_file(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        _action(
            "extend_filing",
            [HEAD],
            f.ReasonForm,
            lambda u, c, d: s.case_extend_filing(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        _action(
            "preserve",
            [OFFICER],
            f.PreserveForm,
            lambda u, c, d: s.case_preserve(actor=u, case=c, approver=d["approver"], items=d["items"]),
        ),
        _action(
            "decide_preservation",
            [OFFICER, HEAD],
            f.PreservationDecisionForm,
            lambda u, c, d: s.case_decide_preservation(
                actor=u, preservation=d["preservation"], decision=d["decision"], note=d["note"]
            ),
            _pending_preservation,
        ),
        _action(
            "calculate_discretion",
            [OFFICER],
            f.DiscretionForm,
            lambda u, c, d: s.case_calculate_discretion(
                actor=u,
                case=c,
                violation=d["violation"],
                base=d["base"],
                version=d["version"],
                choices={k.removeprefix("factor_"): v for k, v in d.items() if k.startswith("factor_")},
            ),
        ),
        _action(
            "submit",
            [OFFICER],
            f.SubmitForm,
            lambda u, c, d: s.case_submit(
                actor=u,
                case=c,
                facts=d["facts"],
                evidence=d["evidence"],
                basis=d["basis"],
                violation=d["violation"],
                departure_reason=d["departure_reason"],
                discretion=c.discretion or None,
                version=d["version"],
                **_penalty(d),
            ),
        ),
        _action(
            "review",
            [OFFICER, REVIEWER],
            f.ReviewForm,
            lambda u, c, d: s.case_review(
                actor=u, case=c, opinion=d["opinion"], approve_case=d["approve_case"], version=d["version"]
            ),
        ),
        _action(
            "notify",
            [OFFICER],
            f.DateForm,
            lambda u, c, d: s.case_notify(
                actor=u, case=c, served_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
        ),
        _action(
            "statement",
            [OFFICER],
            f.StatementForm,
            lambda u, c, d: s.case_record_statement(
                actor=u,
                case=c,
                received_on=d["day"],
                summary=d["summary"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "waive",
            [OFFICER],
            f.WaiverForm,
            lambda u, c, d: s.case_record_waiver(
                actor=u,
                case=c,
                waived_on=d["day"],
                scope=d["scope"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "request_hearing",
            [OFFICER],
            f.DateForm,
            lambda u, c, d: s.case_request_hearing(
                actor=u, case=c, requested_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
            lambda c: c.hearing_offered,
        ),
        _action(
            "schedule_hearing",
            [HEAD],
            f.ScheduleHearingForm,
            lambda u, c, d: s.case_schedule_hearing(
                actor=u,
                case=c,
                presiding=d["presiding"],
                hearing_at=d["hearing_at"],
                place=d["place"],
                notice_served_on=d["notice_served_on"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "hold_hearing",
            [OFFICER, REVIEWER, HEAD],
            f.HearingForm,
            lambda u, c, d: s.case_record_hearing(
                actor=u,
                case=c,
                held_on=d["day"],
                attended=d["attended"],
                record=d["record"],
                report=d["report"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "reconsider",
            [OFFICER],
            f.ReconsiderForm,
            lambda u, c, d: s.case_reconsider(
                actor=u, case=c, note=d["note"], outcome=d["outcome"], version=d["version"], **_penalty(d)
            ),
        ),
        _action(
            "correct",
            [OFFICER, HEAD],
            f.CorrectForm,
            lambda u, c, d: s.case_correct(
                actor=u,
                case=c,
                facts=d["facts"],
                evidence=d["evidence"],
                basis=d["basis"],
                departure_reason=d["departure_reason"],
                note=d["note"],
                outcome=d["outcome"],
                version=d["version"],
                **_penalty(d),
            ),
        ),
        _action(
            "discuss",
            [HEAD],
            f.DiscussForm,
            lambda u, c, d: s.case_discuss(
                actor=u,
                case=c,
                held_on=d["day"],
                participants=d["participants"],
                opinions=d["opinions"],
                conclusion=d["conclusion"],
                extension_days=d["extension_days"] or 0,
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "extend_decision",
            [HEAD],
            f.ReasonForm,
            lambda u, c, d: s.case_extend_decision(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        _action(
            "suspend",
            [OFFICER, HEAD],
            f.SuspendForm,
            lambda u, c, d: s.case_suspend(
                actor=u, case=c, kind=d["kind"], started_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
            lambda c: not _suspended(c),
        ),
        _action(
            "resume",
            [OFFICER, HEAD],
            f.DateForm,
            lambda u, c, d: s.case_resume(
                actor=u, case=c, ended_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
            _suspended,
        ),
        _action(
            "decide",
            [HEAD],
            f.DecideForm,
            lambda u, c, d: s.case_decide(actor=u, case=c, outcome=d["outcome"], version=d["version"]),
        ),
        _action(
            "serve",
            [OFFICER],
            f.ServeForm,
            lambda u, c, d: s.case_serve(
                actor=u,
                case=c,
                **{"notice_on" if d["method"] == "public_notice" else "served_on": d["day"]},
                method=d["method"],
                consent_to_electronic=d["consent_to_electronic"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "pay",
            [OFFICER],
            f.PaymentForm,
            lambda u, c, d: s.case_record_payment(
                actor=u,
                case=c,
                paid_on=d["day"],
                amount=d["amount"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "defer",
            [HEAD],
            f.DeferForm,
            lambda u, c, d: s.case_defer_payment(
                actor=u, case=c, until=d["until"], reason=d["reason"], version=d["version"]
            ),
        ),
        _action(
            "remind",
            [OFFICER],
            f.DateForm,
            lambda u, c, d: s.case_remind(
                actor=u, case=c, served_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
        ),
        _action(
            "apply_court",
            [OFFICER],
            f.DateForm,
            lambda u, c, d: s.case_apply_court(
                actor=u, case=c, applied_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
        ),
        _action(
            "close",
            [HEAD],
            f.CloseForm,
            lambda u, c, d: s.case_close(actor=u, case=c, summary=d["summary"], version=d["version"]),
        ),
        # 复议 and 诉讼 are answered by the agency's legal staff (法制机构) and its heads.
        _action(
            "challenge",
            [REVIEWER, HEAD],
            f.ChallengeForm,
            lambda u, c, d: s.challenge_record(
                actor=u,
                case=c,
                kind=d["kind"],
                body=d["body"],
                reference=d["reference"],
                filed_on=d["day"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
            _unchallenged,
        ),
        _action(
            "challenge_outcome",
            [REVIEWER, HEAD],
            f.ChallengeOutcomeForm,
            lambda u, c, d: s.challenge_decide(
                actor=u,
                case=c,
                challenge=d["challenge"],
                decided_on=d["day"],
                outcome=d["outcome"],
                note=d["note"],
                version=d["version"],
                late_reason=d["late_reason"],
            ),
            lambda case: not _unchallenged(case),
        ),
        _action(
            "withdraw",
            [HEAD],
            f.ReasonForm,
            lambda u, c, d: s.case_withdraw(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        _action(
            "archive",
            [OFFICER, CLERK, HEAD],
            f.EmptyForm,
            lambda u, c, d: s.case_file_archive(actor=u, case=c, version=d["version"]),
        ),
        _action(
            "seize",
            [OFFICER],
            f.SeizeForm,
            lambda u, c, d: s.seizure_decide(
                actor=u,
                case=c,
                kind=d["kind"],
                items=d["items"],
                place=d["place"],
                officers=d["officers"],
                approver=d["approver"],
                started_on=d["day"],
                days=d["days"],
                emergency=d["emergency"],
                late_reason=d["late_reason"],
            ),
        ),
        _action(
            "extend_seizure",
            [HEAD],
            f.SeizureForm,
            lambda u, c, d: s.seizure_extend(actor=u, seizure=d["seizure"], days=d["days"] or 0, reason=d["reason"]),
            _open_seizure,
        ),
        _action(
            "release_seizure",
            [OFFICER, HEAD],
            f.SeizureForm,
            lambda u, c, d: s.seizure_release(
                actor=u,
                seizure=d["seizure"],
                released_on=d["day"] or today(),
                reason=d["reason"],
                late_reason=d["late_reason"],
            ),
            _open_seizure,
        ),
        _action(
            "order_correction",
            [OFFICER],
            f.CorrectionForm,
            lambda u, c, d: s.correction_order_issue(
                actor=u,
                case=c,
                content=d["content"],
                served_on=d["day"],
                correct_by=d["correct_by"],
                late_reason=d["late_reason"],
            ),
        ),
        # 按日连续处罚 and 限产停产 are decided in cases of their own (services.derived): the head approves opening one.
        _action(
            "daily_penalty",
            [HEAD],
            f.DailyPenaltyForm,
            lambda u, c, d: s.daily_penalty_open(
                actor=u,
                case=c,
                order=d["order"],
                reinspected_on=d["day"],
                investigators=d["investigators"],
                late_reason=d["late_reason"],
            ),
            lambda c: c.kind == CaseKind.PENALTY and c.correction_orders.exists() and c.decided_on is not None,
        ),
        _action(
            "limit_production",
            [HEAD],
            f.ProductionForm,
            lambda u, c, d: s.production_measure_open(
                actor=u,
                case=c,
                kind=d["kind"],
                months=d["months"],
                reason=d["reason"],
                investigators=d["investigators"],
            ),
            lambda c: c.kind == CaseKind.PENALTY,
        ),
    ],
    page="cases:case-detail",
    form_kwargs=lambda case, state: {"case": case, "staff": staff_of_case(case)},
)
