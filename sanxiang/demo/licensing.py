"""Demo licensing (行政许可) of 哈尔滨: the bureau's licence types published as its 办事指南, and a year of applications
replayed through the licensing services on their dates — a 报告表 approved after the applicant supplied what the
window listed once, one refused with its reasons, a 危险废物经营许可 heard at the neighbours' request, one extended
by the head, a renewal the bureau did not decide before expiry (deemed granted, 《行政许可法》第五十条), an approval
revoked when its data proved false (its publication withdrawn), and today's window: one waiting to be accepted and
one nobody looked at in five working days, accepted by law on its day of receipt."""

from __future__ import annotations

import datetime as dt

from sanxiang.demo.reviews import _items
from sanxiang.licensing import services
from sanxiang.licensing.models import Application, Category, HearingRule, Licence, LicenceType
from sanxiang.powers.models import Power
from sanxiang.review import services as reviews
from sanxiang.review.models import Review, ReviewRule

EIA, LAW = "《中华人民共和国环境影响评价法》", "《中华人民共和国行政许可法》"
WASTE = "《中华人民共和国固体废物污染环境防治法》第八十条"
SAMPLE = "申请单位（盖章）：\n统一社会信用代码：\n项目名称：\n建设地点：\n联系人及电话：\n申请事项：\n申请日期：    年  月  日"

# code, power, name, category, basis, period, unit, citation, extendable, hearing, expert, site check, years, materials
TYPES = [
    (
        "HP-BGB",
        "XK-002",
        "建设项目环境影响报告表审批",
        Category.ORDINARY,
        f"{EIA}第二十二条",
        30,
        "calendar_days",
        f"{EIA}第二十二条（收到报告表之日起三十日内）",
        False,
        HearingRule.NONE,
        False,
        False,
        None,
        [
            ("M1", "建设项目环境影响报告表审批申请书", True),
            ("M2", "建设项目环境影响报告表（全本）", True),
            ("M3", "删除涉及国家秘密、商业秘密内容的说明", False),
        ],
    ),
    (
        "HP-BGS",
        "XK-002",
        "建设项目环境影响报告书审批",
        Category.ORDINARY,
        f"{EIA}第二十二条",
        60,
        "calendar_days",
        f"{EIA}第二十二条（收到报告书之日起六十日内）",
        False,
        HearingRule.PUBLIC_INTEREST,
        True,
        False,
        None,
        [
            ("M1", "建设项目环境影响报告书审批申请书", True),
            ("M2", "建设项目环境影响报告书（全本）", True),
            ("M3", "公众参与说明", True),
        ],
    ),
    (
        "WF-JY",
        "XK-003",
        "危险废物经营许可证核发",
        Category.ORDINARY,
        WASTE,
        20,
        "working_days",
        f"{LAW}第四十二条",
        True,
        HearingRule.INTERESTS,
        False,
        True,
        5,
        [
            ("M1", "危险废物经营许可证申请书", True),
            ("M2", "设施、设备、场所的证明材料", True),
            ("M3", "技术人员名单及培训证明", True),
            ("M4", "危险废物经营管理制度和事故应急预案", True),
        ],
    ),
]
REFUSAL = "项目选址位于松花江哈尔滨段饮用水水源二级保护区内，依法不得新建、改建、扩建排放污染物的建设项目"
FRAUD = "经查，报告表所附环境质量现状监测报告系伪造，监测单位从未到现场采样，被许可人以欺骗手段取得批复"


