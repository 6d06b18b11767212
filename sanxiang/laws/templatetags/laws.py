"""{% cite text %} and {% cite text on=day %}: the text with each citation a link to the article it names in the law
library (to the law's page when the library has the law but not the article), everything else escaped — unless the
text is already safe HTML (the output of urlize, say), which is kept as it is (a citation never spans a tag).

A page anyone may read links to the portal's library, a workbench page to the workbench's (the same pages, so a
party reads the article in one click and an officer stays on the workbench). The version linked is the one in force
on `on` — the day of the act the text is about — or today; a version not in force then is marked (class
"law-stale" and a title saying so). Pages with many citations read the library once (two queries).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from sanxiang.laws.models import InForce
from sanxiang.laws.selectors import Library, Resolved

register = template.Library()

STAFF, PUBLIC = "laws", "public-laws"  # the two instances of the library's pages


def _namespace(request) -> str:
    """The portal's pages for a visitor or a page open to anyone (its view is login_not_required), else the
    workbench's."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return PUBLIC
    return STAFF if getattr(match.func, "login_required", True) else PUBLIC


def _library(request) -> Library:
    """One reading of the library per request."""
    if request is None:
        return Library()
    if not hasattr(request, "_law_library"):
        request._law_library = Library()
    return request._law_library


def _escaper(text: str):
    """Plain text is escaped piece by piece; the pieces of safe HTML stay as they are."""
    return (lambda piece: mark_safe(piece)) if isinstance(text, SafeData) else conditional_escape


def _link(words: SafeString, url: str | None, found: Resolved) -> SafeString:
    if url is None:
        return words
    if found.status in (InForce.REPEALED, InForce.NOT_YET):
        note = _("所引版本%(status)s（%(version)s）") % {
            "status": InForce(found.status).label,
            "version": found.instrument,
        }
        return format_html('<a class="law-stale" href="{}" title="{}">{}</a>', url, note, words)
    return format_html('<a class="law" href="{}">{}</a>', url, words)


def _citation(text: str, found: Resolved, namespace: str, escape) -> list[SafeString]:
    """The words of one citation, each article's words a link to it (the law's name goes with the first)."""
    citation, instrument = found.citation, found.instrument

    def url(name: str, pk: int | None) -> str | None:
        return None if pk is None else reverse(f"laws:{name}", args=[pk], current_app=namespace)

    law = url("instrument", instrument.pk if instrument else None)
    spans = [article for article in citation.articles if article.end > article.start]
    if not spans:
        return [_link(escape(text[citation.start : citation.end]), law, found)]
    ids = dict(found.articles)
    pieces, position = [], citation.start
    for index, article in enumerate(spans):
        start = citation.start if index == 0 else article.start
        pieces.append(escape(text[position:start]))
        target = url("article", ids.get(article.number)) or (law if index == 0 else None)
        pieces.append(_link(escape(text[start : article.end]), target, found))
        position = article.end
    pieces.append(escape(text[position : citation.end]))
    return pieces


@register.simple_tag(takes_context=True)
def cite(context, text, on: dt.date | None = None) -> SafeString:
    text = "" if text is None else str(text)
    if "《" not in text:
        return conditional_escape(text)
    request, escape = context.get("request"), _escaper(text)
    namespace = _namespace(request)
    pieces, position = [], 0
    for found in _library(request).resolve(text, on=on):
        pieces.append(escape(text[position : found.citation.start]))
        pieces += _citation(text, found, namespace, escape)
        position = found.citation.end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece was escaped or built by format_html above


@register.filter
def status_on(instrument, day: dt.date) -> str:
    """Where a version stands on `day` (InForce)."""
    return instrument.status_on(day)
