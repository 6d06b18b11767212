"""The shape of a case action (its form, the service it calls, when it is offered), shared by the procedure's table
(actions) and the measures' (measure_actions). Who may take it is the move's own roles in services.base.CASE: the
interfaces offer the step to the roles the machine will accept, from one table."""

from __future__ import annotations

from sanxiang.cases.services.base import CASE
from sanxiang.core.actions import Action


def case_action(name, form, call, applies=None) -> Action:
    """Offered to the move's roles when the case's stage allows it and `applies(case)` says it makes sense now."""

    def offered(user, case, state) -> bool:
        return CASE.allows(case, name) and (applies is None or applies(case))

    return Action(name, CASE.moves[name].label, form, call, CASE.moves[name].roles, offered)
