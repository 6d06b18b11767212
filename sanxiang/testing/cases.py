"""Factories for cases: a party, a clue, and a walk through the ordinary procedure up to any stage.

Dates are real calendar days around the 2026 National Day holiday, with time frozen on each step, so the
working-day clocks are exercised as they would be in an agency.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import time_machine
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Act, Case, Outcome, Party, PartyKind, Violation
from sanxiang.demo.codes import demo_uscc
from sanxiang.evidence.models import EvidenceKind
from sanxiang.evidence.services import evidence_ingest

SERIAL = iter(range(5000, 100000))

# The story of one case: discovered 1 September 2026, notice served 28 September, before National Day.
DISCOVERED = dt.date(2026, 9, 1)
FILED = dt.date(2026, 9, 3)
SUBMITTED = dt.date(2026, 9, 20)
REVIEWED = dt.date(2026, 9, 22)
NOTIFIED = dt.date(2026, 9, 28)
STATEMENT_DUE = dt.date(2026, 10, 10)  # 5 working days: 29, 30 Sep, 8, 9, 10 (Saturday, adjusted) Oct
DECIDED = dt.date(2026, 10, 12)


def at(day: dt.date, hour: int = 10):
    """Freeze time at `day` in Beijing."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone()), tick=False
    )


def today_at(hour: int):
    """Today at `hour` o'clock in Beijing with the clock running (a live server and a browser need it to move): for
    browser tests whose records must lie earlier today whatever the hour the suite runs at."""
    moment = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return time_machine.travel(moment, tick=True)


def make_party(agency, **overrides) -> Party:
    values = {
        "kind": PartyKind.LEGAL_PERSON,
        "name": f"哈尔滨市示例化工有限公司{next(SERIAL)}",
        "uscc": demo_uscc("91", agency.code, next(SERIAL)),
        "legal_representative": "赵某某",
        "address": "哈尔滨市松北区化工路 8 号",
        "industry": "化学原料和化学制品制造业",
    }
    values.update(overrides)
    return services.party_create(actor=None, agency=agency, **values)


def open_case(world, **overrides) -> Case:
    values = {
        "agency": world.harbin,
        "party": overrides.pop("party", None) or make_party(world.harbin),
        "title": "超标排放大气污染物案",
        "source": "inspection",
        "act_date": dt.date(2026, 8, 28),
        "discovered_on": DISCOVERED,
        "violation": Violation.objects.get(code="DQ-99"),
        "summary": "现场检查发现当事人脱硫设施停运，二氧化硫排放浓度超标。",
    }
    values.update(overrides)
    # the act happened where the agency is competent, unless a test says otherwise
    values.setdefault("act_division", values["agency"].code)
    values.setdefault("act_place", values["party"].address)
    actor = values.pop("actor", world.people.officer)
    with at(values["discovered_on"]):
        return services.case_open(actor=actor, **values)


STEPS = ("filed", "submitted", "reviewed", "notified", "reconsidered", "decided", "served")


def add_evidence(world, case, name="监测报告.pdf"):
    """A monitoring report in the case file (a review needs the evidence, not only its list; a penalty decision lists
    it by its number in the file). Its bytes are its own, so a test that damages one stored file damages no other
    test's."""
    content = f"%PDF-1.4 monitoring report {name} {uuid.uuid4()}".encode()
    return evidence_ingest(
        actor=world.people.officer,
        source=io.BytesIO(content),
        original_name=name,
        act=Act.EVIDENCE,
        kind=EvidenceKind.DOCUMENTARY,
        recorded_by=world.people.officer,
        case=case,
        description="有资质机构出具的监测报告",
    )


def _submit(world, case: Case, kinds, fine, evidence: bool) -> Case:
    if evidence:
        add_evidence(world, case)
    return services.case_submit(
        actor=world.people.officer,
        case=case,
        facts="2026年8月28日，当事人二氧化硫排放浓度超标1.5倍。",
        evidence="现场检查笔录、监测报告",
        basis="《大气污染防治法》第十八条、第九十九条第二项",
        kinds=list(kinds),
        fine=fine,
    )


def walk(
    world,
    case: Case,
    until: str,
    *,
    fine=Decimal("150000"),
    kinds=("fine",),
    after: str | None = None,
    evidence: bool = True,
) -> Case:
    """Take `case` through the ordinary procedure, step by step, up to and including `until` (starting after the
    step `after` when it has already been taken); unless `evidence` is False, a monitoring report is put on file
    before the investigation ends."""
    people = world.people
    steps = {
        "filed": (
            FILED,
            lambda c: services.case_file(
                actor=people.head, case=c, investigators=[people.officer, people.partner], opinion="同意立案"
            ),
        ),
        "submitted": (SUBMITTED, lambda c: _submit(world, c, kinds, fine, evidence)),
        "reviewed": (
            REVIEWED,
            lambda c: services.case_review(
                actor=people.reviewer, case=c, opinion="事实清楚，证据确凿，建议告知。", approve_case=True
            ),
        ),
        "notified": (NOTIFIED, lambda c: services.case_notify(actor=people.officer, case=c, served_on=NOTIFIED)),
        "reconsidered": (
            DECIDED,
            lambda c: services.case_reconsider(
                actor=people.officer, case=c, kinds=list(kinds), fine=fine, confiscation=None, note="当事人未陈述申辩。"
            ),
        ),
        "decided": (DECIDED, lambda c: services.case_decide(actor=people.head, case=c, outcome=Outcome.PENALTY)),
        "served": (
            DECIDED,
            lambda c: services.case_serve(actor=people.officer, case=c, served_on=DECIDED, method="direct"),
        ),
    }
    for name in STEPS[STEPS.index(after) + 1 :] if after else STEPS:
        day, step = steps[name]
        with at(day):
            case = step(case)
        if name == until:
            break
    return Case.objects.get(pk=case.pk)


HEARD = dt.date(2026, 10, 21)  # the day after the hearing, when the case is reconsidered


def heard(world, case: Case, *, presiding, fine=Decimal("300000")) -> Case:
    """From the notice (walked to "notified"): a hearing requested, held on 20 October with `presiding` in the chair,
    and the case reconsidered the next day."""
    people, tz = world.people, timezone.get_default_timezone()
    with at(dt.date(2026, 10, 9)):
        case = services.case_request_hearing(actor=people.officer, case=case, requested_on=dt.date(2026, 10, 9))
        case = services.case_schedule_hearing(
            actor=people.head,
            case=case,
            presiding=presiding,
            hearing_at=dt.datetime(2026, 10, 20, 9, tzinfo=tz),
            place="局三楼听证室",
            notice_served_on=dt.date(2026, 10, 9),
        )
    with at(dt.date(2026, 10, 20)):
        case = services.case_record_hearing(
            actor=presiding,
            case=case,
            held_on=dt.date(2026, 10, 20),
            attended=True,
            record="当事人对监测数据提出异议。",
            report="异议不成立，建议维持告知的处罚。",
        )
    with at(HEARD):
        return services.case_reconsider(
            actor=people.officer,
            case=case,
            kinds=["fine"],
            fine=fine,
            confiscation=None,
            note="听证意见不成立，维持告知的处罚。",
        )
