"""Automatic pre-checks, one per point of the nine-point review, computed from the case's own data.

Each gives pass / problem / cannot-tell with its reasons and links to what it looked at. They advise; the reviewer
decides every point.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Certificate, CertificateStatus, EnforcementDomain
from sanxiang.cases import deadlines, gates
from sanxiang.cases.catalogue_data import NORM_OVERLAPS, NORM_OVERLAPS_CITATION
from sanxiang.cases.models import AV_CITATION, Case, CaseKind, Violation
from sanxiang.core.blobs import blob_hash
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import rule
from sanxiang.core.wording import last_day_words
from sanxiang.documents.types import TYPES
from sanxiang.laws.citations import find_citations
from sanxiang.laws.models import InForce
from sanxiang.laws.selectors import resolve
from sanxiang.review.materials import documents_of, evidence_items
from sanxiang.review.models import PrecheckResult

PASS, PROBLEM, UNKNOWN = PrecheckResult.PASS, PrecheckResult.PROBLEM, PrecheckResult.UNKNOWN


def result(findings: list[str], unknown: list[str], links: list[dict] | None = None, ok: str = "") -> dict:
    if findings:
        return {"result": PROBLEM, "notes": findings + unknown, "links": links or []}
    if unknown:
        return {"result": UNKNOWN, "notes": unknown, "links": links or []}
    return {"result": PASS, "notes": [ok] if ok else [], "links": links or []}


# The law in force when the act was committed applies (a later, lighter one excepted): a basis citing a version not
# in force that day asks the reviewer which version applies.
APPLICABLE_LAW = "《行政处罚法》第三十七条"


def subject(case: Case) -> dict:
    """执法主体: an active agency, deciding what it may decide itself — a closure only with the approval of the
    people's government with that power, which the agency asks for after this review (《环境保护法》第六十条)."""
    if not case.agency.is_active:
        return result([_("作出决定的机关已停用")], [])
    unknown = []
    if case.kind == CaseKind.CLOSURE and case.closure.approved_on is None:
        unknown.append(
            _("%(kind)s须报经有批准权的人民政府批准，批准文件尚未登记，决定前须登记（%(citation)s）")
            % {"kind": case.closure.get_kind_display(), "citation": gates.CLOSURE_CITATION}
        )
    return result(
        [],
        unknown,
        ok=_("%(agency)s 为生态环境行政执法机关，拟作出的决定在其职权范围内") % {"agency": case.agency.name},
    )


def officers(case: Case, today: dt.date) -> dict:
    """执法人员: at least two investigators, each certified on the filing date and still certified today; the
    officers of the inspection certified on its day."""
    investigators = list(case.investigators.all())
    findings = []
    if len(investigators) < rule("officers.min", case.agency).number:
        findings.append(_("承办人少于两人"))
    for person in investigators:
        held = list(Certificate.objects.filter(holder=person, domain=EnforcementDomain.ECOLOGY))
        if case.filed_on and not any(valid_then(certificate, case.filed_on) for certificate in held):
            findings.append(_("%(name)s 立案时没有有效执法证") % {"name": person.full_name})
        elif not any(certificate.is_valid_on(today) for certificate in held):
            findings.append(_("%(name)s 的执法证现已失效（暂扣、吊销或过期）") % {"name": person.full_name})
    if case.inspection_id:
        for row in case.inspection.inspectionofficer_set.select_related("officer", "certificate", "inspection"):
            if not row.certificate.is_valid_on(row.inspection.started_at.date()):
                findings.append(_("%(name)s 现场检查时执法证无效") % {"name": row.officer.full_name})
    return result(
        findings,
        [],
        ok=_("承办人 %(names)s 均持有效执法证") % {"names": "、".join(person.full_name for person in investigators)},
    )


def valid_then(certificate: Certificate, day: dt.date) -> bool:
    """Whether the certificate was valid on a past `day`: a suspension or revocation since does not reach back."""
    in_term = certificate.issued_on <= day <= certificate.expires_on
    changed_since = certificate.status_changed_at is not None and certificate.status_changed_at.date() > day
    return in_term and (certificate.status == CertificateStatus.VALID or changed_since)


def jurisdiction(case: Case) -> dict:
    """管辖权限: the act happened in the agency's area (《行政处罚法》第二十二条: the place of the act decides, not
    where the party is registered)."""
    code = case.act_division
    if not code:
        return result([], [_("未登记违法行为发生地，无法判断地域管辖，请人工核对")])
    if not gates.area_covers(case.agency, code):
        return result([_("违法行为发生地（行政区划 %(code)s）不在本机关辖区") % {"code": code}], [])
    return result(
        [], [], ok=_("违法行为发生地 %(place)s（%(code)s）在本机关辖区") % {"place": case.act_place, "code": code}
    )