def _type(actor, agency, row) -> LicenceType:
    code, power, name, category, basis, days, unit, citation, extendable, hearing, expert, site, years, materials = row
    kind = services.licence_type_save(
        actor=actor,
        agency=agency,
        code=f"{agency.code}-{code}",
        name=name,
        power=Power.objects.get(agency=agency, code=f"{agency.code}-{power}"),
        category=category,
        basis=basis,
        decision_days=days,
        decision_unit=unit,
        decision_citation=citation,
        promised_days=None,
        extendable=extendable,
        hearing=hearing,
        expert_review=expert,
        site_check=site,
        validity_years=years,
        renewable=bool(years),
        window="哈尔滨市政务服务中心三楼生态环境窗口",
    )
    services.licence_type_materials(
        actor=actor,
        licence_type=kind,
        materials=[
            {"code": c, "name": n, "required": r, "sample": SAMPLE if c == "M1" else ""} for c, n, r in materials
        ],
    )
    return kind


class Desk:
    """One application's steps, each on its day in the story; the state it carries between them."""

    def __init__(self, story, staff, kind_code: str, party, project: str, **extra):
        self.story, self.staff, self.party, self.project, self.extra = story, staff, party, project, extra
        self.kind_code, self.application = kind_code, None

    def at(self, days_ago: int, step) -> Desk:
        self.story.add(self.story.day(days_ago), step)
        return self

    @property
    def app(self) -> Application:
        self.application.refresh_from_db()
        return self.application

    def submit(self, days_ago: int, officer: str, materials, channel="window") -> Desk:
        def step():
            kind = LicenceType.objects.get(code=self.kind_code)
            self.application = services.application_submit(
                actor=self.staff[officer] if channel == "window" else None,
                licence_type=kind,
                channel=channel,
                applicant_name=self.party.name,
                applicant_uscc=self.party.uscc,
                applicant_address=self.party.address,
                contact_name=self.party.legal_representative or "联系人",
                phone=f"0451-{84600000 + self.party.pk}",  # fictional, like the enterprises
                project=self.project,
                request=f"申请{kind.name}：{self.project}",
                materials=materials,
                **self.extra,
            )

        return self.at(days_ago, step)

    def review(self, submitted: int, agreed: int, opinion: str) -> Desk:
        """法制审核 of the decision (the 危险废物经营许可 is in 哈尔滨's catalogue): sent by the officer, agreed by the
        reviewer."""
        reviewer = self.staff["hrb.reviewer"]

        def agree():
            review = Review.objects.filter(application=self.app).latest("id")
            reviews.review_take(actor=reviewer, review=review)
            reviews.review_record_opinion(
                actor=reviewer, review=review, items=_items(), outcome="agree", opinion=opinion
            )

        self.do(submitted, reviews.review_submit_application, actor="hrb.officer2", affirmed=True)
        return self.at(agreed, agree)

    def do(self, days_ago: int, service, **kwargs) -> Desk:
        return self.at(
            days_ago, lambda: service(application=self.app, **{k: _who(self.staff, v) for k, v in kwargs.items()})
        )


def _who(staff, value):
    if isinstance(value, str) and value in staff:
        return staff[value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v in staff for v in value):
        return [staff[v] for v in value]
    return value


