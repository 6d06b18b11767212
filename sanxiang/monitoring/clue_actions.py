"""The steps of a 第四十一条审核 as its page and API offer them (a core.actions.Workflow), to the roles its moves name
in checklist.CHECK; the services check everything again."""

from __future__ import annotations

from sanxiang.core.actions import Workflow, move_action
from sanxiang.monitoring import checklist
from sanxiang.monitoring.checklist import CHECK
from sanxiang.monitoring.clue_forms import InviteStatementForm, ReissuePartyKeyForm, ReviewRecordsForm, TellPartyForm

WORKFLOW = Workflow(
    [
        move_action(
            CHECK,
            "review_records",
            ReviewRecordsForm,
            lambda u, c, data: checklist.check_review_records(
                actor=u,
                check=c,
                reviewed_on=data["reviewed_on"],
                conform=data["conform"],
                opinion=data["opinion"],
                version=data["version"],
            ),
            in_agency=True,
        ),
        move_action(
            CHECK,
            "tell_party",
            TellPartyForm,
            lambda u, c, data: checklist.check_tell_party(
                actor=u, check=c, told_on=data["told_on"], how=data["how"], version=data["version"]
            ),
            in_agency=True,
        ),
        move_action(
            CHECK,
            "invite_statement",
            InviteStatementForm,
            lambda u, c, data: checklist.check_invite_statement(
                actor=u, check=c, invited_on=data["invited_on"], version=data["version"]
            ),
            in_agency=True,
        ),
        move_action(
            CHECK,
            "reissue_party_key",
            ReissuePartyKeyForm,
            lambda u, c, data: checklist.check_reissue_party_key(
                actor=u, check=c, reason=data["reason"], version=data["version"]
            ),
            applies=lambda check, state: bool(check.party_key),  # an address to replace: the party was told
            in_agency=True,
        ),
    ],
    page="monitoring-clues:check",
    form_kwargs=lambda check, state: {"check": check},
)
