"""Reads of the law library: what a citation refers to on a given day, whether it is in force then, searching the
library, and its access gates (the library is public: anyone may read every version and article).

Which version a citation means (docs/domain.md §17): the one its brackets name (a year of publication or entry into
force, or an order number), else the one in force on the day of the act — 《行政处罚法》 of an act of 2020 is the 2017
version, and a citation is read against that version's articles (行政处罚法 2021 art 37: the law in force at the
time of the act applies). With no day, today. A day no version covers reads the latest version begun before it (so
its citation is flagged 已失效) or, before the first, the first (尚未施行).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.core.models import Rule
from sanxiang.core.rules import RuleValue, rule
from sanxiang.laws.citations import Citation, find_citations
from sanxiang.laws.models import Article, InForce, Instrument, InstrumentKind


@dataclass(frozen=True)
class Resolved:
    """A citation read against the library on a day: the version it means (None: not in the library) and, for
    each article it names, the library's entry (None: not collected)."""

    citation: Citation
    instrument: Instrument | None
    articles: tuple[tuple[int, int | None], ...]  # (number, article id or None)
    on: dt.date

    @property
    def status(self) -> str | None:
        """Where the version stands on the day (InForce), or None when the citation is not in the library."""
        return None if self.instrument is None else self.instrument.status_on(self.on)

    @property
    def in_force(self) -> bool:
        return self.status in (None, InForce.IN_FORCE)


class Library:
    """The versions by every name a citation may give them, and the article ids by version and number: read once
    (two queries) and used for every citation of a page."""

    def __init__(self):
        self.by_name: dict[str, list[Instrument]] = {}
        for instrument in Instrument.objects.order_by("effective_from"):
            for name in instrument.names:
                self.by_name.setdefault(name, []).append(instrument)
        self.article_ids = {
            (instrument_id, number): pk
            for pk, instrument_id, number in Article.objects.values_list("pk", "instrument_id", "number")
        }

    def version(self, citation: Citation, on: dt.date) -> Instrument | None:
        versions = self.by_name.get(citation.name, [])
        if citation.years or citation.order_numbers:
            versions = [version for version in versions if _named_by(version, citation)]
        in_force = [version for version in versions if version.status_on(on) == InForce.IN_FORCE]
        begun = [version for version in versions if version.effective_from <= on]
        return (in_force or begun or versions[:1] or [None])[-1]

    def resolve(self, text: str, *, on: dt.date | None = None) -> list[Resolved]:
        on = on or timezone.localdate()
        found = []
        for citation in find_citations(text):
            instrument = self.version(citation, on)
            ids = tuple(
                (number, self.article_ids.get((instrument.pk, number)) if instrument else None)
                for number in citation.numbers
            )
            found.append(Resolved(citation, instrument, ids, on))
        return found


def _named_by(version: Instrument, citation: Citation) -> bool:
    """Whether the brackets of a citation name this version: by a year it was published or took effect, or by its
    order number (（部令第30号） names 生态环境部令第30号)."""
    years = {version.effective_from.year} | ({version.promulgated_on.year} if version.promulgated_on else set())
    return bool(citation.years & years) or any(number in version.document_number for number in citation.order_numbers)


def library() -> Library:
    return Library()


def resolve(text: str, *, on: dt.date | None = None) -> list[Resolved]:
    """Every citation in `text` read against the library on `on` (today if None)."""
    return library().resolve(text, on=on) if "《" in text else []


def citation_in_force(citation: str, *, on: dt.date | None = None) -> bool:
    """Whether every law `citation` names (in the library) is in force on `on` — False flags a rule or reason
    resting on a version repealed by then, or not yet in force. A law the library does not hold is not flagged."""
    return all(found.in_force for found in resolve(citation, on=on))


def instrument_get_for_user(*, user, instrument_id) -> Instrument:
    """A version of a law: public, so anyone may read it and its history."""
    instrument = Instrument.objects.filter(pk=instrument_id).first()
    if instrument is None:
        raise Http404
    return instrument


def article_get(*, article_id: int) -> Article:
    """An article of the library (public)."""
    article = Article.objects.select_related("instrument").filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def versions_of(instrument: Instrument) -> QuerySet[Instrument]:
    """Every version of the same law (sharing its title), newest first."""
    return Instrument.objects.filter(title=instrument.title).order_by("-effective_from")


@dataclass(frozen=True)
class Search:
    instruments: list[Instrument]
    articles: list[Article]


def library_search(*, query: str = "", kind: str = "", status: str = "", on: dt.date | None = None) -> Search:
    """检索: versions whose title, short name or number contains `query`, and articles whose paraphrase or official
    text contains it or that a citation in it names (行政处罚法第五十一条, with or without 《》); `status` keeps the
    versions in force, repealed or not yet in force on `on` (today)."""
    on = on or timezone.localdate()
    query = query.strip().strip("《》")
    head, article, tail = query.partition("第")
    instruments = Instrument.objects.all()
    articles = Article.objects.none()
    if kind in InstrumentKind.values:
        instruments = instruments.filter(kind=kind)
    if query:
        words = Q(title__icontains=query) | Q(short_names__icontains=query) | Q(document_number__icontains=query)
        citations = resolve(f"《{head.strip('《》')}》{article}{tail}", on=on)
        named = [found.instrument.pk for found in citations if found.instrument]
        cited = [pk for found in citations for _number, pk in found.articles if pk]
        articles = Article.objects.filter(
            Q(pk__in=cited) | Q(paraphrase__icontains=query) | Q(official_text__icontains=query)
        )
        instruments = instruments.filter(words | Q(pk__in=named) | Q(pk__in=articles.values("instrument_id")))
    rows = list(instruments.order_by("title", "-effective_from"))
    if status in InForce.values:
        rows = [instrument for instrument in rows if instrument.status_on(on) == status]
    shown = {instrument.pk for instrument in rows}
    hits = [article for article in articles.select_related("instrument")[:100] if article.instrument_id in shown]
    return Search(rows, hits)


@dataclass(frozen=True)
class CitingRule:
    rule: Rule
    in_force: bool


def rules_citing(article: Article, *, on: dt.date | None = None) -> list[CitingRule]:
    """The rules (core.Rule, national and local rows) whose citation names this article, as read on `on`."""
    index = library()
    found = []
    for row in Rule.objects.order_by("key", "agency_code"):
        resolved = index.resolve(row.citation, on=on) if "《" in row.citation else []
        if any(pk == article.pk for item in resolved for _number, pk in item.articles):
            found.append(CitingRule(row, all(item.in_force for item in resolved)))
    return found


@dataclass(frozen=True)
class RuleReading:
    """A rule as it applies to an agency, with its citations read on a day."""

    value: RuleValue
    citations: list[Resolved]

    @property
    def stale(self) -> list[Resolved]:
        """The citations resting on a version not in force that day (repealed, or not yet in force)."""
        return [found for found in self.citations if not found.in_force]

    @property
    def unknown(self) -> list[Resolved]:
        """The citations of a law the library does not hold (a local rule's own regulation, say)."""
        return [found for found in self.citations if found.instrument is None]


def rules_read(*, agency, on: dt.date) -> list[RuleReading]:
    """Every rule as it applies to `agency` (the national value where it has none of its own), with its citations
    read against the library on `on`: the rules list flags a rule whose article is not in force that day."""
    index = library()
    return [
        RuleReading(value, index.resolve(value.citation, on=on))
        for value in (rule(key, agency) for key in Rule.objects.filter(agency_code="").values_list("key", flat=True))
    ]
