"""The PDF of a record that never changes once public (a published decision's version, a published annual report):
laid out by LibreOffice in the background worker once, kept as a content-addressed blob with its SHA-256 on the
record. A request never runs LibreOffice: it gets the PDF, or PdfRendering while the worker makes it, or
PdfUnavailable when LibreOffice is missing."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import models

from sanxiang.core.blobs import blob_exists, blob_put, blob_read
from sanxiang.documents.rendering import PdfUnavailable, docx_to_pdf, office

__all__ = ["PdfRendering", "PdfUnavailable", "kept_pdf", "kept_pdf_render", "queue_once"]

QUEUED_SECONDS = 600


class PdfRendering(RuntimeError):
    """The background worker is rendering this PDF; ask again in a moment."""


def queue_once(key: str, queue: Callable[[], None]) -> None:
    """Queue a rendering unless `key` queued one in the last QUEUED_SECONDS, so that however many visitors ask (a
    crawler among them) LibreOffice runs once."""
    if cache.add(key, 1, timeout=QUEUED_SECONDS):
        queue()


def _stored(record: models.Model, field: str) -> bytes | None:
    digest = getattr(record, field)
    return blob_read(digest) if digest and blob_exists(digest) else None


def kept_pdf(record: models.Model, *, key: str, queue: Callable[[], None], field: str = "pdf_sha256") -> bytes:
    """The PDF bytes once the background worker has made them; until then the rendering is queued (queue_once) and
    PdfRendering raised."""
    content = _stored(record, field)
    if content is not None:
        return content
    office()
    queue_once(key, queue)
    # made already when the worker runs tasks at once, as in the demo and the tests
    fresh = type(record).objects.only(field).get(pk=record.pk)
    content = _stored(fresh, field)
    if content is None:
        raise PdfRendering
    return content


def kept_pdf_render(record: models.Model, docx: Callable[[], bytes], *, field: str = "pdf_sha256") -> None:
    """Render `docx()` to PDF and keep it, unless kept already (the background worker's part of kept_pdf)."""
    if _stored(record, field) is not None:
        return
    digest = blob_put(docx_to_pdf(docx()))
    type(record).objects.filter(pk=record.pk).update(**{field: digest})  # a rendering, not a change of the record
