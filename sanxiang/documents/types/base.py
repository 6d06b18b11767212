"""The shape of a standard enforcement document (环境行政执法文书制作指南, 2016; domain.md §10) and the fields each may use.

A type with a category character (类别字) gets a 文号 `{机关代字}{类别字}〔{年}〕{序号}号`; internal records and forms
(笔录, 审批表) are identified by their own serial and carry no 文号. The default DOCX template of each type is built
from `lines` (label, field) and `blocks` (free-text fields) by `sanxiang documents build-templates`.

Each type names the fields its national format requires (`required`, and `required_with`: a field required once
another is filled, such as the payment channel of a document that orders a payment), with the source of the
format (`citation`); document_issue refuses a document with any of them empty, naming each by its label.
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
# What a decision names of the agency that makes it (agencies.Agency, entered by each agency): the route of each
# remedy and how a fine is paid. Templates may use them; the default ones read them in rights_text and payment_text.
REMEDY_FIELDS = ("reconsideration_body", "court")
PAYMENT_FIELDS = ("payment_channel",)
# The labels of the fields that are not lines of a type (a line's label is the type's own).
LABELS = {
    "agency_name": "机关名称",
    "date": "日期",
    "summary": "案情简介",
    "approval_text": "审批意见",
    "reason": "理由",
    "findings": "检查情况",
    "signature_text": "签名",
    "content": "内容",
    "items": "物品清单",
    "basis": "依据",
    "decision_text": "决定内容",
    "facts": "违法事实",
    "evidence": "证据",
    "evidence_list": "证据目录（案卷中的证据编号）",
    "procedure_text": "告知、陈述申辩和听证情况",
    "proposal": "拟作出的处罚",
    "discretion": "自由裁量",
    "opinion": "意见",
    "opinions": "讨论意见",
    "conclusion": "结论",
    "payment_text": "履行方式和期限",
    "rights_text": "申请行政复议、提起行政诉讼的途径和期限",
    "checklist": "审核事项",
    "reconsideration_body": "行政复议机关",
    "court": "行政诉讼管辖法院",
    "payment_channel": "缴款途径（代收银行账户或电子缴款方式）",
}
# Sources of the formats (domain.md §10).
GUIDE = "《环境行政执法文书制作指南》（2016）"
PENALTY_CONTENT = "《行政处罚法》第五十九条、第六十七条"
COERCIVE_CONTENT = "《行政强制法》第二十四条"


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    category: str = ""  # 类别字; empty = no 文号
    lines: tuple = ()
    blocks: tuple = ()
    closing: str = ""
    extra: tuple = field(default=())
    required: tuple = ()
    required_with: tuple = ()  # (field, other): `field` is required once `other` is filled
    citation: str = GUIDE
    labels: tuple = ()  # (label, field), as lines: how this type names a block otherwise than LABELS
    # The type whose 文号 serials this one shares: two types with one 类别字 number one series, or an agency would
    # issue two documents with the same 文号.
    series: str = ""

    @property
    def numbered(self) -> bool:
        return bool(self.category)

    @property
    def number_series(self) -> str:
        return self.series or self.code

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(COMMON_FIELDS) | {name for _label, name in self.lines} | set(self.blocks) | set(self.extra)

    def label(self, name: str) -> str:
        """The field's label in this type (its line's or its own), else its common one."""
        own = {line: label for label, line in (*self.lines, *self.labels)}
        return own.get(name) or LABELS.get(name, name)

    def missing(self, values: dict) -> list[str]:
        """The required fields that `values` leaves empty, in the order of the format."""
        needed = list(self.required) + [name for name, other in self.required_with if _filled(values.get(other))]
        return [name for name in dict.fromkeys(needed) if not _filled(values.get(name))]


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""
