"""The shape of a case action (its form, the service it calls, when it is offered), shared by the procedure's table
(actions) and the measures' (measure_actions). Who may take it is the move's own roles in services.base.CASE: the
interfaces offer the step to the roles the machine will accept, from one table (core.actions.move_action)."""

from __future__ import annotations

from sanxiang.cases.services.base import CASE
from sanxiang.core.actions import Action, move_action


def case_action(name, form, call, applies=None) -> Action:
    """Offered to the move's roles when the case's stage allows it and `applies(case)` says it makes sense now."""
    return move_action(CASE, name, form, call, applies=None if applies is None else lambda case, state: applies(case))
