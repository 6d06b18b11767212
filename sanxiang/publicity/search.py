"""The search index of published decisions (core/textindex.py): every text field of the decision, its party's
name also on its own (a party filter matches inside the name only), and its agency, year, kind and violation type
as filter tokens."""

from __future__ import annotations

import hashlib

from sanxiang.core.textindex import Entry, Query, TextIndex, parse, tokens

INDEX = TextIndex("publicity_search", key="publication_id")
PARTY = "p"  # the mark of the party's name


def filters(*, agency: str = "", year: int | None = None, kind: str = "", violation: str = "") -> list[str]:
    """The filter tokens of a decision or a query. A violation type is free text (imported records bring their own
    wording), so it becomes a short digest of its exact name."""
    digest = hashlib.sha256(violation.encode()).hexdigest()[:12] if violation else ""
    return tokens(a=agency, y=year or "", k=kind, v=digest)


def entry(publication_id: int, fields: list[str], filters: list[str], party: str = "") -> Entry:
    return Entry(publication_id, fields, filters, {PARTY: party})


def query(text: str, filters: list[str], party: str = "") -> Query:
    return parse(text, filters, {PARTY: party})


def unindex(publication_id: int) -> None:
    INDEX.remove([publication_id])


def search(query: Query, *, before: int | None, limit: int) -> list[int]:
    """Ids of matching publications, newest first, below `before` (keyset pagination)."""
    return INDEX.search(query, before=before, limit=limit)
