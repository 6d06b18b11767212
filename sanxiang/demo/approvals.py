"""Demo inspection approvals of 哈尔滨 (行政检查审批, 国办发〔2024〕54号), replayed through the services on their dates:
a general-tier enterprise inspected once on the permit item (its yearly cap) and again on a follow-up the head
approves past the cap with his reason; a key polluter the province and 哈尔滨 both plan to inspect within the window,
joined into one visit (综合查一次); and a request waiting for the head today. The draw's inspections and the
complaint-driven emergency inspection (demo/signatures.py) have their own approvals."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.agencies.models import Agency, User
from sanxiang.cases import services as cases
from sanxiang.cases.models import Party, Tier
from sanxiang.demo.story import Story
from sanxiang.inspections import approvals
from sanxiang.inspections.models import Approval, InspectionItem

CAP_REASON = "上次检查发现该企业污水处理设施运行记录缺失，已责令改正，本次为整改落实情况复查"


def _item(agency: Agency, code: str) -> InspectionItem:
    return InspectionItem.objects.get(agency=agency, code=f"{agency.code}-{code}")


def _visit(approval: Approval, officer: User, findings: str) -> None:
    """The approval's officers inspect on it for an hour, just before the story's moment of the day."""
    start = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    inspection = cases.inspection_start(
        actor=officer,
        agency=approval.agency,
        party=approval.party,
        place=approval.party.address,
        started_at=start,
        officers=approval.officers.all(),
        approval=approval,
    )
    cases.inspection_complete(
        actor=officer,
        inspection=inspection,
        ended_at=start + dt.timedelta(hours=1),
        findings=findings,
        violation_found=False,
        signature="signed",
    )


def _approved(staff, head: str, officers: list[str], party: Party, items, source: str, reason: str, days=(0, 0), **kw):
    today = timezone.localdate()
    request = approvals.approval_request(
        actor=staff[officers[0]],
        agency=staff[head].agency,
        party=party,
        items=items,
        officers=[staff[name] for name in officers],
        source=source,
        reason=reason,
        planned_from=today + dt.timedelta(days=days[0]),
        planned_to=today + dt.timedelta(days=days[1]),
    )
    return approvals.approval_approve(actor=staff[head], approval=request, note="同意", **kw)


def load_approvals(*, today: dt.date) -> int:
    """The demo approvals, unless 哈尔滨 has ones of its own besides the draw's and the emergency's; how many."""
    harbin, province = Agency.objects.get(code="230100"), Agency.objects.get(code="230000")
    if Approval.objects.filter(agency=harbin, source="follow_up").exists():
        return 0
    staff = {user.username: user for user in User.objects.filter(agency__code__in=("230000", "230100"))}
    # enterprises the draw did not reach, so the counts below are the story's own
    local = Party.objects.filter(agency=harbin, approvals__isnull=True).exclude(uscc="").order_by("pk")
    general = local.filter(tier=Tier.GENERAL).last()
    key = local.filter(tier=Tier.KEY).last()
    permit = _item(harbin, "SJ-002")  # a general-tier enterprise: once a year
    story, pair = Story(today), ["hrb.officer1", "hrb.officer2"]

    # both visits within this year, so the second passes the yearly cap: past visits, or early in the year planned
    past = today.timetuple().tm_yday >= 40
    visits = {"first": (30, 0), "again": (10, 0)} if past else {"first": (0, 5), "again": (0, 15)}

    def first():
        ahead = visits["first"][1]
        approval = _approved(
            staff, "hrb.head", pair, general, [permit], "routine", "年度日常监管检查", days=(ahead, ahead)
        )
        if past:
            _visit(
                approval, staff[pair[0]], "排污许可证载明事项执行情况基本正常，污水处理设施运行记录缺失，当场责令补记。"
            )

    def again():
        # a follow-up is limited by the caps (unlike a complaint): the second inspection this year passes the cap
        ahead = visits["again"][1]
        approval = _approved(
            staff,
            "hrb.head",
            pair,
            general,
            [permit],
            "follow_up",
            "整改落实情况复查",
            days=(ahead, ahead),
            cap_reason=CAP_REASON,
        )
        if past:
            _visit(approval, staff[pair[0]], "污水处理设施运行记录已补齐并按日记录，整改到位。")

    def joint():
        ours = _approved(
            staff,
            "hrb.head",
            ["hrb.officer3", "hrb.officer4"],
            key,
            [_item(harbin, "SJ-004")],
            "follow_up",
            "危险废物规范化环境管理评估",
            days=(8, 8),
        )
        theirs = _approved(
            staff,
            "hlj.head",
            ["hlj.officer", "hlj.officer2"],
            key,
            [_item(province, "SJ-001")],
            "routine",
            "重点排污单位年度执法检查",
            days=(9, 9),
        )
        approvals.approval_join(actor=staff["hrb.head"], approval=ours, other=theirs)

    def waiting():
        approvals.approval_request(
            actor=staff["hrb.officer1"],
            agency=harbin,
            party=local.filter(tier=Tier.GENERAL).first(),
            items=[_item(harbin, "SJ-001")],
            officers=[staff["hrb.officer1"], staff["hrb.officer2"]],
            source="routine",
            reason="年度日常监管检查",
            planned_from=today + dt.timedelta(days=1),
            planned_to=today + dt.timedelta(days=1),
        )

    story.add(story.day(visits["first"][0]) if past else today, first)
    story.add(story.day(visits["again"][0]) if past else today, again)
    story.add(story.day(2), joint)
    story.add(today, waiting)
    story.run()
    return Approval.objects.filter(agency__in=(harbin, province)).count()
