"""The standard enforcement documents (环境行政执法文书制作指南, 2016; domain.md §10) and the fields each may use.

A type with a category character (类别字) gets a 文号 `{机关代字}{类别字}〔{年}〕{序号}号`; internal records and forms
(笔录, 审批表) are identified by their own serial and carry no 文号. The default DOCX template of each type is built
from `lines` (label, field) and `blocks` (free-text fields) by `sanxiang documents build-templates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Fields every template may use; `qr` is the verification QR code image, `verify_url` its address.
COMMON_FIELDS = ("agency_name", "number", "date", "qr", "verify_url", "title")
PARTY_LINES = (
    ("当事人", "party_name"),
    ("统一社会信用代码/身份证号码", "party_code"),
    ("法定代表人（负责人）", "legal_representative"),
    ("地址", "party_address"),
)
CASE_LINES = (("案件编号", "case_number"), ("案由", "case_title"))


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    category: str = ""  # 类别字; empty = no 文号
    lines: tuple = ()
    blocks: tuple = ()
    closing: str = ""
    extra: tuple = field(default=())

    @property
    def numbered(self) -> bool:
        return bool(self.category)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(COMMON_FIELDS) | {name for _label, name in self.lines} | set(self.blocks) | set(self.extra)


RIGHTS = "rights_text"
TYPES = {
    t.code: t
    for t in [
        DocType(
            "filing_approval",
            "立案审批表",
            "立",
            (*CASE_LINES, *PARTY_LINES, ("案件来源", "source"), ("发现日期", "discovered_on"), ("承办人", "officers")),
            ("summary", "approval_text"),
        ),
        DocType("not_filing_approval", "不予立案审批表", "", (*CASE_LINES, *PARTY_LINES), ("reason", "approval_text")),
        DocType("withdrawal_approval", "销案审批表", "", (*CASE_LINES, *PARTY_LINES), ("reason", "approval_text")),
        DocType(
            "inspection_record",
            "现场检查（勘察）笔录",
            "",
            (*PARTY_LINES, ("检查地点", "place"), ("检查时间", "period"), ("执法人员及证件号", "officers")),
            ("findings", "signature_text"),
        ),
        DocType(
            "inquiry_record",
            "调查询问笔录",
            "",
            (*CASE_LINES, ("被询问人", "interviewee"), ("询问时间", "period"), ("询问人", "officers")),
            ("content", "signature_text"),
        ),
        DocType(
            "preservation_notice",
            "先行登记保存证据通知书",
            "存",
            (*CASE_LINES, *PARTY_LINES, ("保存期限", "deadline_text")),
            ("items", "basis", RIGHTS),
        ),
        DocType(
            "preservation_decision",
            "先行登记保存证据处理决定书",
            "存处",
            (*CASE_LINES, *PARTY_LINES),
            ("items", "decision_text"),
        ),
        DocType(
            "investigation_report",
            "行政处罚案件调查报告",
            "",
            (*CASE_LINES, *PARTY_LINES, ("承办人", "officers")),
            ("facts", "evidence", "basis", "proposal", "discretion"),
        ),
        DocType("case_review_opinion", "案件审查意见书", "", (*CASE_LINES, ("审查人", "reviewer")), ("opinion",)),
        DocType(
            "prior_notice",
            "行政处罚事先（听证）告知书",
            "告",
            (*CASE_LINES, *PARTY_LINES, ("陈述申辩期限", "deadline_text")),
            ("facts", "evidence", "basis", "proposal", RIGHTS),
        ),
        DocType(
            "hearing_notice",
            "行政处罚听证通知书",
            "听",
            (
                *CASE_LINES,
                *PARTY_LINES,
                ("听证时间", "hearing_at"),
                ("听证地点", "hearing_place"),
                ("主持人", "presiding"),
            ),
            (RIGHTS,),
        ),
        DocType(
            "hearing_record",
            "听证笔录",
            "",
            (*CASE_LINES, ("听证时间", "hearing_at"), ("主持人", "presiding"), ("参加人", "participants")),
            ("content", "signature_text"),
        ),
        DocType("hearing_report", "听证报告", "", (*CASE_LINES, ("主持人", "presiding")), ("content", "opinion")),
        DocType(
            "collective_minutes",
            "案件集体讨论笔录",
            "",
            (*CASE_LINES, ("讨论时间", "held_on"), ("参加人", "participants")),
            ("opinions", "conclusion"),
        ),
        DocType(
            "penalty_decision",
            "行政处罚决定书",
            "罚",
            (*CASE_LINES, *PARTY_LINES),
            ("facts", "evidence", "basis", "decision_text", "payment_text", RIGHTS),
        ),
        DocType(
            "no_penalty_decision",
            "不予行政处罚决定书",
            "不罚",
            (*CASE_LINES, *PARTY_LINES),
            ("facts", "basis", "decision_text", RIGHTS),
        ),
        DocType(
            "service_receipt",
            "送达回证",
            "",
            (
                *CASE_LINES,
                ("送达文书", "served_document"),
                ("受送达人", "party_name"),
                ("送达方式", "service_method"),
                ("送达时间", "served_at"),
                ("送达人", "officers"),
            ),
            ("signature_text",),
        ),
        DocType(
            "instalment_notice", "同意分期（延期）缴纳罚款通知书", "缓", (*CASE_LINES, *PARTY_LINES), ("decision_text",)
        ),
        DocType(
            "reminder",
            "催告书",
            "催",
            (*CASE_LINES, *PARTY_LINES, ("履行期限", "deadline_text")),
            ("decision_text", RIGHTS),
        ),
        DocType(
            "enforcement_application", "强制执行申请书", "执", (*CASE_LINES, *PARTY_LINES), ("facts", "decision_text")
        ),
        DocType(
            "closing_approval", "行政处罚案件结案审批表", "", (*CASE_LINES, *PARTY_LINES), ("summary", "approval_text")
        ),
        DocType(
            "referral", "案件移送书", "移", (*CASE_LINES, *PARTY_LINES, ("移送机关", "receiver")), ("facts", "basis")
        ),
        DocType(
            "onsite_decision",
            "当场行政处罚决定书",
            "当罚",
            (*PARTY_LINES, ("执法人员及证件号", "officers")),
            ("facts", "basis", "decision_text", "payment_text", RIGHTS),
        ),
        DocType(
            "correction_order",
            "责令改正违法行为决定书",
            "改",
            (*CASE_LINES, *PARTY_LINES, ("改正期限", "deadline_text")),
            ("facts", "basis", "decision_text", RIGHTS),
        ),
        DocType(
            "daily_penalty_decision",
            "按日连续处罚决定书",
            "按日罚",
            (*CASE_LINES, *PARTY_LINES),
            ("facts", "basis", "decision_text", "payment_text", RIGHTS),
        ),
        DocType(
            "seizure_decision",
            "查封（扣押）决定书",
            "封",
            (*CASE_LINES, *PARTY_LINES, ("期限", "deadline_text")),
            ("facts", "basis", "items", RIGHTS),
        ),
        DocType("seizure_list", "查封、扣押清单", "", (*CASE_LINES, *PARTY_LINES), ("items", "signature_text")),
        DocType(
            "seizure_extension",
            "查封（扣押）延期通知书",
            "封延",
            (*CASE_LINES, *PARTY_LINES, ("延长至", "deadline_text")),
            ("reason", RIGHTS),
        ),
        DocType("seizure_release", "解除查封（扣押）决定书", "解封", (*CASE_LINES, *PARTY_LINES), ("reason", "items")),
        DocType(
            "production_limit_decision",
            "责令限制生产决定书",
            "限",
            (*CASE_LINES, *PARTY_LINES, ("期限", "deadline_text")),
            ("facts", "basis", "decision_text", RIGHTS),
        ),
        DocType(
            "production_stop_decision",
            "责令停产整治决定书",
            "停",
            (*CASE_LINES, *PARTY_LINES),
            ("facts", "basis", "decision_text", RIGHTS),
        ),
        DocType(
            "legal_review_opinion",
            "法制审核意见书",
            "审",
            (*CASE_LINES, ("审核人", "reviewer")),
            ("checklist", "opinion"),
        ),
    ]
}


def doc_type(code: str) -> DocType:
    try:
        return TYPES[code]
    except KeyError:
        raise ValueError(f"unknown document type {code!r}") from None


def context_for(code: str, values: dict) -> dict:
    """The values a document of type `code` uses, out of `values` (the fields every document of a case shares and
    the step's own); document_issue refuses any other."""
    allowed = doc_type(code).fields
    return {key: value for key, value in values.items() if key in allowed}
