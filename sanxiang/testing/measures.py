"""Factories for coercive measures: the body-worn camera clip the seed requires before an act is completed, and a
seizure (查封) proposed, reviewed, approved and carried out on 8 September 2026."""

from __future__ import annotations

import datetime as dt
import io

from sanxiang.cases import services
from sanxiang.evidence.services import evidence_ingest
from sanxiang.testing.cases import at
from sanxiang.testing.reviews import pass_review


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


SEIZED = dt.date(2026, 9, 8)


def propose(world, case, *, on=SEIZED, **overrides):
    """An officer proposes sealing the bypass valve on `case` (呈批), on 8 September 2026 unless it is an emergency
    carried out at `started_at`; returns the seizure's own case."""
    values = {
        "kind": "seal",
        "items": "脱硫塔旁路阀门及控制柜 1 套",
        "place": "厂区",
        "reasons": "当事人通过旁路阀门偷排未经处理的烟气，造成严重大气污染",
        "officers": [world.people.officer, world.people.partner],
        "days": 30,
    }
    values.update(overrides)
    with at(on):
        return services.seizure_propose(actor=world.people.officer, case=case, **values)


def seizure(world, case, *, on=SEIZED, **overrides):
    """A seizure proposed on `case`, legally reviewed and approved by the head, and carried out on the same day, 8
    September 2026 unless said otherwise (the act's camera clip must be on file)."""
    proposed = propose(world, case, on=on, **overrides)
    with at(on):
        pass_review(world, proposed)
        services.case_decide(actor=world.people.head, case=proposed, outcome="measure")
    return proposed.seizures.get()
