"""The PDF of a published version: the public text laid out on A4 by LibreOffice, made once and kept as a blob."""

from __future__ import annotations

import io

from django.core.cache import cache
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from sanxiang.core.blobs import blob_exists, blob_put, blob_read
from sanxiang.documents.builder import TITLE_FONT, paragraph
from sanxiang.documents.rendering import PdfUnavailable, docx_to_pdf, office
from sanxiang.publicity.models import Publication, PublicationVersion

__all__ = ["PdfRendering", "PdfUnavailable", "version_pdf"]


def _docx(publication: Publication, version: PublicationVersion) -> bytes:
    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    paragraph(document, publication.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    paragraph(document, publication.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in version.public_text.splitlines():
        paragraph(document, line)
    paragraph(document, f"公开文本第{version.number}版 · SHA-256 {version.public_sha256}", size=8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class PdfRendering(RuntimeError):
    """The background worker is rendering this PDF; ask again in a moment."""


def version_pdf(publication: Publication, version: PublicationVersion) -> bytes:
    """The PDF bytes once the background worker has made them; until then the rendering is queued (once per version
    however many visitors ask, so a crawler cannot queue LibreOffice again and again) and PdfRendering raised.
    LibreOffice never runs in a request."""
    if version.pdf_sha256 and blob_exists(version.pdf_sha256):
        return blob_read(version.pdf_sha256)
    office()
    if cache.add(f"publicity:pdf:{version.pk}", 1, timeout=600):
        from sanxiang.publicity.tasks import render_version_pdf

        render_version_pdf(version.pk)
    digest = PublicationVersion.objects.filter(pk=version.pk).values_list("pdf_sha256", flat=True).first()
    if digest and blob_exists(digest):  # made already: the worker runs tasks at once in the demo and the tests
        return blob_read(digest)
    raise PdfRendering


def version_pdf_render(*, version_id: int) -> None:
    """Render and keep a published version's PDF (the background worker's part of version_pdf)."""
    version = PublicationVersion.objects.select_related("publication").get(pk=version_id)
    if version.pdf_sha256 and blob_exists(version.pdf_sha256):
        return
    digest = blob_put(docx_to_pdf(_docx(version.publication, version)))
    PublicationVersion.objects.filter(pk=version.pk).update(pdf_sha256=digest)  # a rendering, not a record
