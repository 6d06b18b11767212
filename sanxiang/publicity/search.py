"""Full-text search over published decisions, for Chinese, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Chinese has no spaces, and most queries are two characters (化工, 超标, 扬尘), too short for trigram indexes on
either database. So the text is indexed as overlapping character pairs (哈尔滨 → 哈尔 尔滨) in one column, and as
single characters in another for one-character queries; a query becomes a phrase of its pairs, which matches
exactly the documents containing the query as a substring. The agency, year and kind go into the document as
tokens too, so filters narrow the index lookup itself, and results come newest first by row id, which both
databases can read backwards and stop early.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.db import connection

SEPARATOR = "qsep"  # breaks phrases between fields; never produced from a query
RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def _runs(text: str) -> list[str]:
    return RUN.findall(text.lower())


def _pairs(run: str) -> list[str]:
    if not run[0].isascii() and len(run) > 1:
        return [run[i:i + 2] for i in range(len(run) - 1)]
    return [run]


def document(fields: list[str], filters: dict[str, str]) -> tuple[list[str], list[str]]:
    """The two indexed token lists of one publication: character pairs, and single characters."""
    pairs, singles = [], []
    for field in fields:
        for run in _runs(field):
            pairs += _pairs(run)
            singles += list(run) if not run[0].isascii() else [run]
        pairs.append(SEPARATOR)
    pairs += [f"{name}{value}".lower() for name, value in filters.items() if value]
    return pairs, singles


def _tsvector(tokens: list[str]) -> str:
    """A tsvector literal with positions (PostgreSQL's limit is 16383), so no text-search parser or locale is
    involved in what gets indexed."""
    return " ".join(f"'{token}':{min(position, 16383)}" for position, token in enumerate(tokens, start=1))


def filters(*, agency: str = "", year: int | None = None, kind: str = "", violation: str = "") -> dict[str, str]:
    """The filter tokens of a document or a query. A violation type is free text (imported records bring their
    own wording), so it becomes a short digest of its exact name."""
    digest = hashlib.sha256(violation.encode()).hexdigest()[:12] if violation else ""
    return {"a": agency, "y": str(year or ""), "k": kind, "v": digest}


@dataclass(frozen=True)
class Query:
    """A parsed query: phrases of pairs, single characters, and filter tokens, all required."""

    phrases: list[list[str]]
    singles: list[str]
    filters: list[str]

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.singles or self.filters)


def parse(text: str, filters: dict[str, str]) -> Query:
    phrases, singles = [], []
    for run in _runs(text)[:10]:
        if not run[0].isascii() and len(run) == 1:
            singles.append(run)
        else:
            phrases.append(_pairs(run))
    return Query(phrases, singles, [f"{name}{value}".lower() for name, value in filters.items() if value])


def index(publication_id: int, fields: list[str], filters: dict[str, str]) -> None:
    """Put one publication into the index (replacing what was there)."""
    unindex(publication_id)
    pairs, singles = document(fields, filters)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("INSERT INTO publicity_search (publication_id, pairs, singles) VALUES "
                           "(%s, %s::tsvector, %s::tsvector)", [publication_id, _tsvector(pairs), _tsvector(singles)])
        else:
            cursor.execute("INSERT INTO publicity_search (rowid, pairs, singles) VALUES (%s, %s, %s)",
                           [publication_id, " ".join(pairs), " ".join(singles)])


def unindex(publication_id: int) -> None:
    column = "publication_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM publicity_search WHERE {column} = %s", [publication_id])


def _quoted(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def search(query: Query, *, before: int | None, limit: int) -> list[int]:
    """Ids of matching publications, newest first, below `before` (keyset pagination)."""
    if query.empty:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pairs = [" <-> ".join(f"'{token}'" for token in phrase) for phrase in query.phrases] + [
                f"'{token}'" for token in query.filters]
            pairs_query = " & ".join(f"({part})" for part in pairs)
            singles_query = " & ".join(f"'{token}'" for token in query.singles)
            where, params = [], []
            if pairs_query:
                where.append("pairs @@ %s::tsquery")
                params.append(pairs_query)
            if singles_query:
                where.append("singles @@ %s::tsquery")
                params.append(singles_query)
            if before is not None:
                where.append("publication_id < %s")
                params.append(before)
            cursor.execute(f"SELECT publication_id FROM publicity_search WHERE {' AND '.join(where)} "
                           "ORDER BY publication_id DESC LIMIT %s", [*params, limit])
        else:
            parts = [_quoted(" ".join(phrase)) for phrase in query.phrases] + [
                _quoted(token) for token in query.filters]
            match = " AND ".join(
                ([f"pairs : ({' AND '.join(parts)})"] if parts else [])
                + ([f"singles : ({' AND '.join(_quoted(token) for token in query.singles)})"] if query.singles else [])
            )
            sql = "SELECT rowid FROM publicity_search WHERE publicity_search MATCH %s"
            params = [match]
            if before is not None:
                sql += " AND rowid < %s"
                params.append(before)
            cursor.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]
