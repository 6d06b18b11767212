"""The steps of an annual report as its page and API v1 offer them (core.actions), each offered to the roles its move
names in services.REPORT when the report's state allows it (the report's page is seen only in its agency and above,
where the services accept those roles)."""

from __future__ import annotations

from sanxiang.core.actions import Workflow, move_action
from sanxiang.core.forms import RecordForm
from sanxiang.reports import forms, services
from sanxiang.reports.services import REPORT

REPORT_WORKFLOW = Workflow(
    [
        move_action(
            REPORT,
            "edit",
            forms.NarrativeForm,
            lambda u, r, d: services.report_edit(actor=u, report=r, narrative=d["narrative"], version=d["version"]),
        ),
        move_action(
            REPORT,
            "approve",
            RecordForm,
            lambda u, r, d: services.report_approve(actor=u, report=r, version=d["version"]),
        ),
        move_action(
            REPORT,
            "publish",
            RecordForm,
            lambda u, r, d: services.report_publish(actor=u, report=r, version=d["version"]),
        ),
    ],
    page="reports:report",
    form_kwargs=lambda report, state: {"record": report},
)
