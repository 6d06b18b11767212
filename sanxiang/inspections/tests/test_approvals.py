"""行政检查审批 (国办发〔2024〕54号): no ordinary inspection without a head's approval and notice, an emergency one
approved afterwards, yearly caps that need a head's reason to pass, 综合查一次 across agencies."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.agencies.models import Role
from sanxiang.cases import services as cases
from sanxiang.cases.models import Inspection, Tier
from sanxiang.core.calendar import earlier_today, work_calendar
from sanxiang.documents.models import Document
from sanxiang.inspections import approvals, draw_results, emergencies, task_services
from sanxiang.inspections.approval_selectors import joint_candidates, overrides_for, supervision_view
from sanxiang.inspections.models import Approval, PartyTally
from sanxiang.ledger.models import Entry
from sanxiang.testing.approvals import EMERGENCY, approved
from sanxiang.testing.cases import at, make_party
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.factories import make_certificate, make_staff


@pytest.fixture
def item(world):
    # a general-tier enterprise may be inspected once a year on this item
    return make_item(make_power(world.harbin), frequencies={Tier.GENERAL: ("10", 1)})


@pytest.fixture
def party(world):
    return make_party(world.harbin, tier=Tier.GENERAL)


def _data(action: str) -> dict:
    return json.loads(bytes(Entry.objects.filter(action=action).latest("index").body))["data"]


def _pair(world):
    return [world.people.officer, world.people.partner]


def _request(world, party=None, items=(), **overrides):
    today = timezone.localdate()
    values = {
        "actor": world.people.officer,
        "agency": world.harbin,
        "party": party,
        "items": items,
        "officers": _pair(world),
        "source": "follow_up",
        "reason": "整改情况复查",
        "planned_from": today,
        "planned_to": today,
    }
    return approvals.approval_request(**(values | overrides))


def _start(world, party, **extra):
    values = {"started_at": earlier_today(dt.timedelta(minutes=5)), "officers": _pair(world)}
    return cases.inspection_start(
        actor=world.people.officer, agency=world.harbin, party=party, place="厂区", **(values | extra)
    )


def test_an_ordinary_inspection_without_approval_is_refused_and_writes_nothing(world, party):
    entries = Entry.objects.count()
    with pytest.raises(ValidationError, match="须先经负责人审批"):
        _start(world, party)
    assert not Inspection.objects.exists() and not Approval.objects.exists()
    assert Entry.objects.count() == entries


def test_approved_inspection_issues_form_and_notice_with_its_code_and_begins_on_it(world, party, item):
    approval = _request(world, party, [item])
    assert approval.status == Approval.Status.REQUESTED and approval.code is None
    with pytest.raises(PermissionDenied):
        approvals.approval_approve(actor=world.people.officer, approval=approval)
    approval = approvals.approval_approve(actor=world.people.head, approval=approval, note="同意")
    assert approval.status == Approval.Status.APPROVED and len(approval.code) >= 16
    kinds = set(Document.objects.filter(subject_id=str(approval.pk)).values_list("doc_type", flat=True))
    assert kinds == {"inspection_approval", "inspection_notice"}
    inspection = _start(world, party, approval=approval)
    approval.refresh_from_db()
    assert approval.status == Approval.Status.INSPECTED and approval.inspection == inspection
    assert _data("inspection.start")["approval"] == approval.pk


def test_an_approval_is_used_only_by_its_officers_within_its_period_and_once(world, party, item):
    approval = approved(head=world.people.head, officers=_pair(world), party=party, items=[item])
    third = make_staff(agency=world.harbin, roles=[Role.OFFICER], full_name="王三")
    make_certificate(holder=third)
    other = make_party(world.harbin)
    entries = Entry.objects.count()
    with pytest.raises(ValidationError, match="审批表所列人员"):
        cases.inspection_start(
            actor=world.people.officer,
            agency=world.harbin,
            party=party,
            place="厂区",
            started_at=earlier_today(dt.timedelta(minutes=5)),
            officers=[world.people.officer, third],
            approval=approval,
        )
    with pytest.raises(ValidationError, match="不在审批的检查期间"):
        _start(
            world,
            party,
            approval=approval,
            started_at=timezone.now() - dt.timedelta(days=3),
            late_reason="现场无网络，返回后补录",
        )
    with pytest.raises(ValidationError, match="不是本机关对该检查对象的审批"):
        _start(world, other, approval=approval)
    with pytest.raises(ValidationError, match="不是紧急检查"):
        _start(world, party, approval=approval, **EMERGENCY)
    assert not Inspection.objects.exists() and Entry.objects.count() == entries
    _start(world, party, approval=approval)
    with pytest.raises(ValidationError, match="已检查"):
        _start(world, party, approval=approval)


def test_a_cap_exceeded_needs_the_heads_reason_and_shows_on_the_supervision_view(world, party, item):
    approved(head=world.people.head, officers=_pair(world), party=party, items=[item])
    second = _request(world, party, [item])
    assert second.exceeds_cap and second.over_cap[0]["cap"] == 1 and second.over_cap[0]["count"] == 1
    entries = Entry.objects.count()
    with pytest.raises(ValidationError, match="超出年度检查频次上限"):
        approvals.approval_approve(actor=world.people.head, approval=second)
    second.refresh_from_db()
    assert second.status == Approval.Status.REQUESTED and second.code is None
    assert Entry.objects.count() == entries
    reason = "上次检查责令改正，需现场复查整改落实情况"
    second = approvals.approval_approve(actor=world.people.head, approval=second, cap_reason=reason)
    entry = _data("inspection_approval.approve")
    assert entry["cap_reason"] == reason and entry["over_cap"] == [item.code]
    tally = PartyTally.objects.get(party=party, year=second.year)
    assert (tally.total, tally.over_cap, tally.agencies) == (2, 1, {"230100": 2})
    supervisor = make_staff(agency=world.province, roles=[Role.SUPERVISOR], username="supervisor")
    assert [row.party for row in supervisor_view_rows(supervisor, second.year)] == [party]
    assert list(overrides_for(supervisor, year=second.year)) == [second]


def supervisor_view_rows(user, year):
    return list(supervision_view(user, year=year, over_cap_only=True))


def _complaint_task(world, party):
    return task_services.task_create(
        actor=world.people.head, agency=world.harbin, party=party, source="complaint", description="群众举报夜间异味"
    )


def test_a_complaint_rests_on_its_task_is_not_limited_by_the_caps_but_is_counted(world, party, item):
    approved(head=world.people.head, officers=_pair(world), party=party, items=[item])
    entries = Entry.objects.count()
    with pytest.raises(ValidationError, match="须关联本机关对该企业的同一来源的检查任务"):
        _request(world, party, [item], source="complaint", reason="群众举报夜间异味")
    assert Entry.objects.count() == entries
    complaint = _request(
        world, party, [item], source="complaint", reason="群众举报夜间异味", task=_complaint_task(world, party)
    )
    # the cap it passes is shown to the head, but asks no reason
    assert complaint.over_cap[0]["count"] == 1 and not complaint.exceeds_cap
    with pytest.raises(ValidationError, match="无须填写超频次理由"):
        approvals.approval_approve(actor=world.people.head, approval=complaint, cap_reason="复查")
    approvals.approval_approve(actor=world.people.head, approval=complaint)
    assert "投诉举报" in _data("inspection_approval.approve")["cap_exempt"]
    tally = PartyTally.objects.get(party=party)
    assert (tally.total, tally.over_cap) == (2, 0)


def test_an_unused_approval_is_withdrawn_and_leaves_the_count(world, party, item):
    approval = approved(head=world.people.head, officers=_pair(world), party=party, items=[item])
    assert PartyTally.objects.get(party=party).total == 1
    with pytest.raises(PermissionDenied):
        approvals.approval_withdraw(actor=world.people.partner, approval=approval, reason="企业已停产")
    approvals.approval_withdraw(actor=world.people.officer, approval=approval, reason="企业已停产，检查不再需要")
    assert PartyTally.objects.get(party=party).total == 0 and PartyTally.objects.get(party=party).agencies == {}
    # the cap is free again
    assert not _request(world, party, [item]).exceeds_cap


def test_an_emergency_inspection_is_registered_at_once_and_approved_afterwards(world, party, item):
    with pytest.raises(ValidationError, match="说明紧急情况"):
        _start(world, party, emergency_ground="incident", emergency_note="")
    inspection = _start(world, party, **EMERGENCY)
    approval = inspection.approval
    assert approval.status == Approval.Status.AWAITING and approval.code
    day = timezone.localtime(inspection.started_at).date()
    assert approval.ratify_due_on == work_calendar().add_working_days(day, 1).date
    with pytest.raises(ValidationError, match="检查事项"):
        emergencies.approval_ratify(actor=world.people.head, approval=approval, items=[])
    with pytest.raises(PermissionDenied):
        emergencies.approval_ratify(actor=world.people.officer, approval=approval, items=[item])
    approval = emergencies.approval_ratify(actor=world.people.head, approval=approval, items=[item])
    assert approval.status == Approval.Status.RATIFIED
    assert _data("inspection_approval.ratify")["late"] is False
    assert PartyTally.objects.get(party=party).total == 1


def test_an_emergency_not_approved_afterwards_stays_recorded_and_flagged(world, party):
    approval = _start(world, party, **EMERGENCY).approval
    with pytest.raises(ValidationError, match="理由"):
        emergencies.approval_unratify(actor=world.people.head, approval=approval, note="")
    approval = emergencies.approval_unratify(actor=world.people.head, approval=approval, note="不属于紧急情况")
    supervisor = make_staff(agency=world.province, roles=[Role.SUPERVISOR])
    assert approval.status == Approval.Status.UNRATIFIED and list(overrides_for(supervisor, year=approval.year)) == [
        approval
    ]


def test_a_request_is_refused_with_its_reason_and_only_by_a_head_of_the_agency_or_above(world, party, item):
    approval = _request(world, party, [item])
    branch_head = make_staff(agency=world.daoli, roles=[Role.HEAD])
    with pytest.raises(PermissionDenied, match="本机关或上级机关负责人"):
        approvals.approval_approve(actor=branch_head, approval=approval)
    approval = approvals.approval_refuse(actor=world.people.head, approval=approval, note="近期已检查，无须重复检查")
    assert approval.status == Approval.Status.REFUSED and approval.code is None
    with pytest.raises(ValidationError, match="不能开始现场检查"):
        _start(world, party, approval=approval)


def test_a_head_does_not_approve_an_inspection_he_asked_for_or_takes_part_in(world, party, item):
    asked = _request(world, party, [item], actor=world.people.head)
    with pytest.raises(PermissionDenied, match="不得审批本人"):
        approvals.approval_approve(actor=world.people.head, approval=asked)
    leader = make_staff(agency=world.harbin, roles=[Role.OFFICER, Role.HEAD], full_name="带队局长")
    make_certificate(holder=leader)
    along = _request(world, party, [item], officers=[leader, world.people.officer])
    with pytest.raises(PermissionDenied, match="不得审批本人"):
        approvals.approval_approve(actor=leader, approval=along)
    assert approvals.approval_approve(actor=world.people.head, approval=along).status == Approval.Status.APPROVED


def test_an_inspection_does_not_begin_before_the_day_it_was_approved(world, party, item):
    day = timezone.localdate() + dt.timedelta(days=1)
    request = _request(world, party, [item], planned_to=day + dt.timedelta(days=1))
    with at(day, hour=15):
        approval = approvals.approval_approve(actor=world.people.head, approval=request)
    with at(day + dt.timedelta(days=1), hour=10), pytest.raises(ValidationError, match="早于负责人批准之日"):
        # the visit of the day before, recorded now: it went ahead before the head approved it
        _start(
            world,
            party,
            approval=approval,
            started_at=timezone.now() - dt.timedelta(days=2, hours=2),
            late_reason="返回后补录",
        )
    with pytest.raises(ValidationError, match="不能早于今天"):
        _request(world, party, [item], planned_from=timezone.localdate() - dt.timedelta(days=1))


def test_a_recused_officer_inspects_neither_on_an_emergency_nor_on_a_task(world, party):
    draw_results.recusal_declare(actor=world.people.partner, party=party, reason="其配偶在该企业任职")
    with pytest.raises(ValidationError, match="已登记对该企业回避"):
        _start(world, party, **EMERGENCY)
    task = _complaint_task(world, party)
    with pytest.raises(ValidationError, match="已登记对该企业回避"):
        task_services.task_dispatch(
            actor=world.people.head, task=task, officers=_pair(world), due_on=timezone.localdate()
        )
    assert not Inspection.objects.exists()


def test_bad_requests_are_refused_without_a_trace(world, party, item):
    not_yet_published = make_item(make_power(world.harbin), published_on=timezone.localdate() + dt.timedelta(days=9))
    foreign_item, foreign_party = make_item(make_power(world.qiqihar)), make_party(world.qiqihar)
    entries = Entry.objects.count()
    for overrides, message in (
        ({"items": []}, "至少选择一项"),
        ({"items": [not_yet_published]}, "已公布且现行"),
        ({"items": [foreign_item]}, "已公布且现行"),
        ({"reason": "复查\u202e"}, "控制字符"),
        ({"source": "emergency"}, "紧急情况请直接开始检查"),
        ({"planned_to": timezone.localdate() - dt.timedelta(days=1)}, "结束日期"),
        ({"officers": [world.people.officer]}, "不得少于"),
        ({"party": foreign_party}, "监管对象名录"),
    ):
        with pytest.raises(ValidationError, match=message):
            _request(world, **({"party": party, "items": [item]} | overrides))
    assert not Approval.objects.exists() and Entry.objects.count() == entries
    with pytest.raises(PermissionDenied):
        _request(world, party, [item], actor=world.people.clerk)
    draw_results.recusal_declare(actor=world.people.partner, party=party, reason="其配偶在该企业任职")
    with pytest.raises(ValidationError, match="张丽华 已登记对该企业回避"):
        _request(world, party, [item])
    assert not Approval.objects.exists()


def test_agencies_inspecting_one_enterprise_in_the_window_join_one_visit(world, party, item):
    ours = approved(head=world.people.head, officers=_pair(world), party=party, items=[item])
    province_pair = [make_staff(agency=world.province, roles=[Role.OFFICER]) for _ in range(2)]
    for officer in province_pair:
        make_certificate(holder=officer)
    province_head = make_staff(agency=world.province, roles=[Role.HEAD])

    def theirs(days: int):
        return approved(
            head=province_head,
            officers=province_pair,
            party=party,
            agency=world.province,
            on=timezone.localdate() + dt.timedelta(days=days),
        )

    near, far, refused = theirs(10), theirs(50), _request(world, party, [item])
    approvals.approval_refuse(actor=world.people.head, approval=refused, note="重复申请")
    assert list(joint_candidates(ours)) == [near]
    with pytest.raises(ValidationError, match="合并窗口内"):
        approvals.approval_join(actor=world.people.head, approval=ours, other=far)
    with pytest.raises(PermissionDenied):
        approvals.approval_join(actor=world.people.officer, approval=ours, other=near)
    version = near.version
    joined = approvals.approval_join(actor=world.people.head, approval=ours, other=near)
    near.refresh_from_db()
    assert joined.joint_id == near.joint_id and joined.joint.lead == world.province
    # the other agency's approval changed too: its version and its own entry, in its own agency
    assert near.version == version + 1
    entry = Entry.objects.filter(action="inspection_approval.joined").get()
    assert entry.agency_code == "230000" and entry.subject_id == str(near.pk)
    with pytest.raises(ValidationError, match="已纳入"):
        approvals.approval_join(actor=world.people.head, approval=joined, other=near)
