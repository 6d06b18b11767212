"""Demo 行政执法监督: the province's supervisor (hlj.supervisor, 法规处执法监督科) sends three city bureaus a notice
each, replayed through the services on their dates — 哈尔滨's 整改通知书 on late publications, returned once and then
accepted and closed; 齐齐哈尔's 监督意见书 on inspection feedback, answered and waiting for the supervisor; 大庆's
整改通知书, signed for and not answered by its due date (overdue). Each names what the desk flagged at the time,
when anything was."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.agencies.models import Agency, User
from sanxiang.demo.story import Story
from sanxiang.supervision import selectors, services
from sanxiang.supervision.models import Notice


def _records(supervisor, agency: Agency, kinds: tuple[str, ...]) -> list[tuple[str, int, str]]:
    today = timezone.localdate()
    flags = selectors.flags_for_agency(supervisor, agency, today=today, year=today.year)
    return [(flag.kind, flag.record_id, flag.label) for flag in flags if flag.kind in kinds][:3]


def load_supervision(*, today: dt.date) -> int:
    """The demo notices, unless there are some already; the number of notices."""
    if Notice.objects.exists():
        return 0
    staff = {user.username: user for user in User.objects.filter(username__in=STAFF)}
    if len(staff) < len(STAFF):
        return 0
    supervisor = staff["hlj.supervisor"]
    agencies = {agency.code: agency for agency in Agency.objects.filter(code__in=("230100", "230200", "230600"))}
    story, state = Story(today), {}

    def harbin_issue():
        state["harbin"] = services.notice_issue(
            actor=supervisor,
            agency=agencies["230100"],
            kind=Notice.Kind.RECTIFICATION,
            subject="行政处罚、行政许可决定公示不及时",
            findings="抽查本年度行政处罚、行政许可决定的公示情况，发现部分决定超过 7 个工作日才在门户网站公示，"
            "个别决定公示内容更正未说明理由。",
            requirement="一、对逾期未公示的决定立即公示；二、查明迟延原因，落实公示期限提醒；"
            "三、在整改期限内报送整改情况及佐证材料。",
            records=_records(supervisor, agencies["230100"], ("publication_late", "publication_corrected")),
        )

    def harbin_answer(first: bool):
        notice = state["harbin"]
        if first:
            services.notice_acknowledge(actor=staff["hrb.head"], notice=notice)
            services.notice_respond(actor=staff["hrb.head"], notice=notice, response="已对逾期决定全部补充公示。")
        else:
            services.notice_respond(
                actor=staff["hrb.head"],
                notice=notice,
                response="已对逾期决定全部补充公示；经查，迟延系公示管理员岗位空缺所致，已明确 A、B 岗，"
                "并在平台启用公示期限提醒，每周由办公室核对一次。",
                evidence_note="补充公示记录清单、岗位分工通知（哈环办〔2026〕12号），存办公室",
            )

    def harbin_return():
        services.notice_return(
            actor=supervisor, notice=state["harbin"], reason="未说明迟延原因和防止再次发生的措施，请补充。"
        )

    def harbin_close():
        services.notice_accept(actor=supervisor, notice=state["harbin"])
        services.notice_close(actor=supervisor, notice=state["harbin"], note="整改到位，纳入年度执法评议")

    def qiqihar_issue():
        state["qiqihar"] = services.notice_issue(
            actor=supervisor,
            agency=agencies["230200"],
            kind=Notice.Kind.OPINION,
            subject="涉企行政检查扫码评价反映的问题",
            findings="企业扫码评价和投诉反映个别检查未出示执法证件、检查时间过长。",
            requirement="对照国办发〔2024〕54号，规范检查亮证和时限，向企业做好说明，并报送处理情况。",
            records=_records(supervisor, agencies["230200"], ("complaint", "low_rating", "cap_override")),
        )

    def qiqihar_answer():
        notice = state["qiqihar"]
        services.notice_acknowledge(actor=staff["qqhr.head"], notice=notice)
        services.notice_respond(
            actor=staff["qqhr.head"],
            notice=notice,
            response="已组织执法人员专题学习，检查一律亮证并扫码登记，单次检查原则上不超过半天。",
        )

    def daqing_issue():
        state["daqing"] = services.notice_issue(
            actor=supervisor,
            agency=agencies["230600"],
            kind=Notice.Kind.RECTIFICATION,
            subject="行政许可申请超期未作出决定",
            findings="排污许可申请受理后超过法定期限未作出决定，也未经负责人批准延长。",
            requirement="立即依法作出决定并告知申请人；建立许可办理期限预警；报送整改情况。",
            due_on=story.later(story.day(30), 10),
            records=_records(supervisor, agencies["230600"], ("application_overdue",)),
        )

    def daqing_sign():
        services.notice_acknowledge(actor=staff["dq.head"], notice=state["daqing"])

    story.add(story.day(45), harbin_issue)
    story.add(story.day(42), lambda: harbin_answer(True))
    story.add(story.day(38), harbin_return)
    story.add(story.day(33), lambda: harbin_answer(False))
    story.add(story.day(30), harbin_close)
    story.add(story.day(30), daqing_issue)
    story.add(story.day(28), daqing_sign)
    story.add(story.day(12), qiqihar_issue)
    story.add(story.day(4), qiqihar_answer)
    story.run()
    return Notice.objects.count()


STAFF = ("hlj.supervisor", "hrb.head", "qqhr.head", "dq.head")