def applications(story, staff, parties) -> None:
    """The bureau's types (published by its administrator after the catalogue of powers) and its year of licensing."""
    admin, harbin = staff["hrb.admin"], staff["hrb.admin"].agency
    story.add(story.day(330), lambda: [_type(admin, harbin, row) for row in TYPES])
    story.add(story.day(329), lambda: review_line(admin, harbin))
    table, report, waste = (f"{harbin.code}-{code}" for code in ("HP-BGB", "HP-BGS", "WF-JY"))
    grant, serve, examine = services.application_grant, services.application_serve, services.application_examine
    pair = ["hrb.officer2", "hrb.officer4"]

    # 报告表, approved after the window listed the one missing material (一次告知, 第三十二条)
    (
        Desk(story, staff, table, parties["哈尔滨冰城汽车修配有限公司"], "喷烤漆房改扩建项目")
        .submit(150, "hrb.officer2", ["M1"])
        .do(
            149,
            services.application_request_supplement,
            actor="hrb.officer2",
            items=["M2"],
            note="报告表须附全本及签字页",
        )
        .do(145, services.application_supplement, actor="hrb.officer2", materials=["M2"])
        .do(145, services.application_accept, actor="hrb.officer2")
        .do(140, examine, actor="hrb.officer4", kind="materials", findings="报告表编制规范，污染防治措施可行，结论可信")
        .do(128, grant, actor="hrb.head", content="同意该项目按报告表所列性质、规模、地点和环境保护措施建设")
        .do(126, serve, actor="hrb.officer2", method="window")
    )
    # 报告表 refused, with its reasons and remedies (第三十八条)
    (
        Desk(story, staff, table, parties["哈尔滨市道外区永兴石材加工部"], "石材切割加工扩建项目")
        .submit(100, "hrb.officer4", ["M1", "M2"])
        .do(99, services.application_accept, actor="hrb.officer4")
        .do(95, examine, actor="hrb.officer2", kind="site", officers=pair, findings="项目位于饮用水水源二级保护区界内")
        .do(90, services.application_refuse, actor="hrb.head", reason=REFUSAL)
        .do(88, serve, actor="hrb.officer4", method="direct")
    )
    # 危险废物经营许可 heard at the neighbours' request (第四十七条): the hearing's days are not counted (第四十五条)
    (
        Desk(story, staff, waste, parties["哈尔滨兴达危废处置有限公司"], "废矿物油（HW08）综合利用项目")
        .submit(90, "hrb.officer2", ["M1", "M2", "M3", "M4"])
        .do(89, services.application_accept, actor="hrb.officer2")
        .do(
            84,
            examine,
            actor="hrb.officer2",
            kind="site",
            officers=pair,
            findings="贮存库防渗、导流和监控设施与申请材料一致",
        )
        .do(
            80,
            services.application_pause,
            actor="hrb.officer2",
            kind="hearing",
            expected_days=15,
            reason="项目紧邻新兴村，直接涉及申请人与周边村民之间的重大利益关系",
        )
        .do(77, services.application_request_hearing, actor="hrb.officer2")
        .do(
            66,
            services.application_resume,
            actor="hrb.officer2",
            held_on=story.day(66),
            result="听证会已举行，村民关注的运输路线和异味问题，申请人承诺调整运输路线并加装活性炭吸附装置",
        )
        .review(65, 62, "申请人具备经营条件，现场核查、听证程序合法，同意准予许可")
        .do(60, grant, actor="hrb.head", content="核准经营HW08废矿物油收集、贮存、利用，年经营规模5000吨")
        .do(58, serve, actor="hrb.officer4", method="direct")
    )
    # 危险废物经营许可 extended once by the head (第四十二条): nobody asked for a hearing within the five days
    (
        Desk(story, staff, waste, parties["哈尔滨松江热电有限责任公司"], "废脱硝催化剂（HW50）收集贮存项目")
        .submit(58, "hrb.officer4", ["M1", "M2", "M3", "M4"])
        .do(57, services.application_accept, actor="hrb.officer4")
        .do(
            55,
            services.application_pause,
            actor="hrb.officer4",
            kind="hearing",
            expected_days=5,
            reason="项目涉及厂区周边居民的利益，告知申请人和利害关系人享有要求听证的权利",
        )
        .do(46, services.application_resume, actor="hrb.officer4", result="告知之日起五日内无人申请听证")
        .do(
            44,
            examine,
            actor="hrb.officer4",
            kind="site",
            officers=pair,
            findings="贮存场所尚未完成防渗改造，已要求补充整改说明",
        )
        .do(
            30,
            services.application_extend,
            actor="hrb.head",
            reason="申请人正在完成贮存场所防渗改造，需复核整改情况，二十个工作日内不能作出决定",
        )
        .review(29, 26, "整改后的贮存场所符合要求，延长期限经负责人批准并告知申请人，同意准予许可")
        .do(24, grant, actor="hrb.head", content="核准收集、贮存废脱硝催化剂（HW50），年经营规模800吨")
        .do(22, serve, actor="hrb.officer4", method="mail")
    )
    _revoked(story, staff, parties)
    _renewal(story, staff, parties)
    # today's window: one waiting to be accepted, and one nobody decided on within five working days
    Desk(story, staff, report, parties["哈尔滨北方精细化工有限公司"], "年产2万吨水性涂料扩建项目").submit(
        1, "hrb.officer2", ["M1", "M2", "M3"]
    )
    Desk(story, staff, table, parties["哈尔滨市新阳建材有限公司"], "骨料生产线封闭改造项目").submit(
        9, "", ["M1", "M2"], channel="online"
    )
    story.add(story.today, lambda: services.applications_deem_accepted(on=story.today))


