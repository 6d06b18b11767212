"""The national defaults of every rule with legal force the software enforces, with citations.

Source: docs/domain.md (§1–§7). Confidence: C checked against the text, C2 through a secondary source, U
unconfirmed (kept as data precisely so that an agency can correct it). Loaded by migration core.0004.
"""

from decimal import Decimal

# Display periods of penalty information as credit information, counted from the decision date (domain.md §16).
CREDIT_RULE = "《信用修复管理办法》（国家发展改革委，2026年4月1日起施行）"

# key, value, unit, title, citation, confidence
DEFAULT_RULES = [
    ("officers.min", 2, "count", "执法人员不得少于两人", "《行政处罚法》第四十二条；《行政强制法》第十八条", "C"),
    (
        "filing.decide_days",
        15,
        "calendar_days",
        "发现线索后决定是否立案的期限",
        "《生态环境行政处罚办法》（部令第30号）第十八条",
        "C2",
    ),
    (
        "filing.extension_days",
        15,
        "calendar_days",
        "特殊情况经负责人批准可延长立案期限",
        "《生态环境行政处罚办法》第十八条",
        "C2",
    ),
    (
        "limitation.years",
        2,
        "years",
        "违法行为二年内未被发现的，不再给予行政处罚（届满日遇休息日不顺延）",
        "《行政处罚法》第三十六条",
        "C",
    ),
    (
        "limitation.serious_years",
        5,
        "years",
        "涉及公民生命健康安全、金融安全且有危害后果的，追责期限延长至五年（届满日遇休息日不顺延）",
        "《行政处罚法》第三十六条",
        "C",
    ),
    (
        "preservation.decide_workdays",
        7,
        "working_days",
        "先行登记保存后作出处理决定的期限",
        "《行政处罚法》第五十六条",
        "C",
    ),
    (
        "notice.statement_workdays",
        5,
        "working_days",
        "事先告知后当事人陈述、申辩的期限（与要求听证的期限分别计算，收到一次陈述申辩不终止该期限）",
        "《行政处罚法》第四十四条、第四十五条、第六十二条（期限参照听证申请期限，需按本地规定核实）",
        "U",
    ),
    (
        "hearing.request_workdays",
        5,
        "working_days",
        "告知后当事人要求听证的期限（自送达次日起算，不因陈述申辩或本地缩短陈述申辩期限而缩短）",
        "《行政处罚法》第六十四条第一项、第八十五条",
        "C",
    ),
    (
        "hearing.notice_workdays",
        7,
        "working_days",
        "“举行听证的七日前”通知当事人：通知送达次日起算满七个工作日，第七个工作日起可以举行听证",
        "《行政处罚法》第六十四条第二项、第八十五条（“七日前”的理解，需按本地规定核实）",
        "U",
    ),
    (
        "hearing.large_fine_organisation",
        200000,
        "yuan",
        "应告知听证权利的较大数额罚款（法人、其他组织）",
        "《生态环境行政处罚办法》第八十九条（“以上”含本数，地方规定优先）",
        "C2",
    ),
    (
        "hearing.large_fine_citizen",
        5000,
        "yuan",
        "应告知听证权利的较大数额罚款（公民）",
        "《环境行政处罚办法》（2010）第七十八条；2023年办法未确认，地方规定优先",
        "U",
    ),
    (
        "decision.days",
        90,
        "calendar_days",
        "自立案之日起作出处罚决定的期限；听证、公告、监测、鉴定、送达等时间不计入，"
        "按中止进行中的日历日计算（起止两日均计入，重叠之日只计一次）",
        "《行政处罚法》第六十条；《生态环境行政处罚办法》第五十七条（不计入期限的情形）",
        "C",
    ),
    (
        "decision.extension_days",
        30,
        "calendar_days",
        "案情复杂经负责人批准可延长",
        "《生态环境行政处罚办法》第五十七条",
        "C2",
    ),
    (
        "decision.collective_extension_days",
        30,
        "calendar_days",
        "特别复杂经集体讨论决定可再延长，最长",
        "《生态环境行政处罚办法》第五十七条",
        "C2",
    ),
    ("service.workdays", 7, "working_days", "当事人不在场时送达决定书的期限", "《行政处罚法》第六十一条", "C"),
    (
        "service.public_notice_days",
        30,
        "calendar_days",
        "公告送达的，自发出公告之日起经过的日数，期满视为送达（缴纳、复议、诉讼期限自视为送达之日起算）",
        "《民事诉讼法》第九十五条；《行政处罚法》第六十一条（依照民事诉讼法的有关规定送达）",
        "C2",
    ),
    ("payment.days", 15, "calendar_days", "自收到处罚决定书之日起缴纳罚款的期限", "《行政处罚法》第六十七条", "C"),
    (
        "late_fee.percent_per_day",
        3,
        "percent",
        "逾期不缴纳罚款每日加处罚款比例（总额不超过罚款数额）",
        "《行政处罚法》第七十二条",
        "C",
    ),
    ("reconsideration.days", 60, "calendar_days", "申请行政复议的期限", "《行政复议法》（2023）第二十条", "C"),
    ("litigation.months", 6, "months", "提起行政诉讼的期限", "《行政诉讼法》第四十六条", "C"),
    (
        "court_application.months",
        3,
        "months",
        "复议、诉讼期限届满后申请法院强制执行的期限",
        "《行政强制法》第五十三条",
        "C",
    ),
    (
        "court_application.after_notice_workdays",
        10,
        "working_days",
        "催告书送达后方可申请法院强制执行",
        "《行政强制法》第五十四条",
        "C",
    ),
    ("simple.citizen_max_fine", 200, "yuan", "简易程序当场处罚：公民罚款上限", "《行政处罚法》第五十一条", "C"),
    (
        "simple.organisation_max_fine",
        3000,
        "yuan",
        "简易程序当场处罚：法人或其他组织罚款上限",
        "《行政处罚法》第五十一条",
        "C",
    ),
    (
        "onsite.filing_workdays",
        3,
        "working_days",
        "执法人员当场作出的行政处罚决定报所属机关备案的期限（自决定之日起；“三日”按工作日计）",
        "《生态环境行政处罚办法》第六十八条第三款；《行政处罚法》第五十二条、第八十五条",
        "C2",
    ),
    ("seizure.max_days", 30, "calendar_days", "查封、扣押的期限", "《行政强制法》第二十五条；部令第29号第十五条", "C"),
    ("seizure.extension_days", 30, "calendar_days", "情况复杂经负责人批准可延长一次", "《行政强制法》第二十五条", "C"),
    (
        "seizure.emergency_report_hours",
        24,
        "hours",
        "情况紧急当场实施后向负责人报告并补办批准手续",
        "《行政强制法》第十九条",
        "C",
    ),
    (
        "daily_penalty.reinspection_days",
        30,
        "calendar_days",
        "送达责令改正决定书后复查的期限",
        "《环境保护主管部门实施按日连续处罚办法》第十条",
        "C",
    ),
    (
        "production_limit.max_months",
        3,
        "months",
        "限制生产一般不超过三个月",
        "《实施限制生产、停产整治办法》第十五条",
        "C",
    ),
    (
        "production_limit.extension_months",
        3,
        "months",
        "情况复杂经批准可延长，最长",
        "《实施限制生产、停产整治办法》第十五条",
        "C",
    ),
    (
        "review.workdays",
        5,
        "working_days",
        "法制审核的期限（自送审之日起）",
        "黑环发〔2019〕112号 三(三)4（各地自定时限；默认五个工作日，需按本地规定核实）",
        "U",
    ),
    (
        "review.extension_workdays",
        5,
        "working_days",
        "案情复杂的，经负责人批准可延长审核期限一次",
        "黑环发〔2019〕112号 三(三)4（本地规定）",
        "U",
    ),
    (
        "publication.penalty_workdays",
        7,
        "working_days",
        "行政处罚决定作出之日起公开的期限",
        "黑环发〔2019〕112号 三(一)3",
        "C",
    ),
    (
        "publication.other_workdays",
        20,
        "working_days",
        "其他行政执法决定公开的期限",
        "黑环发〔2019〕112号 三(一)3",
        "C",
    ),
    (
        "publication.withdraw_days",
        3,
        "working_days",
        "决定被变更、撤销、确认违法或无效后撤回公开信息的期限",
        "《行政处罚法》第四十八条、第八十五条（“三日”指工作日）",
        "C",
    ),
    (
        "publication.licence_workdays",
        7,
        "working_days",
        "行政许可决定作出之日起公开的期限",
        "黑环发〔2019〕112号 三(一)3",
        "C",
    ),
    (
        "publication.minor_max_months",
        3,
        "months",
        "轻微失信行为的处罚信息原则上不公示，确需公示的最长期限（届满日遇休息日不顺延）",
        CREDIT_RULE,
        "C2",
    ),
    (
        "credit.simple_procedure_minor",
        1,
        "reading",
        "适用简易程序作出的行政处罚信息属于轻微失信信息（1），与警告、通报批评同类；0 则按处罚种类判断",
        CREDIT_RULE + "关于轻微失信信息的范围（适用简易程序作出的行政处罚，警告、通报批评）",
        "C2",
    ),
    (
        "publication.general_min_months",
        3,
        "months",
        "一般失信行为处罚信息的最短公示期限（期满后可申请信用修复）（届满日遇休息日不顺延）",
        CREDIT_RULE,
        "C2",
    ),
    (
        "publication.general_max_months",
        12,
        "months",
        "一般失信行为处罚信息的最长公示期限（期满自动停止公示）（届满日遇休息日不顺延）",
        CREDIT_RULE,
        "C2",
    ),
    (
        "publication.serious_min_months",
        12,
        "months",
        "严重失信行为处罚信息的最短公示期限（期满后可申请信用修复）（届满日遇休息日不顺延）",
        CREDIT_RULE,
        "C2",
    ),
    (
        "publication.serious_max_months",
        36,
        "months",
        "严重失信行为处罚信息的最长公示期限（期满自动停止公示）（届满日遇休息日不顺延）",
        CREDIT_RULE,
        "C2",
    ),
    (
        "party.individual_business_as_citizen",
        1,
        "reading",
        "个体工商户在简易程序罚款限额、听证“较大数额”和法制审核金额标准中按公民（自然人）对待（1），"
        "或按法人、其他组织对待（0）；默认按公民，适用对当事人更有利的较低标准",
        "《民法典》第五十四条（自然人从事工商业经营，经依法登记，为个体工商户）；《行政处罚法》第五十一条、第六十三条",
        "U",
    ),
    (
        "publication.other_months",
        12,
        "months",
        "行政强制、责令改正、限产停产等其他执法决定的公示期限（届满日遇休息日不顺延）",
        "无全国统一规定，参照一般失信信息最长期限，需按本地规定核实",
        "U",
    ),
    (
        "inspections.results_publish_workdays",
        20,
        "working_days",
        "“双随机”抽查结果自检查完成之日起向社会公示的期限",
        "国办发〔2019〕5号及各地“双随机、一公开”抽查工作细则（抽查检查结果自形成之日起20个工作日内公示，"
        "参照《企业信息公示暂行条例》第六条、第七条），需按本地细则核实",
        "C2",
    ),
    (
        "inspections.emergency_ratify_workdays",
        1,
        "working_days",
        "紧急情况下先行实施的行政检查，自检查开始之日起补办审批手续的期限",
        "国办发〔2024〕54号（紧急情况可先行检查，事后补办审批）；司法部“行政检查文书基本格式文本（试行）”；"
        "补办期限无全国统一规定，需按本地规定核实",
        "U",
    ),
    (
        "inspections.joint_window_days",
        30,
        "calendar_days",
        "同一企业在此天数内被两个以上机关安排检查的，提示合并为“综合查一次”",
        "国办发〔2024〕54号（能合并的检查合并进行，综合查一次）；窗口天数为本平台读法，可按本地规定调整",
        "U",
    ),
    (
        "licensing.accept_workdays",
        5,
        "working_days",
        "收到行政许可申请材料后决定是否受理、一次告知补正的期限（逾期不告知的，自收到申请材料之日起即为受理）",
        "《中华人民共和国行政许可法》第三十二条第一款第四项、第八十二条",
        "C",
    ),
    (
        "licensing.decision_workdays",
        20,
        "working_days",
        "受理行政许可申请后作出决定的一般期限（法律、法规另有规定的，依照其规定，存于各许可事项）",
        "《中华人民共和国行政许可法》第四十二条第一款、第八十二条",
        "C",
    ),
    (
        "licensing.extension_workdays",
        10,
        "working_days",
        "二十日内不能作出决定的，经本机关负责人批准可延长的期限（一次，并将理由告知申请人）",
        "《中华人民共和国行政许可法》第四十二条第一款",
        "C",
    ),
    (
        "licensing.service_workdays",
        10,
        "working_days",
        "作出准予行政许可决定后颁发、送达许可证件的期限（本平台对不予许可决定书同样适用）",
        "《中华人民共和国行政许可法》第四十四条；不予许可决定书的送达期限为本平台读法",
        "C2",
    ),
    (
        "licensing.hearing_request_workdays",
        5,
        "working_days",
        "申请人、利害关系人在被告知听证权利之日起提出听证申请的期限（按第八十二条以工作日计）",
        "《中华人民共和国行政许可法》第四十七条第一款；以工作日计算为本平台对第八十二条的读法，需按本地规定核实",
        "U",
    ),
    (
        "licensing.hearing_within_workdays",
        20,
        "working_days",
        "收到听证申请后组织听证的期限（按第八十二条以工作日计）",
        "《中华人民共和国行政许可法》第四十七条第一款；以工作日计算为本平台对第八十二条的读法，需按本地规定核实",
        "U",
    ),
    (
        "reports.due_days",
        31,
        "calendar_days",
        "行政执法统计年报：于次年1月31日前公开上年度行政执法总体情况数据并抄报省厅（自年度最后一日起算，遇休息日不顺延）",
        "黑环发〔2019〕112号 三(一)3(4)；国办发〔2018〕118号",
        "C",
    ),
    (
        "monitoring.clock_skew_minutes",
        10,
        "minutes",
        "在线监控：现场机发送报文的时间（QN）与接收时间相差超过此分钟数的，报文标记为设备时钟偏差，其数据不作为认定超标的依据"
        "（本平台对“记录真实、准确”的解读，标准未规定容差；上位机可按 CN=1012 校时）",
        "《行政处罚法》第四十一条第二款；HJ 212-2017（CN=1011/1012 现场机时间的提取与设置）",
        "U",
    ),
    (
        "monitoring.hour_valid_minutes",
        45,
        "count",
        "在线监控：小时均值须有不少于此数的有效分钟数据，否则该小时不计算均值、不认定超标",
        "HJ 75-2017《固定污染源烟气（SO2、NOx、颗粒物）排放连续监测技术规范》数据审核与处理（待核实具体条款）",
        "U",
    ),
    (
        "monitoring.day_valid_hours",
        20,
        "count",
        "在线监控：日均值须有不少于此数的有效小时均值，否则该日不计算均值、不认定超标",
        "HJ 75-2017 数据审核与处理；GB 3095-2012 表4（每日至少20个小时平均浓度值）（待核实具体条款）",
        "U",
    ),
    (
        "licensing.renewal_days_before",
        30,
        "calendar_days",
        "被许可人申请延续应当在有效期届满前提出的天数（逾期未决定的，视为准予延续）",
        "《中华人民共和国行政许可法》第五十条（法律、法规、规章另有规定的，依照其规定，存于各许可事项）",
        "C",
    ),
    (
        "agencies.training_hours_per_year",
        60,
        "hours",
        "行政执法人员每人每年应当参加的业务知识和法律法规培训学时（延期换证时核查上一年度）",
        "国办发〔2023〕27号《提升行政执法质量三年行动计划（2023—2025年）》（每人每年不少于60学时）；"
        "黑环发〔2019〕112号 四(三)（加强行政执法人员资格管理，健全各类培训制度）；学时数需按本省规定核实",
        "U",
    ),
    (
        "supervision.rectification_workdays",
        20,
        "working_days",
        "行政执法监督意见书、整改通知书未另定期限时，被监督机关报送整改情况的默认期限（自下达之日起算）",
        "《行政执法监督条例》（国务院令第825号，2026年2月1日起施行）第六条（司法行政部门负责行政执法监督）；"
        "整改期限的天数未见条文规定，为本平台默认值，需按本地规定核实",
        "U",
    ),
]


