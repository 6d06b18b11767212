"""Workflow actions over API v1: one documented POST endpoint per step of a record type's Workflow
(core.actions), validated by the same form the workbench renders and answered with the record as it now stands.

Refusals answer 400 with the rule and its article, a stale version 409, a step outside the caller's roles 403, a
record outside the caller's scope 404 (api.errors).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.forms import schema_of, validated
from sanxiang.core.actions import Workflow


class ActionApi(APIView):
    """One workflow step: refused steps answer 400 with the rule and its article, a stale version 409, a step outside
    the caller's roles 403."""

    # action_endpoints makes one subclass per action, with the record type's parts:
    workflow: Workflow
    action: str
    gate: Callable  # the record type's access gate, gate(user=, **{its id argument}): 404 outside the scope
    detail: type  # the serializer of the record the answer shows (context: the user and the request)
    reshape: Callable  # (request, action) -> the data for the action's form

    def post(self, request, **ids):
        record = self.gate(user=request.user, **ids)
        action = self.workflow.require(request.user, self.action)
        form = self.workflow.form(action, record, self.workflow.state(record), self.reshape(request, action))
        action.call(request.user, record, validated(form))
        return Response(
            self.detail(self.gate(user=request.user, **ids), context={"user": request.user, "request": request}).data
        )


def _request_data(request, action):
    return request.data


def action_endpoints(
    *,
    workflow: Workflow,
    gate: Callable,
    key: str,
    detail: type,
    prefix: str,
    name: str,
    operation: str,
    bodies: dict | None = None,
    reshape: Callable = _request_data,
) -> list:
    """URL patterns `{prefix}/<int:{key}>/{action}` (named `{name}-{action}`), one per action of `workflow`, each
    documented with its body (the form's fields, unless `bodies` gives a serializer for it) and answering with the
    record through `detail`."""
    patterns = []
    for action in workflow:
        body = (bodies or {}).get(action.name) or schema_of(action.form)
        schema = extend_schema(
            request=body, responses=detail, operation_id=f"{operation}_{action.name}", summary=str(action.label)
        )
        view = type(
            f"{operation.title()}{action.name.title().replace('_', '')}Api",
            (ActionApi,),
            {
                "workflow": workflow,
                "action": action.name,
                "gate": staticmethod(gate),
                "detail": detail,
                "reshape": staticmethod(reshape),
            },
        )
        patterns.append(
            path(
                f"{prefix}/<int:{key}>/{action.name}",
                extend_schema_view(post=schema)(view).as_view(),
                name=f"{name}-{action.name}",
            )
        )
    return patterns
