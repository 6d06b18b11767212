"""The case actions a person can take: who may take each (roles), its input form, and the service it calls.

The workbench and API v1 share this table (a core.actions.Workflow), so both interfaces offer exactly the same steps
with the same checks; a step is offered when the case's stage allows its move (services.base.CASE) and it makes
sense for the case right now. The legal gates themselves live in the services.
"""

from __future__ import annotations

from sanxiang.cases import forms as f
from sanxiang.cases import services as s
from sanxiang.cases.action_kit import case_action
from sanxiang.cases.measure_actions import MEASURE_ACTIONS
from sanxiang.cases.selectors import staff_of_case
from sanxiang.core.actions import Workflow


def _pending_preservation(case) -> bool:
    return case.preservations.filter(decided_on__isnull=True).exists()


def _suspended(case) -> bool:
    return case.suspensions.filter(ended_on__isnull=True).exists()


def _penalty(data):
    return {"kinds": data["kinds"], "fine": data["fine"], "confiscation": data["confiscation"]}


WORKFLOW = Workflow(
    [
        case_action(
            "record_act_place",
            f.ActPlaceForm,
            lambda u, c, d: s.case_record_act_place(
                actor=u, case=c, act_place=d["act_place"], act_division=d["act_division"], version=d["version"]
            ),
            lambda case: not case.act_division,
        ),
        case_action(
            "file",
            f.FileForm,
            lambda u, c, d: s.case_file(
                actor=u, case=c, investigators=d["investigators"], opinion=d["opinion"], version=d["version"]
            ),
        ),
        case_action(
            "not_file",
            f.ReasonForm,
            lambda u, c, d: s.case_not_file(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        case_action(
            "extend_filing",
            f.ReasonForm,
            lambda u, c, d: s.case_extend_filing(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        case_action(
            "transfer",
            f.TransferForm,
            lambda u, c, d: s.case_transfer(
                actor=u, case=c, to_agency=d["to_agency"], reason=d["reason"], version=d["version"]
            ),
        ),
        case_action(
            "preserve",
            f.PreserveForm,
            lambda u, c, d: s.case_preserve(actor=u, case=c, approver=d["approver"], items=d["items"]),
        ),
        case_action(
            "decide_preservation",
            f.PreservationDecisionForm,
            lambda u, c, d: s.case_decide_preservation(
                actor=u, preservation=d["preservation"], decision=d["decision"], note=d["note"]
            ),
            _pending_preservation,
        ),
        case_action(
            "calculate_discretion",
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
        case_action(
            "submit",
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
        case_action(
            "review",
            f.ReviewForm,
            lambda u, c, d: s.case_review(
                actor=u, case=c, opinion=d["opinion"], approve_case=d["approve_case"], version=d["version"]
            ),
        ),
        case_action(
            "notify",
            f.DateForm,
            lambda u, c, d: s.case_notify(
                actor=u, case=c, served_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
        ),
        case_action(
            "statement",
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
        case_action(
            "waive",
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
        case_action(
            "request_hearing",
            f.DateForm,
            lambda u, c, d: s.case_request_hearing(
                actor=u, case=c, requested_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
            lambda c: c.hearing_offered,
        ),
        case_action(
            "schedule_hearing",
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
        case_action(
            "hold_hearing",
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
        case_action(
            "reconsider",
            f.ReconsiderForm,
            lambda u, c, d: s.case_reconsider(
                actor=u, case=c, note=d["note"], outcome=d["outcome"], version=d["version"], **_penalty(d)
            ),
        ),
        case_action(
            "correct",
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
        case_action(
            "discuss",
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
        case_action(
            "extend_decision",
            f.ReasonForm,
            lambda u, c, d: s.case_extend_decision(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        case_action(
            "suspend",
            f.SuspendForm,
            lambda u, c, d: s.case_suspend(
                actor=u, case=c, kind=d["kind"], started_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
            lambda c: not _suspended(c),
        ),
        case_action(
            "resume",
            f.DateForm,
            lambda u, c, d: s.case_resume(
                actor=u, case=c, ended_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
            _suspended,
        ),
        case_action(
            "decide",
            f.DecideForm,
            lambda u, c, d: s.case_decide(actor=u, case=c, outcome=d["outcome"], version=d["version"]),
        ),
        case_action(
            "serve",
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
        case_action(
            "pay",
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
        case_action(
            "defer",
            f.DeferForm,
            lambda u, c, d: s.case_defer_payment(
                actor=u, case=c, until=d["until"], reason=d["reason"], version=d["version"]
            ),
        ),
        case_action(
            "remind",
            f.DateForm,
            lambda u, c, d: s.case_remind(
                actor=u, case=c, served_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
        ),
        case_action(
            "apply_court",
            f.DateForm,
            lambda u, c, d: s.case_apply_court(
                actor=u, case=c, applied_on=d["day"], version=d["version"], late_reason=d["late_reason"]
            ),
        ),
        case_action(
            "close",
            f.CloseForm,
            lambda u, c, d: s.case_close(actor=u, case=c, summary=d["summary"], version=d["version"]),
        ),
        case_action(
            "withdraw",
            f.ReasonForm,
            lambda u, c, d: s.case_withdraw(actor=u, case=c, reason=d["reason"], version=d["version"]),
        ),
        case_action(
            "archive",
            f.EmptyForm,
            lambda u, c, d: s.case_file_archive(actor=u, case=c, version=d["version"]),
            applies=lambda case: not case.archiving,  # not while the worker packs it
        ),
        *MEASURE_ACTIONS,
    ],
    page="cases:case-detail",
    form_kwargs=lambda case, state: {"case": case, "staff": staff_of_case(case)},
)


# The records a member of staff begins from the workbench, each by the first move of its machine (查审分离: never a
# reviewer or a publicity clerk). The page that begins one answers 403 to anyone else and the lists link to it only
# for whom it admits; the service checks again, in the agency of the party chosen.
BEGINNINGS = {"case": (s.CASE, "open"), "inspection": (s.INSPECTION, "start"), "onsite": (s.ONSITE, "decide")}


def begins(user) -> dict[str, bool]:
    """Which records of BEGINNINGS `user` may begin in their own agency, by name."""
    return {name: machine.permits(user, user.agency, move) for name, (machine, move) in BEGINNINGS.items()}


def begin_require(user, record: str) -> None:
    """403 unless `user` may begin a `record` (a name in BEGINNINGS) in their own agency."""
    machine, move = BEGINNINGS[record]
    machine.require(user, user.agency, move)