# The range the law leaves an agency (key: floor, ceiling). A floor protects the party: a period owed to the party
# (to request a hearing, to be told of it, to pay, to appeal) can be lengthened locally, never shortened. A ceiling
# binds the agency: a limit it must keep (a seizure's length, a decision's period) can be tightened, never raised.
BOUNDS = {
    "party.individual_business_as_citizen": (0, 1),
    "credit.simple_procedure_minor": (0, 1),
    "officers.min": (2, None),
    "hearing.request_workdays": (5, None),
    "hearing.notice_workdays": (7, None),
    "payment.days": (15, None),
    "reconsideration.days": (60, None),
    "litigation.months": (6, None),
    "filing.decide_days": (None, 15),
    "filing.extension_days": (None, 15),
    "preservation.decide_workdays": (None, 7),
    "decision.days": (None, 90),
    "decision.extension_days": (None, 30),
    "decision.collective_extension_days": (None, 30),
    "service.workdays": (None, 7),
    "service.public_notice_days": (30, None),
    "late_fee.percent_per_day": (None, 3),
    "simple.citizen_max_fine": (None, 200),
    "simple.organisation_max_fine": (None, 3000),
    "onsite.filing_workdays": (None, 3),
    "seizure.max_days": (None, 30),
    "seizure.extension_days": (None, 30),
    "seizure.emergency_report_hours": (None, 24),
    "production_limit.max_months": (None, 3),
    "publication.penalty_workdays": (None, 7),
    "publication.licence_workdays": (None, 7),
    "publication.other_workdays": (None, 20),
    "publication.withdraw_days": (None, 3),
    "licensing.accept_workdays": (None, 5),
    "licensing.decision_workdays": (None, 20),
    "licensing.extension_workdays": (None, 10),
    "licensing.service_workdays": (None, 10),
    "licensing.hearing_request_workdays": (5, None),
    "licensing.hearing_within_workdays": (None, 20),
}


