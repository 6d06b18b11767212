"""Factories for coercive measures: the body-worn camera clip the seed requires before an act is completed, and a
seizure (查封) decided on 8 September 2026."""

from __future__ import annotations

import datetime as dt
import io

from sanxiang.cases import services
from sanxiang.evidence.services import evidence_ingest
from sanxiang.testing.cases import at


def record(world, case, act="seizure"):
    """A body-worn camera clip of the act, as the seed requires before the act is completed."""
    return evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(64)),
        original_name="现场执法记录.mp4",
        act=act,
        kind="video",
        recorded_by=world.people.officer,
        case=case,
        description="查封脱硫塔旁路阀门全过程",
    )


def seizure(world, case, **overrides):
    values = {
        "kind": "seal",
        "items": "脱硫塔旁路阀门及控制柜 1 套",
        "place": "厂区",
        "officers": [world.people.officer, world.people.partner],
        "approver": world.people.head,
        "started_on": dt.date(2026, 9, 8),
        "days": 30,
    }
    values.update(overrides)
    with at(dt.date(2026, 9, 8)):
        return services.seizure_decide(actor=world.people.officer, case=case, **values)