def procedure(case: Case, today: dt.date) -> dict:
    """执法程序: every required step done, in order and on time."""
    if case.kind == CaseKind.SEIZURE:
        return _seizure_procedure(case)
    findings, unknown = [], []
    if case.filed_on and case.filed_on > deadlines.filing_due(case).date:
        findings.append(_("超过立案期限立案"))
    if not case.filed_on:
        findings.append(_("未立案"))
    if case.case_reviewer_id is None:
        findings.append(_("未经案件审查"))
    if case.notice_served_on is None:
        findings.append(_("未事先告知"))
    else:
        findings += [
            _("%(label)s至 %(date)s尚未届满") % {"label": window.label, "date": last_day_words(window.due.date)}
            for window in deadlines.open_windows(case, on=today)
        ]
    if case.hearing_requested_on and not case.hearing_held_on:
        findings.append(_("当事人要求听证但未组织听证"))
    if case.filed_on:
        due = deadlines.decision_due(case, today=today)
        if today > due.date:
            findings.append(_("已超过办案期限（期限至 %(date)s）") % {"date": last_day_words(due.date)})
        elif due.provisional:
            unknown.append(_("办案期限至 %(date)s，为暂定（节假日安排未确认）") % {"date": last_day_words(due.date)})
    return result(findings, unknown, ok=_("立案、调查、审查、告知、陈述申辩和听证环节齐全且未超期"))


def _seizure_procedure(case: Case) -> dict:
    """A seizure's procedure (《行政强制法》第十八条、第十九条): two certified officers, the head's approval before it
    is carried out, or, after an emergency, within 24 hours."""
    seizure = case.seizures.get()
    findings = []
    if seizure.officers.count() < rule("officers.min", case.agency).number:
        findings.append(_("实施人员少于两人"))
    if seizure.emergency:
        hours = rule("seizure.emergency_report_hours", case.agency).number
        due = seizure.started_at + dt.timedelta(hours=hours)
        if timezone.now() > due and not seizure.approved_by_id:
            findings.append(_("紧急实施后已超过二十四小时仍未补办批准手续，应当立即解除"))
        return result(
            findings,
            [],
            ok=_("紧急实施，须于 %(due)s 前补办批准手续") % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")},
        )
    return result(findings, [], ok=_("查封、扣押呈批，经法制审核和负责人批准后实施"))


def facts(case: Case) -> dict:
    """事实认定: facts stated and supported by evidence on file."""
    items = evidence_items(case)
    links = [
        {"label": _("证据") + f" {item.number}", "url": reverse("evidence:item", args=[item.pk])} for item in items
    ]
    if not case.facts.strip():
        return result([_("未写明违法事实")], [], links)
    if not items:
        return result([], [_("案卷中没有登记证据文件，事实仅有文字记载，请核对证据是否充分")], links)
    return result([], [], links, ok=_("违法事实已载明，案卷登记证据 %(n)d 件") % {"n": len(items)})


def law(case: Case) -> dict:
    """法律适用: the violation and its basis agree with the catalogue; the higher-fine norm where two apply."""
    if case.violation is None:
        return result([], [_("未选择违法行为目录，无法核对法律依据")])
    findings, unknown = [], []
    if not cites(case.basis, case.violation.basis):
        findings.append(_("处罚依据未引用违法行为目录所列的 %(basis)s") % {"basis": case.violation.basis})
    for lower, higher in NORM_OVERLAPS:
        other = Violation.objects.filter(code=higher).first() if case.violation.code == lower else None
        if other is not None and not cites(case.basis, other.basis):
            unknown.append(
                _("同一违法行为可能同时适用 %(basis)s（%(name)s），应择一适用罚款数额较高的规定（%(citation)s）")
                % {"basis": other.basis, "name": other.name, "citation": NORM_OVERLAPS_CITATION}
            )
    unknown += [
        _("处罚依据所引%(version)s在违法行为发生之日（%(day)s）%(status)s，应适用当日有效的规定（%(citation)s）")
        % {
            "version": found.instrument,
            "day": case.act_date,
            "status": InForce(found.status).label,
            "citation": APPLICABLE_LAW,
        }
        for found in resolve(case.basis, on=case.act_date)
        if not found.in_force
    ]
    return result(findings, unknown, ok=_("依据与违法行为目录一致：%(basis)s") % {"basis": case.violation.basis})


def cites(text: str, citation: str) -> bool:
    """Whether `text` cites the law and every article of `citation` ("《大气污染防治法》第九十九条" is cited by
    "《中华人民共和国大气污染防治法》第十八条、第九十九条第二项"): the articles must follow that law's name."""
    wanted, given = find_citations(citation), find_citations(text)
    return bool(wanted) and all(
        any(found.law_name == needed.law_name and set(needed.numbers) <= set(found.numbers) for found in given)
        for needed in wanted
    )


