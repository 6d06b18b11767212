"""Where a publication begins (事后公开): a decision made here as it is issued — a case's decision (the hook
cases.decision_issued) or a licence granted, changed or renewed (licensing.decision_issued) — or a decision made
elsewhere, imported or entered by hand (imports.py). Each opens the same way (`open_draft`): a draft due by its
working-day rule from the decision date, a first version masked by the detector and the party's own personal data,
withheld at once for a minor, and its ledger entry, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from sanxiang.cases.models import Case
from sanxiang.core.rules import deadline
from sanxiang.documents.models import Document
from sanxiang.licensing.models import Application, Licence
from sanxiang.publicity import texts
from sanxiang.publicity.models import Kind, Publication
from sanxiang.publicity.periods import credit_class
from sanxiang.publicity.services.lifecycle import PUBLICATION, WITHHELD
from sanxiang.publicity.services.versions import version_create

# The decisions published when issued: document type → kind and the rule giving the publication period.
PUBLISHED_DOCUMENTS = {
    "penalty_decision": (Kind.PENALTY, "publication.penalty_workdays"),
    "daily_penalty_decision": (Kind.PENALTY, "publication.penalty_workdays"),
    "seizure_decision": (Kind.COERCIVE, "publication.other_workdays"),
    "correction_order": (Kind.CORRECTION, "publication.other_workdays"),
    "production_limit_decision": (Kind.PRODUCTION, "publication.other_workdays"),
    "production_stop_decision": (Kind.PRODUCTION, "publication.other_workdays"),
    # 责令停业 and 责令关闭 are penalties (《行政处罚法》第九条), published as penalty decisions.
    "closure_decision": (Kind.PENALTY, "publication.penalty_workdays"),
}
# 行政许可、行政处罚信息 within 7 working days of the decision (黑环发〔2019〕112号 三(一)3)
LICENCE_RULE = "publication.licence_workdays"
ADULT_YEARS = 18


def open_draft(
    *,
    actor,
    move: str,
    agency,
    kind: str,
    number: str,
    decided_on: dt.date,
    due_rule: str,
    summary: dict,
    original: str,
    personal: Sequence[tuple[str, str]] = (),
    minor: bool = False,
    data: dict | None = None,
    **fields,
) -> Publication:
    """The draft record of a decision (`fields`: its links, title and party), due by `due_rule` from `decided_on`,
    with its first version from `original` (`personal`: the party's own data to mask when no case names it) and the
    entry of `move` — withheld from the start when the party is a minor. Runs in the caller's transaction."""
    due = deadline(due_rule, decided_on, agency)
    publication = Publication.objects.create(
        agency=agency,
        kind=kind,
        number=number,
        decided_on=decided_on,
        due_on=due.date,
        due_provisional=due.provisional,
        summary=summary,
        **fields,
    )
    version_create(publication, 1, original, summary=summary, personal=personal)
    PUBLICATION.start(publication, move)
    if minor:
        withhold_minor(publication)
    PUBLICATION.commit(actor, publication, move, {"due_on": publication.due_on} | (data or {}))
    return publication


def withhold_minor(publication: Publication) -> None:
    """A minor's decision stays off the internet from the start (domain.md §16, the model rule on putting penalty
    results online)."""
    publication.status = WITHHELD
    publication.withheld_reason = _("当事人为未成年人，依法不在网上公开")


def minor_on(id_number: str, day: dt.date) -> bool:
    """Whether the holder of a resident ID number was under eighteen on `day`, by the birth date it carries."""
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return (day.year - born.year - ((day.month, day.day) < (born.month, born.day))) < ADULT_YEARS


def publication_open(
    *, actor, case: Case, document: Document, content: str, kinds=(), fine=None, confiscation=None
) -> Publication | None:
    """A decision was just issued: open its publication record with its due date, in the caller's transaction.

    Documents that are not published (notices, records) open nothing. A minor's case is withheld from the
    internet at once (《行政处罚法》 and the model rule of domain.md §16).
    """
    if document.doc_type not in PUBLISHED_DOCUMENTS:
        return None
    kind, due_rule = PUBLISHED_DOCUMENTS[document.doc_type]
    party = case.party
    summary = (
        texts.penalty_summary(case, document, kinds=list(kinds), fine=fine, confiscation=confiscation, content=content)
        if kind == Kind.PENALTY
        else texts.measure_summary(case, document, category=document.get_doc_type_display(), content=content)
    )
    return open_draft(
        actor=actor,
        move="open",
        agency=case.agency,
        kind=kind,
        number=document.number,
        decided_on=document.issued_on,
        due_rule=due_rule,
        summary=summary,
        original=texts.document_text(document),
        minor=party.is_minor,
        case=case,
        document=document,
        title=document.get_doc_type_display(),
        party_name=party.name,
        party_kind=texts.PARTY_CLASSES[party.kind],
        violation=case.violation.name if case.violation_id else "",
        credit_class=credit_class(list(kinds), agency=case.agency) if kind == Kind.PENALTY else "",
    )


def publication_licence_open(*, actor, application: Application, licence: Licence, document: Document) -> Publication:
    """A licence was granted, changed or renewed — or deemed renewed by the platform (actor None, 《行政许可法》第五十条
    第二款) —: its decision opens a publication of its own, due within 7 working days (seed 三(一)3), in the
    decision's transaction. The summary is the 行政许可 layout's; the first version is the decision's text with the
    applicant's ID number and phone, and a natural person's address, masked (the ID number is never published)."""
    natural = not application.is_organisation
    summary = texts.licence_summary(application, licence, document)
    personal = [("id_number", application.applicant_id_number), ("phone", application.phone)]
    if natural:
        personal.append(("address", application.applicant_address))
    return open_draft(
        actor=actor,
        move="open",
        agency=licence.agency,
        kind=Kind.LICENCE,
        number=document.number,
        decided_on=document.issued_on,
        due_rule=LICENCE_RULE,
        summary=summary,
        original=texts.document_text(document),
        personal=personal,
        minor=natural and minor_on(application.applicant_id_number, document.issued_on),
        data={"source": Publication.Source.LICENSING, "licence": licence.number},
        source=Publication.Source.LICENSING,
        licence=licence,
        document=document,
        title=document.title,
        party_name=application.applicant_name,
        party_kind=summary["行政相对人类别"],
    )
