"""The PDF of a published version: the public text laid out on A4 by LibreOffice, made once and kept as a blob
(documents.pdfs)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from sanxiang.documents.builder import TITLE_FONT, a4, docx_bytes, paragraph
from sanxiang.documents.pdfs import kept_pdf, kept_pdf_render
from sanxiang.publicity.models import Publication, PublicationVersion


def _docx(publication: Publication, version: PublicationVersion) -> bytes:
    document = a4()
    paragraph(document, publication.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    paragraph(document, publication.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in version.public_text.splitlines():
        paragraph(document, line)
    paragraph(document, f"公开文本第{version.number}版 · SHA-256 {version.public_sha256}", size=8)
    return docx_bytes(document)


def version_pdf(publication: Publication, version: PublicationVersion) -> bytes:
    """The PDF bytes once the background worker has made them (documents.pdfs.PdfRendering until then). LibreOffice
    never runs in a request."""
    from sanxiang.publicity.tasks import render_version_pdf

    return kept_pdf(version, key=f"publicity:pdf:{version.pk}", queue=lambda: render_version_pdf(version.pk))


def version_pdf_render(*, version_id: int) -> None:
    """Render and keep a published version's PDF (the background worker's part of version_pdf)."""
    version = PublicationVersion.objects.select_related("publication").get(pk=version_id)
    kept_pdf_render(version, lambda: _docx(version.publication, version))
