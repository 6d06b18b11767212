"""送审材料: what the handling unit sends for review, assembled from the case as it stands, and what is missing.

The materials are kept with each round, so rounds can be compared and the decision later checked against what
the reviewer saw.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases.models import Case, CaseKind, describe_penalty
from sanxiang.documents.models import Document
from sanxiang.evidence.models import EvidenceItem

OPINION = "legal_review_opinion"
# The handling unit answers for its materials, the reviewer for the opinion (黑环发〔2019〕112号 三(三)4).
STATEMENT = gettext_lazy(
    "本承办机构对送审材料的真实性、准确性、完整性，以及执法行为的事实、证据、法律适用、程序的合法性负责。"
)

LABELS = {
    "decision": gettext_lazy("拟作出的决定"),
    "decision_text": gettext_lazy("拟作出的决定"),
    "violation": gettext_lazy("违法行为"),
    "facts": gettext_lazy("违法事实"),
    "evidence": gettext_lazy("证据清单"),
    "basis": gettext_lazy("法律依据"),
    "evidence_items": gettext_lazy("证据材料"),
    "documents": gettext_lazy("执法文书"),
    "discretion": gettext_lazy("自由裁量计算"),
    "departure_reason": gettext_lazy("偏离裁量结果的理由"),
    "statement": gettext_lazy("陈述申辩"),
    "hearing": gettext_lazy("听证"),
    "reconsideration": gettext_lazy("复核意见"),
}
# What an agreement covers: a decision on anything else needs a new review. Documents are left out, because the
# minutes of a collective discussion may follow the review without changing what was reviewed.
REVIEWED = ("decision", "evidence_items", "discretion", "departure_reason", "statement", "hearing", "reconsideration")


def decision_terms(case: Case) -> dict:
    """The decision to be made (处罚, 不予处罚 or 移送, and which penalty) and what it rests on."""
    return {
        "outcome": case.outcome or case.proposed_outcome,
        "violation": case.violation.code if case.violation_id else None,
        "facts": case.facts,
        "evidence": case.evidence,
        "basis": case.basis,
        "kinds": sorted(case.decided_kinds),
        "fine": str(case.decided_fine) if case.decided_fine is not None else None,
        "confiscation": str(case.decided_confiscation) if case.decided_confiscation is not None else None,
    }


def changed_since(reviewed: dict, case: Case) -> list[str]:
    """The reviewed materials that differ in the case as it stands now, by name."""
    now = assemble(case)
    return [str(LABELS[key]) for key in REVIEWED if reviewed.get(key) != now.get(key)]


def evidence_items(case: Case) -> list[EvidenceItem]:
    """The case's evidence and the evidence of the inspection it came from; a case derived from another (a seizure,
    a daily penalty) also rests on the evidence of the case it came from."""
    items = list(case.evidence_items.order_by("number"))
    if case.origin_id:
        items += list(case.origin.evidence_items.order_by("number"))
    if case.inspection_id:
        items += list(
            EvidenceItem.objects.filter(inspection_id=case.inspection_id, case__isnull=True).order_by("number")
        )
    return items


def documents_of(record):
    """The documents issued for a case (or an application), in the order they were issued."""
    return Document.objects.filter(subject_type=record._meta.label_lower, subject_id=str(record.pk)).order_by(
        "issued_on", "id"
    )


def document_list(record, *, opinion: str) -> list[dict]:
    """The record's documents as the materials list them, but for the review's own opinions (the rounds show them)."""
    return [
        {
            "id": document.pk,
            "type": document.doc_type,
            "name": document.get_doc_type_display(),
            "number": document.number,
            "issued_on": str(document.issued_on),
        }
        for document in documents_of(record).exclude(doc_type=opinion)
    ]


def documents_made(case: Case) -> set[str]:
    return set(documents_of(case).values_list("doc_type", flat=True))


def missing(case: Case) -> list[str]:
    """What a complete submission needs and the case does not yet have, named for the handling unit."""
    gaps = []
    for field, label in (("facts", _("违法事实")), ("evidence", _("证据清单")), ("basis", _("法律依据"))):
        if not getattr(case, field).strip():
            gaps.append(label)
    if not evidence_items(case):
        gaps.append(_("证据材料（案卷中没有登记任何证据文件）"))
    ranged = case.violation_id and (case.violation.fine_max is not None or case.violation.multiple_max is not None)
    # A daily penalty's amount is the law's arithmetic (the original fine times the days), not a discretion.
    computed = case.kind == CaseKind.DAILY_PENALTY
    if case.decided_fine is not None and ranged and not case.discretion and not computed:
        gaps.append(_("自由裁量计算"))
    if case.departs_from_benchmark and not case.departure_reason.strip():
        gaps.append(_("偏离裁量计算结果的理由"))
    if case.statement_received_on and not case.statement_summary.strip():
        gaps.append(_("当事人陈述申辩的内容"))
    if case.statement_received_on and not case.statement_handled:
        gaps.append(_("对陈述申辩的复核意见"))
    made = documents_made(case)
    if "investigation_report" not in made and case.kind != CaseKind.SEIZURE:  # a seizure's reasons are its report
        gaps.append(_("调查报告"))
    if case.hearing_held_on and "hearing_record" not in made:
        gaps.append(_("听证笔录"))
    return gaps


def assemble(case: Case) -> dict:
    return {
        "decision": decision_terms(case),
        "decision_text": describe_penalty(case.decided_kinds, case.decided_fine, case.decided_confiscation)
        or _("不予行政处罚"),
        "violation": {"code": case.violation.code, "name": case.violation.name, "basis": case.violation.basis}
        if case.violation
        else None,
        "facts": case.facts,
        "evidence": case.evidence,
        "basis": case.basis,
        "evidence_items": [
            {
                "id": item.pk,
                "number": item.number,
                "name": item.original_name,
                "kind": item.get_kind_display(),
                "act": item.get_act_display(),
                "sha256": item.sha256,
                "size": item.size,
            }
            for item in evidence_items(case)
        ],
        "documents": document_list(case, opinion=OPINION),
        "discretion": case.discretion,
        "departure_reason": case.departure_reason if case.departs_from_benchmark else "",
        "statement": {
            "received_on": str(case.statement_received_on or ""),
            "summary": case.statement_summary,
            "waived_on": str(case.rights_waived_on or ""),
        },
        "hearing": {
            "held_on": str(case.hearing_held_on or ""),
            "presiding": case.hearing_presiding.full_name if case.hearing_presiding else "",
        },
        "reconsideration": case.reconsideration_note,
        "review_reasons": case.review_reasons,
    }
