"""Workflow actions: the steps a person can take on a record, offered by its workbench page and by API v1 from one
table, so both interfaces offer the same steps with the same checks.

An Action is one step: its name and label, who may take it (`roles`; none named means the service alone decides
who may), whether the page offers it right now (`offered`, which only keeps pages free of buttons that would be
refused), its input form, and the service it calls with the form's cleaned data. A Workflow is the table of one
record type, with what its forms need to know of the record. The legal gates themselves live in the services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sanxiang.core.forms import apply_validation_error


def _always(user, record, state) -> bool:
    return True


_UNSET = object()  # a state not read yet (None is a state: no version waiting)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type[forms.Form]
    call: Callable  # (actor, record, cleaned data) -> result
    roles: frozenset = field(default_factory=frozenset)
    offered: Callable = _always  # (user, record, state) -> bool


def move_action(
    machine, name: str, form, call: Callable, *, label=None, applies: Callable | None = None, in_agency: bool = False
) -> Action:
    """The step that takes move `name` of `machine` (a ledger.transitions.StateMachine, passed in: core imports no
    app), offered to the roles the move names, so that the interfaces offer a step to whom the machine will accept.
    It is offered when the record's state allows the move — with `in_agency`, only to whom the machine permits it
    in the record's agency — and `applies(record, state)` says it makes sense now. `label` is the move's unless
    given."""
    move = machine.moves[name]

    def offered(user, record, state) -> bool:
        if not machine.allows(record, name):
            return False
        if in_agency and not machine.permits(user, record.agency, name):
            return False
        return applies is None or applies(record, state)

    return Action(name, label or move.label, form, call, move.roles, offered)


class Workflow:
    """The actions of one record type.

    `state(record)` is what the offers and forms of a record depend on besides the record (the version waiting to
    be published, the round being reviewed), read once per page; `form_kwargs(record, state)` are the keyword
    arguments its forms take; `page` is the URL name of the record's page (with its id).
    """

    def __init__(
        self,
        actions: Iterable[Action],
        *,
        page: str,
        state: Callable | None = None,
        form_kwargs: Callable | None = None,
    ):
        self.actions = {action.name: action for action in actions}
        self.page = page
        self._state = state or (lambda record: None)
        self._form_kwargs = form_kwargs or (lambda record, state: {})

    def __iter__(self):
        return iter(self.actions.values())

    def __getitem__(self, name: str) -> Action:
        return self.actions[name]

    def state(self, record):
        return self._state(record)

    def may(self, user, action: Action) -> bool:
        """Whether the user's roles allow the step (the service still checks everything else)."""
        return user.is_superuser or not action.roles or bool(action.roles & user.roles)

    def require(self, user, name: str) -> Action:
        """The action `name` if the user's roles allow it: 404 for an unknown step, 403 for one outside the roles."""
        action = self.actions.get(name)
        if action is None:
            raise Http404
        if not self.may(user, action):
            raise PermissionDenied(_("您的角色不能执行“%(action)s”。") % {"action": action.label})
        return action

    def form(self, action: Action, record, state, *args, **kwargs) -> forms.Form:
        return action.form(*args, **kwargs, **self._form_kwargs(record, state))

    def offered(self, user, record, state=_UNSET) -> list[Action]:
        """The steps the user may take on the record now, in the table's order."""
        state = self.state(record) if state is _UNSET else state
        return [action for action in self if self.may(user, action) and action.offered(user, record, state)]

    def waiting_on_others(self, user, record, state=_UNSET) -> list[Action]:
        """The steps the record is ready for that the user's roles do not allow: what others are to do next."""
        state = self.state(record) if state is _UNSET else state
        return [action for action in self if not self.may(user, action) and action.offered(user, record, state)]

    def forms(
        self, user, record, *, initial: dict, bound: tuple[str, forms.Form] | None = None, state=_UNSET
    ) -> list[tuple[Action, forms.Form]]:
        """The steps offered to `user`, each with a fresh form — and a refused step with its bound form and the
        reason, even when the page would not offer it now (nothing typed is lost to a refusal)."""
        state = self.state(record) if state is _UNSET else state
        refused, form = bound or ("", None)
        offered = {action.name for action in self.offered(user, record, state)}
        return [
            (action, form if action.name == refused else self.form(action, record, state, initial=initial))
            for action in self
            if action.name == refused or action.name in offered
        ]


def action_post(request, workflow: Workflow, record, name: str, *, page: Callable) -> HttpResponse:
    """A step posted from a record's page: on success back to the page with a message; when the form or the service
    refuses, `page(request, record_id, bound=(name, form), status=400)` shows the page again with what was typed and
    why it was refused."""
    action = workflow.require(request.user, name)
    form = workflow.form(action, record, workflow.state(record), request.POST, request.FILES or None)
    if not _ran(form, lambda data: action.call(request.user, record, data)):
        return page(request, record.pk, bound=(name, form), status=400)
    messages.success(request, _("已%(action)s。") % {"action": action.label})
    return redirect(workflow.page, record.pk)


def _ran(form: forms.Form, call: Callable[[dict], object]) -> bool:
    """Whether the form was valid and the service accepted it (a service may return nothing)."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True