def evidence(case: Case) -> dict:
    """证据使用: every evidence file intact, audio/video present where the seed makes it mandatory."""
    findings, links = [], []
    for item in evidence_items(case):
        if blob_hash(item.sha256) != item.sha256:
            findings.append(
                _("证据 %(n)d（%(name)s）文件缺失或已被改动") % {"n": item.number, "name": item.original_name}
            )
            links.append({"label": str(item), "url": reverse("evidence:item", args=[item.pk])})
    in_force = {"started_on__isnull": False}  # a proposed measure has not been carried out, nor filmed, yet
    for measures, act in (
        (case.seizures.filter(**in_force), _("查封扣押")),
        (case.production_measures.filter(**in_force), _("限产停产")),
    ):
        if any(not measure.recordings.exists() for measure in measures):
            findings.append(_("%(act)s没有全程音像记录（%(citation)s）") % {"act": act, "citation": AV_CITATION})
    return result(findings, [], links, ok=_("证据文件完整（哈希一致），强制音像记录齐全"))


REQUIRED_DOCUMENTS = ["filing_approval", "investigation_report", "case_review_opinion", "prior_notice"]
HEARING_DOCUMENTS = ["hearing_notice", "hearing_record", "hearing_report"]
SEIZURE_DOCUMENTS = ["seizure_decision", "seizure_list"]  # delivered on the spot when it is carried out


def documents(case: Case) -> dict:
    """执法文书: every required document generated, numbered where its type has a 文号, its file intact, and the
    notice served."""
    made = list(documents_of(case))
    kinds = {document.doc_type for document in made}
    required = (
        SEIZURE_DOCUMENTS
        if case.seizures.filter(started_on__isnull=False).exists()
        else []
        if case.kind == CaseKind.SEIZURE
        else REQUIRED_DOCUMENTS + (HEARING_DOCUMENTS if case.hearing_held_on else [])
    )
    findings = [_("缺少%(name)s") % {"name": TYPES[code].name} for code in required if code not in kinds]
    flawed, links = document_flaws(made)
    findings += flawed
    if case.notice_served_on is None and case.kind != CaseKind.SEIZURE:  # a seizure is not notified beforehand
        findings.append(_("告知书未送达"))
    return result(findings, [], links, ok=_("必备文书已制作、编号并送达，文件完整"))


def document_flaws(made) -> tuple[list[str], list[dict]]:
    """The documents issued without the 文号 their type has, or whose stored file is missing or changed, with a link
    to each such file."""
    findings, links = [], []
    for document in made:
        if TYPES[document.doc_type].numbered and not document.number:
            findings.append(_("%(name)s 没有文号") % {"name": document.get_doc_type_display()})
        if blob_hash(document.docx_sha256) != document.docx_sha256:
            findings.append(
                _("%(name)s %(number)s 的文件缺失或已被改动")
                % {"name": document.get_doc_type_display(), "number": document.number}
            )
            links.append(
                {"label": document.get_doc_type_display(), "url": reverse("documents:docx", args=[document.pk])}
            )
    return findings, links


def discretion(case: Case) -> dict:
    """自由裁量权运用: the fine inside the statutory range, and the calculation followed or departed from with reasons."""
    fine, calculated = case.decided_fine, case.discretion
    if fine is None:
        return result([], [], ok=_("不涉及罚款"))
    if case.kind == CaseKind.DAILY_PENALTY:
        try:
            gates.proposal_lawful(case, case.decided_kinds, fine, case.decided_confiscation, settled=True)
        except RuleViolation as error:
            return result([error.messages[0]], [])
        return result(
            [],
            [],
            ok=_("按日连续处罚数额为原处罚数额乘以计罚日数，不适用自由裁量（%(citation)s）")
            % {"citation": gates.DAILY_CITATION},
        )
    findings, unknown = [], []
    try:
        gates.fine_in_range(case.violation, fine, base=Decimal(calculated["base"]) if calculated.get("base") else None)
    except RuleViolation as error:
        findings.append(error.messages[0])
    if not calculated:
        findings.append(_("罚款未做自由裁量计算"))
    elif fine != Decimal(calculated["fine"]) and not case.departure_reason.strip():
        findings.append(
            _("罚款 %(fine)s 元偏离裁量计算结果（%(calculated)s 元）而未说明理由")
            % {"fine": fine, "calculated": calculated["fine"]}
        )
    elif fine != Decimal(calculated["fine"]):
        unknown.append(
            _("罚款 %(fine)s 元偏离裁量计算结果（%(calculated)s 元），理由：%(reason)s")
            % {"fine": fine, "calculated": calculated["fine"], "reason": case.departure_reason}
        )
    return result(findings, unknown, ok=_("罚款在法定幅度内，与裁量计算结果一致"))


def run_prechecks(case: Case, today: dt.date) -> dict:
    return {
        "subject": subject(case),
        "officers": officers(case, today),
        "jurisdiction": jurisdiction(case),
        "procedure": procedure(case, today),
        "facts": facts(case),
        "law": law(case),
        "evidence": evidence(case),
        "documents": documents(case),
        "discretion": discretion(case),
    }
