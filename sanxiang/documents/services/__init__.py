"""Issuing documents: every field its format requires filled, a gapless 文号, the DOCX rendered from the agency's
template with a verification QR code (rendering.py), stored immutably by hash and ledgered — all in the caller's
transaction, so a document refused leaves nothing of the business action that issues it. Signing them on site and
correcting them (a new version): signatures.py."""

from __future__ import annotations

import contextvars
import datetime as dt
import io
import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docxtpl import DocxTemplate

from sanxiang.agencies.models import Agency
from sanxiang.core.blobs import blob_put, blob_read
from sanxiang.core.errors import RuleViolation
from sanxiang.documents.models import AgencyTemplate, Document, NumberSequence
from sanxiang.documents.rendering import docx_to_pdf, office, render_docx
from sanxiang.documents.types import PAYMENT_FIELDS, REMEDY_FIELDS, DocType, doc_type
from sanxiang.ledger.services import ledger_append

PDF_REQUEST_SECONDS = 600  # a rendering asked for again after this long is queued again (the worker may have died)
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "docx"
LEDGER_ACTIONS = {
    "document.issue": gettext_lazy("生成文书"),
    "document.pdf": gettext_lazy("生成 PDF"),
    "document.template": gettext_lazy("更换文书模板"),
    "document.correct": gettext_lazy("更正文书（新版本）"),
}
# A document belongs to a case, and most cases are never public: its entry names the internal document type, the
# case and the officer. What the public may know of a decision is its publication's own entry (publicity).
INTERNAL_ACTIONS = {
    "document.issue": "names the document type, the case and the officer of cases that are not public",
    "document.pdf": "names a document of a case that is not public",
    "document.correct": "names the document type, the case and the officer of cases that are not public",
}


def format_number(agency: Agency, kind: DocType, year: int, sequence: int) -> str:
    """{机关代字}{类别字}〔{YYYY}〕{N}号 — no zero padding (GB/T 9704 style)."""
    return f"{agency.abbreviation}{kind.category}〔{year}〕{sequence}号"


def _take_number(agency: Agency, kind: DocType, year: int) -> int:
    """The next serial for (agency, type's series, year); the row lock is held until the document's transaction
    ends."""
    lookup = {"agency": agency, "doc_type": kind.number_series, "year": year}
    sequence = NumberSequence.objects.select_for_update().filter(**lookup).first()
    if sequence is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(**lookup)
        except IntegrityError:
            pass  # another request created it first; lock theirs
        sequence = NumberSequence.objects.select_for_update().get(**lookup)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def template_bytes(agency: Agency, kind: DocType) -> bytes:
    """The agency's newest own template for `kind`, else its parent's, else the default file."""
    codes = agency.lineage
    own = (
        AgencyTemplate.objects.filter(doc_type=kind.code, agency__code__in=codes)
        .select_related("agency")
        .order_by("-agency__path", "-uploaded_at", "-id")
        .first()
    )
    if own is not None:
        return blob_read(own.content_sha256)
    return (DEFAULT_TEMPLATES / f"{kind.code}.docx").read_bytes()


def verify_url(document: Document) -> str:
    return f"{settings.PUBLIC_URL}{reverse('portal:verify-document', args=[document.public_id])}"


def require_complete(kind: DocType, values: dict) -> None:
    """Refuse a document that leaves a field its format requires empty, naming each (no half-filled document is
    ever issued); what only the agency can enter is said to be entered on its page."""
    missing = kind.missing(values)
    if not missing:
        return
    message = _("%(type)s缺少必备内容：%(fields)s，不能出具") % {
        "type": kind.name,
        "fields": "、".join(kind.label(name) for name in missing),
    }
    if set(missing) & {*REMEDY_FIELDS, *PAYMENT_FIELDS}:
        message += _("。复议机关、管辖法院和缴款途径由本机关负责人或者省级系统管理员在机关页面登记")
    raise RuleViolation(message, code="document_incomplete", citation=kind.citation)


def document_issue(
    *,
    actor,
    agency: Agency,
    doc_type_code: str,
    subject: Model | None,
    context: dict,
    issued_on: dt.date,
    supersedes: Document | None = None,
) -> Document:
    """Generate, number, store and ledger one document for `subject`, in the caller's transaction; refused, with
    nothing written, when a field its format requires is empty (require_complete). A correction (`supersedes`, see
    signatures.document_correct) is the next version of that document: same subject and 文号, its own content."""
    kind = doc_type(doc_type_code)
    unknown = set(context) - kind.fields
    if unknown:
        raise ValueError(f"{kind.code} has no fields {sorted(unknown)}")
    require_complete(kind, context)
    with transaction.atomic():
        sequence = _take_number(agency, kind, issued_on.year) if kind.numbered and supersedes is None else None
        document = Document(
            agency=agency,
            doc_type=kind.code,
            year=issued_on.year,
            sequence=sequence,
            number=format_number(agency, kind, issued_on.year, sequence) if sequence else "",
            subject_type=subject._meta.label_lower if supersedes is None else supersedes.subject_type,
            subject_id=str(subject.pk) if supersedes is None else supersedes.subject_id,
            values=json.loads(json.dumps(context, cls=DjangoJSONEncoder)),  # lazy texts and dates as stored
            title=kind.name,
            issued_on=issued_on,
            created_by=actor if getattr(actor, "pk", None) else None,
            docx_sha256="",
            docx_size=0,
        )
        if supersedes is not None:
            document.number, document.version, document.supersedes = (
                supersedes.number,
                supersedes.version + 1,
                supersedes,
            )
        values = (
            {field: "" for field in kind.fields if field not in ("qr", "verify_url")}
            | context
            | {
                "agency_name": agency.name,
                "number": document.number,
                "title": kind.name,
                "date": f"{issued_on.year}年{issued_on.month}月{issued_on.day}日",
            }
        )
        content = render_docx(template_bytes(agency, kind), values, verify_url(document))
        document.docx_sha256 = blob_put(content)
        document.docx_size = len(content)
        document.save()
        correction = {"version": document.version, "supersedes": supersedes.docx_sha256} if supersedes else {}
        ledger_append(
            actor=actor,
            agency=agency,
            action="document.correct" if supersedes else "document.issue",
            subject=document,
            data={
                "type": kind.code,
                "number": document.number,
                "sha256": document.docx_sha256,
                "for": f"{document.subject_type}:{document.subject_id}",
            }
            | correction,
        )
    if pdf_queued_at_issue():
        transaction.on_commit(lambda: _queue_pdf(document))
    return document


