from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.selectors import can_manage
from sanxiang.audit.models import Kind
from sanxiang.audit.services import audit_record
from sanxiang.core.blobs import blob_read
from sanxiang.core.forms import run_service
from sanxiang.documents import selectors
from sanxiang.documents.models import TYPE_CHOICES, AgencyTemplate
from sanxiang.documents.rendering import PdfUnavailable
from sanxiang.documents.services import document_request_pdf, template_upload
from sanxiang.documents.types import TYPES

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def download(request, document_id: int, kind: str):
    """A document's DOCX or PDF for staff of its agency. A PDF not yet made is queued for the background worker and
    the page says it is being made, reloading itself until it is there (LibreOffice never runs in a request)."""
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    if kind == "pdf" and not document.pdf_sha256:
        try:
            document = document_request_pdf(document=document)
        except PdfUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        if not document.pdf_sha256:
            response = render(request, "documents/pdf_pending.html", {"document": document}, status=202)
            response["Retry-After"] = "5"
            return response
    digest = document.docx_sha256 if kind == "docx" else document.pdf_sha256
    audit_record(
        kind=Kind.DOCUMENT_DOWNLOAD,
        request=request,
        agency=document.agency,
        subject=document,
        detail={"format": kind, "number": document.number, "sha256": digest},
    )
    response = HttpResponse(blob_read(digest), content_type=CONTENT_TYPES[kind])
    name = (document.number or f"{document.title}-{document.pk}").replace("/", "-")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{kind}"
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
