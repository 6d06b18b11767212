"""The documents of the licensing procedure (《行政许可法》第三十二条、第三十八条、第四十二条、第四十四条、第四十五条、
第四十七条、第八条、第六十九条、第七十条): each names the applicant, the application and the licence type; the
decisions also state their basis and the remedies. Formats after the 行政许可 documents the provinces publish for
their 政务服务 windows; the fields each requires are what those articles require it to say. The 法制审核意见书 of a major
licence decision (黑环发〔2019〕112号 三(三)) names the applicant in the same lines."""

from __future__ import annotations

from sanxiang.documents.types.base import REMEDY_FIELDS, DocType

LAW = "《中华人民共和国行政许可法》"
APPLICANT_LINES = (
    ("申请人", "party_name"),
    ("统一社会信用代码/身份证号码", "party_code"),
    ("住所", "party_address"),
    ("申请编号", "application_number"),
    ("许可事项", "licence_name"),
    ("项目名称", "project"),
    ("申请日期", "received_on"),
)
APPLICANT = ("party_name", "application_number", "licence_name")
REMEDIES = (*REMEDY_FIELDS, "rights_text")
LABELS = (("申请材料补正清单", "items"), ("许可内容", "decision_text"), ("救济途径", "rights_text"))


def _type(code, name, category, blocks, required, article, lines=(), applicant=APPLICANT):
    return DocType(
        code,
        name,
        category,
        (*APPLICANT_LINES, *lines),
        blocks,
        required=(*applicant, *required),
        citation=f"{LAW}{article}",
        labels=LABELS,
    )


# The legal review of a major licence decision (黑环发〔2019〕112号 三(三)3): the nine points and the opinion, numbered
# in the one series of the agency's 法制审核意见书.
REVIEW_OPINION = DocType(
    "licence_review_opinion",
    "法制审核意见书",
    "审",
    (*APPLICANT_LINES, ("审核人", "reviewer")),
    ("checklist", "opinion"),
    required=(*APPLICANT, "reviewer", "checklist", "opinion"),
    citation="黑环发〔2019〕112号 三(三)3",
    labels=LABELS,
    series="legal_review_opinion",
)

LICENSING_TYPES = [
    _type("licence_acceptance", "行政许可受理通知书", "许受", ("content",), ("content",), "第三十二条"),
    _type(
        "licence_rejection",
        "行政许可不予受理决定书",
        "许不受",
        ("reason", "basis", *REMEDIES),
        ("reason", "basis", "rights_text"),
        "第三十二条",
    ),
    _type("licence_supplement", "行政许可申请材料补正通知书", "许补", ("items", "content"), ("items",), "第三十二条"),
    _type("licence_hearing_notice", "行政许可听证告知书", "许听", ("content",), ("content",), "第四十七条"),
    _type("licence_pause_notice", "行政许可期限扣除告知书", "许告", ("content",), ("content",), "第四十五条"),
    _type(
        "licence_extension",
        "延长行政许可期限通知书",
        "许延",
        ("reason",),
        ("reason", "period"),
        "第四十二条",
        lines=(("办理期限", "period"),),
    ),
    _type(
        "licence_grant",
        "准予行政许可决定书",
        "许准",
        ("decision_text", "basis"),
        ("licence_number", "valid_period", "decision_text", "basis"),
        "第三十八条、第三十九条",
        lines=(("许可编号", "licence_number"), ("有效期限", "valid_period")),
    ),
    _type(
        "licence_refusal",
        "不予行政许可决定书",
        "许不准",
        ("reason", "basis", *REMEDIES),
        ("reason", "rights_text"),
        "第三十八条第二款",
    ),
    _type(
        "licence_service_receipt",
        "行政许可文书送达回证",
        "",
        ("signature_text",),
        ("served_document", "service_method", "served_at"),
        "第四十四条",
        lines=(("送达文书", "served_document"), ("送达方式", "service_method"), ("送达时间", "served_at")),
    ),
    *(
        _type(
            code,
            name,
            category,
            ("reason", "basis", *REMEDIES),
            ("licence_number", "reason", "basis", "rights_text"),
            article,
            lines=(("许可编号", "licence_number"),),
            # a licence registered from before the platform has no application number
            applicant=("party_name", "licence_name"),
        )
        for code, name, category, article in (
            ("licence_recall", "撤回行政许可决定书", "许撤回", "第八条"),
            ("licence_revocation", "撤销行政许可决定书", "许撤销", "第六十九条"),
            ("licence_cancellation", "注销行政许可决定书", "许注销", "第七十条"),
        )
    ),
    REVIEW_OPINION,
]
