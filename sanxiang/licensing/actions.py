"""The steps of a licence application and of a licence as their pages and API v1 offer them (core.actions
Workflows), each offered to the roles its move names in services.APPLICATION / services.LICENCE when the record's
state allows it; the services check everything again (the periods, the certificates, the review)."""

from __future__ import annotations

from django.utils import timezone

from sanxiang.core.actions import Workflow, move_action
from sanxiang.licensing import forms, services
from sanxiang.licensing.models import Pause
from sanxiang.licensing.services import APPLICATION, LICENCE


def _waiting_hearing(application, state) -> bool:
    return state is not None and state.kind == Pause.Kind.HEARING and state.requested_on is None


def _step(name, form, call, **options):
    return move_action(APPLICATION, name, form, call, in_agency=True, **options)


APPLICATION_WORKFLOW = Workflow(
    [
        _step(
            "supplement_request",
            forms.SupplementRequestForm,
            lambda u, a, d: services.application_request_supplement(
                actor=u, application=a, items=d["items"], note=d["note"], version=d["version"]
            ),
            applies=lambda a, s: not a.supplement_items,
        ),
        _step(
            "supplement",
            forms.SupplementForm,
            lambda u, a, d: services.application_supplement(
                actor=u, application=a, materials=d["materials"], version=d["version"]
            ),
        ),
        _step(
            "accept",
            forms.ConfirmForm,
            lambda u, a, d: services.application_accept(actor=u, application=a, version=d["version"]),
        ),
        _step(
            "reject",
            forms.RejectForm,
            lambda u, a, d: services.application_reject(
                actor=u, application=a, ground=d["ground"], reason=d["reason"], version=d["version"]
            ),
            applies=lambda a, s: timezone.localdate() <= a.accept_due_on,
        ),
        _step(
            "examine",
            forms.ExamineForm,
            lambda u, a, d: services.application_examine(
                actor=u,
                application=a,
                kind=d["kind"],
                findings=d["findings"],
                officers=d["officers"],
                held_on=d["held_on"],
                version=d["version"],
            ),
        ),
        _step(
            "pause",
            forms.PauseForm,
            lambda u, a, d: services.application_pause(
                actor=u,
                application=a,
                kind=d["kind"],
                reason=d["reason"],
                expected_days=d["expected_days"],
                version=d["version"],
            ),
        ),
        _step(
            "hearing_request",
            forms.ConfirmForm,
            lambda u, a, d: services.application_request_hearing(actor=u, application=a, version=d["version"]),
            applies=_waiting_hearing,
        ),
        _step(
            "resume",
            forms.ResumeForm,
            lambda u, a, d: services.application_resume(
                actor=u, application=a, result=d["result"], held_on=d["held_on"], version=d["version"]
            ),
        ),
        _step(
            "extend",
            forms.ReasonForm,
            lambda u, a, d: services.application_extend(
                actor=u, application=a, reason=d["reason"], version=d["version"]
            ),
            applies=lambda a, s: not a.extended and a.licence_type.extendable,
        ),
        _step(
            "grant",
            forms.GrantForm,
            lambda u, a, d: services.application_grant(
                actor=u, application=a, content=d["content"], version=d["version"]
            ),
        ),
        _step(
            "refuse",
            forms.ReasonForm,
            lambda u, a, d: services.application_refuse(
                actor=u, application=a, reason=d["reason"], version=d["version"]
            ),
        ),
        _step(
            "serve",
            forms.ServeForm,
            lambda u, a, d: services.application_serve(
                actor=u, application=a, method=d["method"], served_on=d["served_on"], version=d["version"]
            ),
            applies=lambda a, s: a.served_on is None and a.decision_document_id is not None,
        ),
        _step(
            "withdraw",
            forms.ReasonForm,
            lambda u, a, d: services.application_withdraw(
                actor=u, application=a, reason=d["reason"], version=d["version"]
            ),
        ),
    ],
    page="licensing:application",
    state=lambda application: application.pauses.filter(ended_on__isnull=True).first(),
    form_kwargs=lambda application, state: {"record": application},
)


def _licence_step(name, form, service):
    return move_action(
        LICENCE,
        name,
        form,
        lambda u, licence, d: service(
            actor=u, licence=licence, ground=d["ground"], reason=d["reason"], version=d["version"]
        ),
        in_agency=True,
    )


LICENCE_WORKFLOW = Workflow(
    [
        _licence_step("recall", forms.RecallForm, services.licence_recall),
        _licence_step("revoke", forms.RevokeForm, services.licence_revoke),
        _licence_step("cancel", forms.CancelForm, services.licence_cancel),
    ],
    page="licensing:licence",
    form_kwargs=lambda licence, state: {"record": licence},
)