# Clocks whose last day stays where the count ends even on a rest day (docs/domain.md §17, the reading of each in
# its title): the limitation period bars the agency, not the party, and is not lengthened against the party; the
# portal's display periods run out by themselves on any day (信用修复管理办法: publication stops automatically).
KEPT_ON_REST_DAY = {
    "limitation.years",
    "limitation.serious_years",
    "publication.minor_max_months",
    "publication.general_min_months",
    "publication.general_max_months",
    "publication.serious_min_months",
    "publication.serious_max_months",
    "publication.other_months",
    "reports.due_days",
}


def seed_rules(rule_model) -> None:
    """Add the national rules a database does not have yet, with their ranges (a migration calls this when rules
    are added); rules already there, and local rows, stay as they are."""
    for row in as_rows():
        rule_model.objects.get_or_create(key=row["key"], agency_code="", defaults=row)
    for key, (floor, ceiling) in BOUNDS.items():
        rule_model.objects.filter(key=key, agency_code="").update(
            floor=None if floor is None else Decimal(floor), ceiling=None if ceiling is None else Decimal(ceiling)
        )


def mark_rest_day_readings(rule_model) -> None:
    """Mark the national rows of the clocks that end on their own last day even when it is a rest day."""
    rule_model.objects.filter(key__in=KEPT_ON_REST_DAY, agency_code="").update(moves_off_rest_day=False)


def refresh_texts(rule_model, keys) -> None:
    """Bring the title, citation and confidence of national rows up to date (a migration calls this when a
    reading is stated more precisely); values and local rows stay as they are."""
    for key, _value, _unit, title, citation, confidence in DEFAULT_RULES:
        if key in keys:
            rule_model.objects.filter(key=key, agency_code="").update(
                title=title, citation=citation, confidence=confidence
            )


def as_rows():
    for key, value, unit, title, citation, confidence in DEFAULT_RULES:
        yield {
            "key": key,
            "agency_code": "",
            "value": Decimal(value),
            "unit": unit,
            "title": title,
            "citation": citation,
            "confidence": confidence,
        }