_PDFS_ON_REQUEST = contextvars.ContextVar("documents_pdfs_on_request", default=False)


@contextmanager
def pdfs_on_request():
    """Documents issued inside get their PDF when a page first asks for it instead of queued at issue: a bulk load
    (the demo's year issues two thousand) would keep the worker in LibreOffice for an hour after it."""
    token = _PDFS_ON_REQUEST.set(True)
    try:
        yield
    finally:
        _PDFS_ON_REQUEST.reset(token)


def pdf_queued_at_issue() -> bool:
    """Whether a PDF is queued for the background worker when its document is issued (or its report published)."""
    return settings.DOCUMENTS_PDF_IN_BACKGROUND and not _PDFS_ON_REQUEST.get()


def _queue_pdf(document: Document) -> None:
    """Queue the rendering of a document's PDF unless it was queued in the last PDF_REQUEST_SECONDS: the queueing
    at issue and a download asked for before the worker finished then run LibreOffice once between them."""
    source = document.signed_docx_sha256 or document.docx_sha256
    if cache.add(f"documents:pdf:{document.pk}:{source}", 1, timeout=PDF_REQUEST_SECONDS):
        from sanxiang.documents.tasks import render_pdf

        render_pdf(document.pk)


def document_request_pdf(*, document: Document, signed: bool = False) -> Document:
    """Have the background worker render a document's PDF — of the version, or of its copy carrying the signatures
    (`signed`) — once: a request asking again while it renders queues nothing more; returns the document as it now
    is, with its PDF when the worker has already made it. Refused with PdfUnavailable when LibreOffice is not
    installed, rather than leaving the page waiting forever."""
    if document.signed_pdf_sha256 if signed else document.pdf_sha256:
        return document
    office()
    _queue_pdf(document)
    return Document.objects.get(pk=document.pk)


# Each PDF and the DOCX it is made from: the version's own, and the copy carrying its signatures.
PDF_SOURCES = {"pdf_sha256": "docx_sha256", "signed_pdf_sha256": "signed_docx_sha256"}


def document_render_pdf(*, document_id: int) -> Document:
    """Render the PDFs a document lacks, once; each conversion runs outside any transaction (it takes seconds), and a
    signed copy replaced meanwhile by a newer one (another signature) keeps no PDF of the old."""
    document = Document.objects.get(pk=document_id)
    for field, source_field in PDF_SOURCES.items():
        source = getattr(document, source_field)
        if not source or getattr(document, field):
            continue
        digest = blob_put(docx_to_pdf(blob_read(source)))
        with transaction.atomic():
            locked = Document.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document_id)
            if not getattr(locked, field) and getattr(locked, source_field) == source:
                setattr(locked, field, digest)
                locked.save(update_fields=[field])
                ledger_append(
                    actor=None,
                    agency=locked.agency,
                    action="document.pdf",
                    subject=locked,
                    data={"number": locked.number, "sha256": digest}
                    | ({"signed": True} if source_field != "docx_sha256" else {}),
                )
    return Document.objects.select_related("agency").get(pk=document_id)


def template_upload(*, actor, agency: Agency, doc_type_code: str, file_name: str, content: bytes) -> AgencyTemplate:
    """Replace the default Word template of a type for `agency` (and the agencies below it).

    Refused when the file is not a DOCX or uses a field the type does not have (the name is listed).
    """
    kind = doc_type(doc_type_code)
    if len(content) > 5 * 1024 * 1024:
        raise ValidationError(_("模板文件不能超过 5 MB。"), code="template_too_large")
    try:
        used = DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables()
    except Exception as error:  # a broken zip, XML or Jinja syntax: all mean "not a usable template"
        raise ValidationError(
            _("上传的文件不是可用的 Word 模板（DOCX）：%(error)s") % {"error": error}, code="template_invalid"
        ) from None
    unknown = sorted(set(used) - kind.fields)
    if unknown:
        raise ValidationError(
            _("模板使用了“%(type)s”没有的字段：%(fields)s。可用字段：%(allowed)s")
            % {"type": kind.name, "fields": "、".join(unknown), "allowed": "、".join(sorted(kind.fields))},
            code="template_unknown_fields",
        )
    with transaction.atomic():
        template = AgencyTemplate.objects.create(
            agency=agency,
            doc_type=kind.code,
            content_sha256=blob_put(content),
            file_name=file_name[:200],
            uploaded_by=actor,
        )
        ledger_append(
            actor=actor,
            agency=agency,
            action="document.template",
            subject=template,
            data={"type": kind.code, "sha256": template.content_sha256},
        )
    return template
