"""Workflow actions over API v1: one documented POST endpoint per step of a record type's Workflow
(core.actions), validated by the same form the workbench renders and answered with the record as it now stands.

Refusals answer 400 with the rule and its article, a stale version 409, a step outside the caller's roles 403, a
record outside the caller's scope 404 (api.errors).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.views import APIView

from sanxiang.api.forms import schema_of, validated
from sanxiang.core.actions import Workflow


class ActionApi(APIView):
    """One workflow step: refused steps answer 400 with the rule and its article, a stale version 409, a step outside
    the caller's roles 403."""

    # action_endpoints makes one subclass per action, with the record type's parts:

    workflow: Workflow
    action: str
    gate: Callable  # (request, **URL arguments) -> the record, through its access gate (404 outside the scope)
    answer: Callable  # (request, record) -> the Response with the record's detail
    reshape: Callable  # (request, action) -> the data for the action's form

    def post(self, request, **kwargs):
        record = self.gate(request, **kwargs)
        action = self.workflow.require(request.user, self.action)
        form = self.workflow.form(action, record, self.workflow.state(record), self.reshape(request, action))
        action.call(request.user, record, validated(form))
        return self.answer(request, record)


def _request_data(request, action):
    return request.data


def action_endpoints(
    *,
    workflow: Workflow,
    gate: Callable,
    answer: Callable,
    route: str,
    name: str,
    operation: str,
    responses,
    bodies: dict | None = None,
    reshape: Callable = _request_data,
) -> list:
    """URL patterns `{route}/{action}` (named `{name}-{action}`), one per action of `workflow`, each documented with
    its body (the form's fields, unless `bodies` gives a serializer for it) and `responses`."""
    patterns = []
    for action in workflow:
        body = (bodies or {}).get(action.name) or schema_of(action.form)
        schema = extend_schema(
            request=body, responses=responses, operation_id=f"{operation}_{action.name}", summary=str(action.label)
        )
        view = type(
            f"{operation.title()}{action.name.title().replace('_', '')}Api",
            (ActionApi,),
            {
                "workflow": workflow,
                "action": action.name,
                "gate": staticmethod(gate),
                "answer": staticmethod(answer),
                "reshape": staticmethod(reshape),
            },
        )
        patterns.append(
            path(
                f"{route}/{action.name}", extend_schema_view(post=schema)(view).as_view(), name=f"{name}-{action.name}"
            )
        )
    return patterns
