"""The default catalogue of major decisions that need legal review (法制审核目录清单), seeded for the province by
review migration 0003: Heilongjiang defaults suggested in docs/domain.md §5 [U], to be replaced by each city
bureau's published catalogue through the services."""

REVIEW_AGENCY = "230000"
REVIEW_CITATION = "《行政处罚法》第五十八条；黑环发〔2019〕112号 三(三)2（默认目录，待各市局公布的目录清单替换）"
REVIEW_RULES = [
    ("penalty_kind", "revoke_licence", "吊销许可证件（含吊销排污许可证）"),
    ("penalty_kind", "suspend_operation", "责令停产停业、停产整治"),
    ("penalty_kind", "close", "责令关闭"),
    ("penalty_kind", "downgrade", "降低资质等级"),
    ("penalty_kind", "restrict_practice", "限制从业"),
    ("penalty_kind", "ban_application", "一定时期内不得申请行政许可"),
    ("penalty_kind", "restrict_operation", "限制开展生产经营活动"),
    ("fine_organisation", "200000", "对法人、其他组织罚款二十万元以上"),
    ("fine_citizen", "5000", "对公民罚款五千元以上"),
    ("confiscation", "50000", "没收违法所得、非法财物价值五万元以上"),
    ("hearing", "", "经过听证程序作出的决定"),
    ("coercive", "", "查封、扣押、限制生产、停产整治等行政强制措施"),
    ("referral", "", "移送公安机关行政拘留或移送涉嫌环境犯罪"),
    ("discretion", "", "罚款偏离裁量计算结果或减轻、免除处罚"),
    ("manual", "", "涉及重大公共利益、可能造成重大社会影响，或案情疑难复杂、涉及多个法律关系"),
]
