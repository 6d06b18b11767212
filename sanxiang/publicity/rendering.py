"""The PDF of a published version: the public text laid out on A4 by LibreOffice, made once and kept as a blob."""

from __future__ import annotations

import io

from django.core.cache import cache
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from sanxiang.core.blobs import blob_exists, blob_put, blob_read
from sanxiang.documents.builder import TITLE_FONT, paragraph
from sanxiang.documents.rendering import PdfUnavailable, docx_to_pdf
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
    """Another request is rendering this PDF right now."""


def version_pdf(publication: Publication, version: PublicationVersion) -> bytes:
    """The PDF bytes; the first request renders them (seconds), later ones read the stored blob. One rendering
    per version at a time, so a crawler asking for many PDFs at once cannot queue LibreOffice on every worker."""
    if version.pdf_sha256 and blob_exists(version.pdf_sha256):
        return blob_read(version.pdf_sha256)
    key = f"publicity:pdf:{version.pk}"
    if not cache.add(key, 1, timeout=300):
        raise PdfRendering
    try:
        content = docx_to_pdf(_docx(publication, version))
        digest = blob_put(content)
        PublicationVersion.objects.filter(pk=version.pk).update(pdf_sha256=digest)  # a rendering, not a record
    finally:
        cache.delete(key)
    return content
