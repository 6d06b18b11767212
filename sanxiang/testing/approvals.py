"""Inspections the tests begin: on an emergency ground (approved afterwards), or on a head's approval."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.inspections import approvals
from sanxiang.testing.catalogues import make_item, make_power

# What a test that is not about approval gives inspection_start: an emergency, so it needs no approval first.
EMERGENCY = {"emergency_ground": "complaint", "emergency_note": "群众举报厂区夜间异味，现场核查"}


def approved(*, head, officers, party, agency=None, items=None, source="follow_up", on: dt.date | None = None):
    """An inspection of `party` by `officers` approved by `head` for `on` (today), on `items` (a new one)."""
    agency = agency or head.agency
    on = on or timezone.localdate()
    items = items or [make_item(make_power(agency))]
    approval = approvals.approval_request(
        actor=officers[0],
        agency=agency,
        party=party,
        items=items,
        officers=officers,
        source=source,
        reason="整改情况复查",
        planned_from=on,
        planned_to=on,
    )
    return approvals.approval_approve(actor=head, approval=approval)


def inspected(*, head, officers, party, complete: bool = True):
    """An approved inspection of `party` begun (and, unless `complete` is false, completed) by `officers`: what
    the enterprise rates and complains about through the approval's 扫码入企 code."""
    from sanxiang.cases import services as cases

    approval = approved(head=head, officers=officers, party=party)
    start = earlier_today(dt.timedelta(hours=1))  # on its local day, even just after midnight
    inspection = cases.inspection_start(
        actor=officers[0],
        agency=approval.agency,
        party=party,
        place="厂区",
        started_at=start,
        officers=officers,
        approval=approval,
    )
    if complete:
        cases.inspection_complete(
            actor=officers[0],
            inspection=inspection,
            ended_at=halfway_to_now(start),
            findings="现场检查未发现问题。",
            violation_found=False,
            signature="signed",
        )
    approval.refresh_from_db()
    return approval
