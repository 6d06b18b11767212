"""The portal's front pages (no login, only published facts): the home page, the officers and agency pages, and the
checks behind the QR codes of certificates (执法证) and documents."""

import hashlib
import io
import re

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import certificate_public_lookup, officers_public
from sanxiang.documents.selectors import document_public
from sanxiang.portal.pages import LIST_SECONDS, kept_response, render_page
from sanxiang.publicity.selectors import public_search
from sanxiang.review.catalogue import catalogue_for


@login_not_required
@require_GET
def home(request):
    """Kept as rendered for LIST_SECONDS at most, and dropped by every publication event (portal.pages)."""
    return kept_response(
        request,
        lambda: render_page(
            "portal/home.html",
            {"agencies": _portal_agencies(), "latest": public_search(limit=8)},
            lifetime=LIST_SECONDS,
        ),
    )


def _portal_agencies():
    return Agency.objects.filter(is_active=True).select_related("parent")


@login_not_required
@require_GET
def officers(request):
    return render(request, "portal/officers.html", {"agencies": _portal_agencies()})


@login_not_required
@require_GET
def agency(request, code: str):
    agency = get_object_or_404(Agency, code=code, is_active=True)
    catalogue = catalogue_for(agency)
    context = {
        "agency": agency,
        "certificates": officers_public(agency=agency, today=timezone.localdate()),
        "windows": agency.service_windows.all(),
        # 重大执法决定法制审核目录清单 is pre-disclosure information (黑环发〔2019〕112号 三(三)2).
        "catalogue": catalogue,
        "catalogue_owner": Agency.objects.filter(code=catalogue[0].agency_code).first() if catalogue else None,
    }
    return render(request, "portal/agency.html", context)


@login_not_required
@require_GET
def verify_form(request):
    number = request.GET.get("number", "").strip().upper()
    if number and CERTIFICATE_NUMBER.fullmatch(number):
        return redirect("portal:verify-officer", number)
    return render(
        request, "portal/verify_form.html", {"number": number, "invalid": bool(number)}, status=400 if number else 200
    )


CERTIFICATE_NUMBER = re.compile(r"[0-9A-Z]{4,30}")


@login_not_required
@require_GET
def verify_officer(request, number: str):
    try:
        certificate = certificate_public_lookup(number)
    except Http404:
        return render(request, "portal/verify_unknown.html", {"number": number}, status=404)
    today = timezone.localdate()
    context = {"certificate": certificate, "status": certificate.status_on(today), "today": today}
    return render_published(template="portal/verify_officer.html", context=context, facts=(certificate, today))


def render_published(*, template: str, context: dict, facts) -> HttpResponse:
    """Render a page that is a pure function of published `facts`, caching the HTML under a hash of them.

    A changed fact (a revocation, a new day) is a different key, so a cached page is never stale and nothing has to
    be invalidated. Rendered without the request: such pages carry no session, CSRF token or messages.
    """
    digest = hashlib.sha256(repr((template, facts, get_language())).encode()).hexdigest()
    key = f"portal:page:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context)
        cache.set(key, html, timeout=3600)
    return HttpResponse(html)


@login_not_required
@require_GET
def verify_officer_qr(request, number: str, kind: str):
    """QR code to print on the certificate; it opens the public check page for this number."""
    certificate = certificate_public_lookup(number)
    path = reverse("portal:verify-officer", args=[certificate.number])
    url = f"{settings.PUBLIC_URL}{path}"
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind=kind, scale=8, border=2)
    content_type = "image/svg+xml" if kind == "svg" else "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def verify_document(request, public_id):
    """The page behind a document's QR code: its number, date, issuing agency and SHA-256, nothing personal."""
    return render(request, "portal/verify_document.html", {"document": document_public(public_id)})
