"""Portal pages at the speed of static files (公示页面静态化).

A published version's page changes only when its record moves (published, corrected, withdrawn, ended). It is
rendered once — when the move commits, or by the first reader after it — and kept as a blob named by its SHA-256;
a request then costs one indexed query and a file read, and answers with that hash as a strong ETag (a reader who
has it gets 304 without the body). A kept decision page carries the version of the record it was rendered from and
is served only while the record is still at that version, so a page read while a withdrawal commits can never
outlive it. The home page is kept for LIST_SECONDS at most and dropped by every publication event.

Pages are rendered without a request (no session, no CSRF token, no messages): what is kept is what anybody sees.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sanxiang.core.blobs import blob_put, blob_read
from sanxiang.portal.models import KeptPage
from sanxiang.publicity.models import Publication

MAX_AGE = 60  # what a browser or a proxy may reuse without asking; after it, a 304 costs one query
LIST_SECONDS = 60  # a list page (the home page) is counted again at most this long after it was kept


class Page:
    """A page to keep: its HTML, and what it was rendered from."""

    def __init__(self, html: str, *, publication: Publication | None = None, lifetime: int | None = None) -> None:
        self.html, self.publication, self.lifetime = html, publication, lifetime


def kept_response(request, build: Callable[[], Page]) -> HttpResponse:
    """The page kept for this path while it is current; else `build()` renders it (raising Http404 as the view
    would), it is kept, and served."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_lookup(), [request.path, now])
        row = cursor.fetchone()
    if row is not None and row[1] == row[2]:
        digest = row[0]
    else:
        digest = _keep(request.path, build(), now)
    etag = f'"{digest}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}"}
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(blob_read(digest), content_type="text/html; charset=utf-8", headers=headers)


@functools.cache
def _lookup() -> str:
    """The one query of a kept page (written out: the ORM takes longer to build it than the database to answer)."""
    page, publication = KeptPage._meta.db_table, Publication._meta.db_table
    return (
        f"SELECT kept.sha256, kept.publication_version, record.version FROM {page} kept "
        f"LEFT JOIN {publication} record ON record.id = kept.publication_id "
        "WHERE kept.path = %s AND (kept.expires_at IS NULL OR kept.expires_at > %s)"
    )


def render_page(template: str, context: dict, **kept) -> Page:
    return Page(render_to_string(template, context), **kept)


def _keep(path: str, page: Page, now: dt.datetime) -> str:
    digest = blob_put(page.html.encode())
    values = {
        "sha256": digest,
        "publication": page.publication,
        "publication_version": page.publication.version if page.publication else None,
        "expires_at": now + dt.timedelta(seconds=page.lifetime) if page.lifetime else None,
    }
    try:
        with transaction.atomic():
            KeptPage.objects.update_or_create(path=path, defaults=values)
    except IntegrityError:
        pass  # another reader kept the same page at the same moment
    return digest


def public_changed(*, publication_id: int) -> None:
    """Handler of publicity.public_changed, in the move's transaction: the home page is dropped now (the decision
    pages are stale by their version already), and the decision's current page is rendered once it commits, so that
    its first reader does not wait for it."""
    KeptPage.objects.filter(publication__isnull=True).delete()
    transaction.on_commit(lambda: decision_keep(publication_id), robust=True)  # a failure leaves it to the first reader


def decision_keep(publication_id: int) -> None:
    """Render and keep a decision's current page (after its move commits; the benchmark, for the pages it asks)."""
    from sanxiang.portal.views.decisions import decision_page  # the view module imports this one

    try:
        page = decision_page(publication_id, None)
    except Http404:
        return  # ended: no longer on the portal
    _keep(reverse("public:decision", args=[publication_id]), page, timezone.now())