def review_line(admin, harbin) -> None:
    """哈尔滨's catalogue of major decisions names the 危险废物经营许可 (黑环发〔2019〕112号 三(三)2); the migrations
    test puts it in a database of its own (sanxiang.testing.migration_worker)."""
    reviews.review_rule_add(
        actor=admin,
        agency=harbin,
        kind=ReviewRule.Kind.LICENCE,
        value="",
        description="核发危险废物经营许可证",
        citation="哈尔滨市生态环境局重大执法决定法制审核目录清单第九项",
        power=Power.objects.get(agency=harbin, code=f"{harbin.code}-XK-003"),
    )


def _revoked(story, staff, parties) -> None:
    """An approval obtained by fraud (第六十九条第二款), revoked and its publication withdrawn with the reason."""
    desk = (
        Desk(
            story,
            staff,
            f"{staff['hrb.admin'].agency.code}-HP-BGB",
            parties["哈尔滨市呼兰区金鼎电镀厂"],
            "电镀生产线技术改造项目",
        )
        .submit(230, "hrb.officer2", ["M1", "M2"])
        .do(229, services.application_accept, actor="hrb.officer2")
        .do(210, services.application_grant, actor="hrb.head", content="同意该项目按报告表所列内容建设")
        .do(208, services.application_serve, actor="hrb.officer2", method="direct")
    )
    desk.at(
        40,
        lambda: services.licence_revoke(
            actor=staff["hrb.head"], licence=desk.app.granted_licence, ground="fraud", reason=FRAUD
        ),
    )


def _renewal(story, staff, parties) -> None:
    """A licence of 2021 registered when the bureau moved onto the platform; its renewal, applied for in time, is
    not decided before it expires and is deemed granted the next night (第五十条第二款)."""
    party, holder = parties["哈尔滨兴达危废处置有限公司"], {}
    expiry = story.day(6)
    granted = dt.date(expiry.year - 5, expiry.month, expiry.day) + dt.timedelta(days=1)

    def register():
        holder["licence"] = services.licence_register(
            actor=staff["hrb.admin"],
            licence_type=LicenceType.objects.get(code=f"{party.agency.code}-WF-JY"),
            number=f"HW23010{granted:%Y}0012",
            holder_name=party.name,
            holder_uscc=party.uscc,
            content="焚烧处置HW02、HW06、HW12类危险废物，年经营规模8000吨",
            decision_number=f"哈环许准〔{granted:%Y}〕12号",
            decided_on=granted,
            valid_from=granted,
            valid_to=expiry,
        )

    story.add(story.day(320), register)
    desk = Desk(
        story, staff, f"{party.agency.code}-WF-JY", party, "危险废物经营许可证延续", kind=Application.Kind.RENEWAL
    )
    desk.extra["licence"] = None
    story.add(story.day(50), lambda: desk.extra.update(licence=Licence.objects.get(pk=holder["licence"].pk)))
    desk.submit(50, "hrb.officer4", ["M1", "M2", "M3", "M4"]).do(49, services.application_accept, actor="hrb.officer4")
    story.add(
        expiry + dt.timedelta(days=1), lambda: services.applications_deem_renewed(on=expiry + dt.timedelta(days=1))
    )
