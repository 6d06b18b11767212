"""The text and the summary a publication starts from: the decision document as issued, and the 双公示 fields
(masked with the version's masks in services.versions before anything is shown).

Field names are the current national 双公示 layout (domain.md §15.1, §15.2). Amounts are in 万元. A natural
person's ID number is never part of what is published (it is shared with credit platforms, not shown): a summary
leaves 证件号码 empty, and the text that holds it is masked.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document as WordDocument

from sanxiang.cases.models import Case, PartyKind, PenaltyKind
from sanxiang.core.blobs import blob_read
from sanxiang.documents.models import Document
from sanxiang.licensing.models import LAW, Application, Licence
from sanxiang.publicity import layouts

PARTY_CLASSES = {
    PartyKind.LEGAL_PERSON: "法人及非法人组织",
    PartyKind.OTHER_ORGANISATION: "法人及非法人组织",
    PartyKind.INDIVIDUAL_BUSINESS: "个体工商户",
    PartyKind.NATURAL_PERSON: "自然人",
}
TEN_THOUSAND = Decimal(10000)


def document_text(document: Document) -> str:
    """The words of an issued document, paragraph by paragraph, tables row by row (the QR code is dropped)."""
    word = WordDocument(io.BytesIO(blob_read(document.docx_sha256)))
    lines = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append("\t".join(cells))
    return "\n".join(line.rstrip() for line in lines if line.strip())


def wan(amount: Decimal | None) -> str:
    """An amount in 万元, as the layout wants it ("" when there is none)."""
    return "" if amount is None else str((Decimal(amount) / TEN_THOUSAND).normalize().quantize(Decimal("0.000001")))


def party_fields(case: Case) -> dict:
    party = case.party
    organisation = party.kind != PartyKind.NATURAL_PERSON
    return {
        "行政相对人名称": party.name,
        "行政相对人类别": PARTY_CLASSES[party.kind],
        "行政相对人代码_1(统一社会信用代码)": party.uscc if organisation else "",
        "法定代表人": party.legal_representative if organisation else "",
    }


def agency_fields(agency, role: str) -> dict:
    return {
        f"{role}": agency.name,
        f"{role}统一社会信用代码": agency.uscc,
        "数据来源单位": agency.name,
        "数据来源单位统一社会信用代码": agency.uscc,
    }


def penalty_summary(case: Case, document: Document, *, kinds: list[str], fine, confiscation, content: str) -> dict:
    """The 行政处罚 (CF_) fields of a penalty decision."""
    return {
        **party_fields(case),
        "行政处罚决定书文号": document.number,
        "违法行为类型": case.violation.name if case.violation_id else "",
        "违法事实": case.facts,
        "处罚依据": case.basis,
        "处罚类别": "、".join(str(PenaltyKind(kind).label) for kind in kinds),
        "处罚内容": content,
        "罚款金额（万元）": wan(fine),
        "没收违法所得、没收非法财物的金额（万元）": wan(confiscation),
        "暂扣或吊销证照名称及编号": "",
        "处罚决定日期": str(document.issued_on),
        **agency_fields(case.agency, "处罚机关"),
    }


def measure_summary(case: Case, document: Document, *, category: str, content: str) -> dict:
    """A coercive measure, correction order or production measure: agency, party, category and conclusion (the
    seed's 执法机关、执法对象、执法类别、执法结论)."""
    return {
        **party_fields(case),
        "决定书文号": document.number,
        "执法类别": category,
        "违法行为类型": case.violation.name if case.violation_id else "",
        "执法结论": content,
        "决定日期": str(document.issued_on),
        **agency_fields(case.agency, "执法机关"),
    }


def licence_summary(application: Application, licence: Licence, document: Document) -> dict:
    """The 行政许可 (XK_) fields of a licence decision made here — a grant, a change or a renewal (deemed or not),
    each its own decision with its own document — in the current layout's order."""
    organisation = application.is_organisation
    party = application.party if organisation else None
    licence_type = licence.licence_type
    note = "" if application.kind == Application.Kind.NEW else f"行政许可{application.get_kind_display()}"
    if application.deemed_granted:
        note = f"{note}：逾期未作决定，依法视为准予延续（{LAW}第五十条第二款）"
    values = {
        "行政相对人名称": application.applicant_name,
        "行政相对人类别": layouts.ORGANISATION if organisation else layouts.NATURAL_PERSON,
        layouts.USCC: application.applicant_uscc,
        "法定代表人": party.legal_representative if party else "",
        "证件类型": "" if organisation else layouts.RESIDENT_ID,
        "行政许可决定文书名称": document.title,
        "行政许可决定文书号": document.number,
        "许可类别": licence_type.category,
        "许可证书名称": licence_type.certificate_name,
        "许可编号": licence.number,
        "许可内容": licence.content,
        "许可决定日期": str(document.issued_on),
        "有效期自": str(licence.valid_from),
        "有效期至": str(licence.valid_to or layouts.LONG_TERM),
        "当前状态": str(licence.get_status_display()),
        "备注": note,
        **agency_fields(licence.agency, layouts.LICENCE.agency),
    }
    return {field: values.get(field, "") for field in layouts.LICENCE.fields}
