from collections.abc import Callable
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import User
from sanxiang.agencies.selectors import can_manage
from sanxiang.audit.models import Kind
from sanxiang.audit.services import audit_record
from sanxiang.core.blobs import blob_read
from sanxiang.core.forms import run_service
from sanxiang.documents import selectors
from sanxiang.documents.forms import CorrectionForm, RefusalForm, SignatureForm
from sanxiang.documents.models import TYPE_CHOICES, AgencyTemplate
from sanxiang.documents.pdfs import PdfRendering
from sanxiang.documents.rendering import PdfUnavailable
from sanxiang.documents.services import document_request_pdf, template_upload
from sanxiang.documents.services.signatures import (
    SIGNATURE,
    document_correct,
    signature_add,
    signature_refusal_record,
)
from sanxiang.documents.types import TYPES, doc_type
from sanxiang.documents.types.signers import SIGNERS

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def download(request, document_id: int, kind: str, signed: bool = False):
    """A document's DOCX or PDF for staff of its agency — the version, or its copy carrying the signatures (`signed`).
    A PDF not yet made is queued for the background worker and the page says it is being made, reloading itself
    until it is there (LibreOffice never runs in a request)."""
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    fields = (
        {"docx": "signed_docx_sha256", "pdf": "signed_pdf_sha256"}
        if signed
        else {"docx": "docx_sha256", "pdf": "pdf_sha256"}
    )
    if signed and not document.signed_docx_sha256:
        raise Http404
    if kind == "pdf" and not getattr(document, fields["pdf"]):
        try:
            document = document_request_pdf(document=document, signed=signed)
        except PdfUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        if not getattr(document, fields["pdf"]):
            response = render(request, "documents/pdf_pending.html", {"document": document}, status=202)
            response["Retry-After"] = "5"
            return response
    digest = getattr(document, fields[kind])
    audit_record(
        kind=Kind.DOCUMENT_DOWNLOAD,
        request=request,
        agency=document.agency,
        subject=document,
        detail={"format": kind, "number": document.number, "sha256": digest},
    )
    response = HttpResponse(blob_read(digest), content_type=CONTENT_TYPES[kind])
    name = (document.number or f"{document.title}-{document.pk}").replace("/", "-") + ("-签名" if signed else "")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{kind}"
    return response


def kept_pdf_response(request, make: Callable[[], bytes], *, filename: str, layout: str, back: str) -> HttpResponse:
    """A kept PDF (documents.pdfs, `make` fetching it) shown inline as `filename`; while the worker makes it, or
    without LibreOffice, a page in `layout` saying so (503 with Retry-After, reloading itself while it renders) with a
    link `back` to the record's page."""
    try:
        content = make()
    except (PdfUnavailable, PdfRendering) as error:
        context = {
            "error": str(error) or _("PDF 正在生成，本页将自动刷新。"),
            "rendering": isinstance(error, PdfRendering),
            "layout": layout,
            "back": back,
        }
        response = render(request, "documents/pdf_unavailable.html", context, status=503)
        response["Retry-After"] = "30"
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class TemplateForm(forms.Form):
    doc_type = forms.ChoiceField(label=gettext_lazy("文书种类"), choices=TYPE_CHOICES)
    file = forms.FileField(label=gettext_lazy("Word 模板（.docx）"))


def templates(request):
    """The document types with their fields; administrators upload their agency's own Word templates."""
    agency = request.user.agency
    may_upload = agency is not None and can_manage(request.user, agency)
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(_("只有系统管理员可以更换文书模板。"))
        done = run_service(
            form,
            lambda data: template_upload(
                actor=request.user,
                agency=agency,
                doc_type_code=data["doc_type"],
                file_name=data["file"].name,
                content=data["file"].read(MAX_TEMPLATE_BYTES + 1),
            ),
        )
        if done:
            messages.success(request, _("已更换模板，本机关及下级机关此后生成的文书使用新模板。"))
            return redirect("documents:templates")
    context = {
        "types": TYPES.values(),
        "form": form,
        "may_upload": may_upload,
        "own": AgencyTemplate.objects.filter(agency=agency) if agency else [],
    }
    return render(request, "documents/templates.html", context)


MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def sign(request, document_id: int):
    """现场签名: the version to sign (its fields, its SHA-256, its files), what it still lacks, and a pad on which the
    principal, the officers or a witness sign on the officer's phone — or the principal's refusal, with a witness;
    and the correction of the record, a new version to sign anew. Only the act's officers are offered these."""
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    signers = SIGNERS.get(document.doc_type)
    if signers is None:
        raise Http404
    officers = selectors.officers_of(document)
    queryset = User.objects.filter(pk__in=[officer.pk for officer in officers])
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    shown = {"version_sha256": document.docx_sha256}  # the version on this page is the one signed
    signature_form = SignatureForm(
        posted if which == "sign" else None, initial=shown, principal=signers.principal, officers=queryset
    )
    refusal_form = RefusalForm(posted if which == "refuse" else None, initial=shown)
    correction_form = CorrectionForm(posted if which == "correct" else None, document=document)
    if which == "correct":
        corrected = run_service(
            correction_form,
            lambda _data: document_correct(actor=request.user, document=document, changes=correction_form.changes()),
        )
        if corrected:
            messages.success(
                request,
                _("已生成更正后的第 %(n)d 版，原版本及其签名保留；请在新版本上重新签名。") % {"n": corrected.version},
            )
            return redirect("documents:sign", corrected.pk)
    if which == "sign":
        done = run_service(
            signature_form,
            lambda data: signature_add(actor=request.user, document=document, **data),
        )
    elif which == "refuse":
        done = run_service(
            refusal_form,
            lambda data: signature_refusal_record(actor=request.user, document=document, **data),
        )
    else:
        done = None
    if done:
        messages.success(request, _("已记录签名。"))
        return redirect("documents:sign", document.pk)
    kind = doc_type(document.doc_type)
    context = {
        "document": document,
        "state": selectors.signing_state(document),
        "preview": [(kind.label(name), value) for name, value in document.values.items() if value],
        "signature_form": signature_form,
        "refusal_form": refusal_form,
        "correction_form": correction_form,
        # the service's two checks: an officer's move, taken by one of the act's own officers
        "signs": SIGNATURE.permits(request.user, document.agency, "add")
        and selectors.is_act_officer(request.user, officers),
    }
    return render(request, "documents/sign.html", context)
