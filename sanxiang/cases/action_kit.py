"""The shape of a case action (who may take it, its form, the service it calls, when it is offered), shared by the
procedure's table (actions) and the measures' (measure_actions)."""

from __future__ import annotations

from sanxiang.agencies.models import Role
from sanxiang.cases.services.base import CASE
from sanxiang.core.actions import Action

OFFICER, HEAD, REVIEWER, CLERK = Role.OFFICER, Role.HEAD, Role.REVIEWER, Role.PUBLICITY_CLERK


def case_action(name, roles, form, call, applies=None) -> Action:
    """Offered when the case's stage allows the move and `applies(case)` says it makes sense now."""

    def offered(user, case, state) -> bool:
        return CASE.allows(case, name) and (applies is None or applies(case))

    return Action(name, CASE.moves[name].label, form, call, frozenset(roles), offered)
