"""Serving an evidence file with its hash checked on the fly.

The file is streamed in chunks while it is hashed, and the last chunk is held back until the whole file has been
hashed: a file whose bytes no longer match the SHA-256 it was registered with is cut off before its end, so the
client (told the full length up front) sees a broken download, never a complete-looking wrong file. The mismatch
is logged as an error and the agency's administrators and heads are alerted (evidence.hooks.file_corrupted).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterator
from typing import BinaryIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from sanxiang.core.blobs import CHUNK, blob_open
from sanxiang.evidence.hooks import file_corrupted
from sanxiang.evidence.models import EvidenceItem

logger = logging.getLogger("sanxiang.evidence")


class CorruptedEvidence(RuntimeError):
    """A stored evidence file does not have its registered SHA-256; its download was stopped."""


def evidence_alert(*, item: EvidenceItem, found: str) -> None:
    """Log a stored file found corrupted (or missing: `found` is "") and alert the people who look after it."""
    logger.error(
        "evidence file %s (item %s, agency %s) is corrupted: expected sha256 %s, read %s",
        item.original_name,
        item.pk,
        item.agency_id,
        item.sha256,
        found or "nothing (file missing)",
    )
    file_corrupted(item=item, found=found)


def checked_chunks(item: EvidenceItem, source: BinaryIO) -> Iterator[bytes]:
    """The file's bytes in chunks, the last one given only once the whole file has matched its hash."""
    digest = hashlib.sha256()
    with source:
        held = source.read(CHUNK)
        while held:
            digest.update(held)
            following = source.read(CHUNK)
            if not following:
                break
            yield held
            held = following
        if digest.hexdigest() != item.sha256:
            evidence_alert(item=item, found=digest.hexdigest())
            raise CorruptedEvidence(f"evidence item {item.pk}: stored file does not match its SHA-256")
        yield held


def evidence_response(item: EvidenceItem, *, as_attachment: bool) -> HttpResponse:
    """The file as a streamed answer with its length and SHA-256 in the headers (inline to view, or attached)."""
    try:
        source = blob_open(item.sha256)
    except FileNotFoundError:
        evidence_alert(item=item, found="")
        return HttpResponse(_("证据文件缺失，已通知系统管理员。"), status=500, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        checked_chunks(item, source), content_type=item.media_type or "application/octet-stream"
    )
    response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = content_disposition_header(as_attachment, item.original_name)
    response["X-Sanxiang-SHA256"] = item.sha256
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(item.sha256)).decode()}:"  # RFC 9530
    return response
