"""The moves of a supervision notice as its page and API offer them (a core.actions.Workflow): the head of the
addressed agency signs for it and reports; a supervisor above accepts, returns or closes. The services check
everything again."""

from __future__ import annotations

from sanxiang.core.actions import Action, Workflow
from sanxiang.supervision import services
from sanxiang.supervision.forms import CloseForm, RespondForm, ReturnForm, VersionedForm
from sanxiang.supervision.selectors import answers_for, supervises
from sanxiang.supervision.services import NOTICE


def _step(name, form, call, *, who) -> Action:
    move = NOTICE.moves[name]
    return Action(
        name,
        move.label,
        form,
        call,
        move.roles,
        lambda user, notice, state: NOTICE.allows(notice, name) and who(user, notice),
    )


def _supervisor(user, notice) -> bool:
    return supervises(user, notice.agency)


WORKFLOW = Workflow(
    [
        _step(
            "acknowledge",
            VersionedForm,
            lambda u, n, data: services.notice_acknowledge(actor=u, notice=n, version=data["version"]),
            who=answers_for,
        ),
        _step(
            "respond",
            RespondForm,
            lambda u, n, data: services.notice_respond(
                actor=u,
                notice=n,
                response=data["response"],
                evidence_note=data["evidence_note"],
                version=data["version"],
            ),
            who=answers_for,
        ),
        _step(
            "accept",
            VersionedForm,
            lambda u, n, data: services.notice_accept(actor=u, notice=n, version=data["version"]),
            who=_supervisor,
        ),
        _step(
            "return",
            ReturnForm,
            lambda u, n, data: services.notice_return(
                actor=u, notice=n, reason=data["reason"], version=data["version"]
            ),
            who=_supervisor,
        ),
        _step(
            "close",
            CloseForm,
            lambda u, n, data: services.notice_close(actor=u, notice=n, note=data["note"], version=data["version"]),
            who=_supervisor,
        ),
    ],
    page="supervision:notice",
)
