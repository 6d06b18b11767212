from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.core.blobs import blob_read
from sanxiang.documents import selectors
from sanxiang.documents.services import PdfUnavailable, document_render_pdf

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def download(request, document_id: int, kind: str):
    """A document's DOCX or PDF for staff of its agency (the PDF is rendered on first request if not yet made)."""
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    if kind == "pdf" and not document.pdf_sha256:
        try:
            document = document_render_pdf(document_id=document.pk)
        except PdfUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    digest = document.docx_sha256 if kind == "docx" else document.pdf_sha256
    response = HttpResponse(blob_read(digest), content_type=CONTENT_TYPES[kind])
    name = (document.number or f"{document.title}-{document.pk}").replace("/", "-")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{kind}"
    return response


@login_not_required
@require_GET
def verify(request, public_id):
    """Public page behind a document's QR code: its number, date, issuing agency and SHA-256, nothing personal."""
    return render(request, "documents/verify.html", {"document": selectors.document_public(public_id)})
