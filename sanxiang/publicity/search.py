"""Full-text search over published decisions, for Chinese, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Chinese has no spaces, and most queries are two characters (化工, 超标, 扬尘), too short for trigram indexes on
either database. So the text is indexed as overlapping character pairs (哈尔滨 → 哈尔 尔滨) in one column, and as
single characters in another for one-character queries; a query becomes a phrase of its pairs, which matches
exactly the documents containing the query as a substring. The agency, year and kind go into the document as
tokens too, so filters narrow the index lookup itself, and results come newest first by row id, which SQLite reads
backwards and stops early; PostgreSQL does so for common terms only (see _search_postgresql).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, repeat

from django.db import connection, transaction

RECENT = 1000  # newest rows PostgreSQL tests one by one before it asks its GIN index (see _search_postgresql)
SEPARATOR = "qsep"  # breaks phrases between fields; never produced from a query
RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def _runs(text: str) -> list[str]:
    return RUN.findall(text.lower())


def _pairs(run: str) -> list[str]:
    if not run[0].isascii() and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def _party_tokens(party: str) -> tuple[list[list[str]], list[str]]:
    """The party's name as phrases of "p"-marked pairs and "p"-marked single characters: a party filter then
    matches inside the party's name only, in the index itself, however common its words are elsewhere."""
    phrases, singles = [], []
    for run in _runs(party):
        if not run[0].isascii() and len(run) == 1:
            singles.append(f"p{run}")
        else:
            phrases.append([f"p{token}" for token in _pairs(run)])
    return phrases, singles


def document(fields: list[str], filters: dict[str, str], party: str = "") -> tuple[list[str], list[str]]:
    """The two indexed token lists of one publication: character pairs, and single characters."""
    pairs, singles = [], []
    for field in fields:
        for run in _runs(field):
            pairs += _pairs(run)
            singles += list(run) if not run[0].isascii() else [run]
        pairs.append(SEPARATOR)
    for phrase in _party_tokens(party)[0]:
        pairs += [*phrase, SEPARATOR]
    singles += [f"p{character}" for run in _runs(party) if not run[0].isascii() for character in run]
    pairs += [f"{name}{value}".lower() for name, value in filters.items() if value]
    return pairs, singles


def _tsvector(tokens: list[str]) -> str:
    """A tsvector literal with positions (PostgreSQL's limit is 16383), so no text-search parser or locale is
    involved in what gets indexed."""
    # Positions stop at the limit; zipping with them is twice as fast as min() for each token (bulk loads notice).
    positions = chain(range(1, 16383), repeat(16383))
    return " ".join([f"'{token}':{position}" for token, position in zip(tokens, positions)])


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


def parse(text: str, filters: dict[str, str], party: str = "") -> Query:
    phrases, singles = [], []
    for run in _runs(text)[:10]:
        if not run[0].isascii() and len(run) == 1:
            singles.append(run)
        else:
            phrases.append(_pairs(run))
    party_phrases, party_singles = _party_tokens(party[:100])
    return Query(
        phrases + party_phrases,
        singles + party_singles,
        [f"{name}{value}".lower() for name, value in filters.items() if value],
    )


def index(publication_id: int, fields: list[str], filters: dict[str, str], party: str = "") -> None:
    """Put one publication into the index (replacing what was there)."""
    unindex(publication_id)
    index_new(index_rows([(publication_id, fields, filters, party)]))


def index_rows(entries: Iterable[tuple]) -> list[tuple[int, str, str]]:
    """The index rows of publications — (id, fields, filters[, party name]) each — as this database stores them
    (a bulk load builds them in other processes)."""
    rows = []
    for publication_id, fields, filters, *party in entries:
        pairs, singles = document(fields, filters, *party)
        if connection.vendor == "postgresql":
            rows.append((publication_id, _tsvector(pairs), _tsvector(singles)))
        else:
            rows.append((publication_id, " ".join(pairs), " ".join(singles)))
    return rows


def index_new(rows: list[tuple[int, str, str]]) -> None:
    """Put publications that are not in the index yet into it, in one statement (COPY on PostgreSQL, which takes
    a bulk load's rows in a third of the time of as many INSERTs)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY publicity_search (publication_id, pairs, singles) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO publicity_search (rowid, pairs, singles) VALUES (%s, %s, %s)", rows)


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
            return _search_postgresql(cursor, query, before=before, limit=limit)
        parts = [_quoted(" ".join(phrase)) for phrase in query.phrases] + [_quoted(token) for token in query.filters]
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


def _search_postgresql(cursor, query: Query, *, before: int | None, limit: int) -> list[int]:
    """A GIN index finds matches in no particular order, and PostgreSQL's statistics tell how many rows match but
    not where. So the planner either fetches and sorts every match (a million for 环境), or walks the primary key
    backwards testing each row, which reads most of the table when the matches are all years old (a year filter,
    a document number), and it cannot tell which will be cheap. Here the newest RECENT rows are walked first,
    which fills a page of any common term; only if they hold fewer than `limit` matches does the GIN index find
    them all, which are then few or old, and their ids are read from the table's narrow rows (migration 0005).
    The GIN index alone answers which rows hold every pair; whether the pairs stand in order is read from each
    row's tokens, so that is checked on the newest candidates only, until the page is full."""
    filters = [f"'{token}'" for token in query.filters]
    in_order = _all([" <-> ".join(f"'{token}'" for token in phrase) for phrase in query.phrases] + filters)
    anywhere = _all(list(dict.fromkeys(f"'{token}'" for phrase in query.phrases for token in phrase)) + filters)
    singles = _all(f"'{token}'" for token in query.singles)
    bound = [before] if before is not None else []
    below = "publication_id < %s" if bound else "TRUE"

    def matching(pairs: str) -> tuple[str, list[str]]:
        columns = [(column, value) for column, value in (("pairs", pairs), ("singles", singles)) if value]
        return " AND ".join(f"{column} @@ %s::tsquery" for column, _value in columns), [value for _c, value in columns]

    where, params = matching(in_order)
    cursor.execute(
        f"SELECT publication_id FROM (SELECT * FROM publicity_search WHERE {below} ORDER BY publication_id DESC "
        f"LIMIT {RECENT}) recent WHERE {where} ORDER BY publication_id DESC LIMIT %s",
        [*bound, *params, limit],
    )
    ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == limit:
        return ids
    # OFFSET 0 plans the matching rows on their own, so the planner cannot walk the primary key again for the
    # LIMIT; they are sorted, then checked for the phrases one at a time until the page is full. The planner
    # prices that check for every candidate, and above its threshold compiles the query (JIT) for longer than the
    # query then runs.
    where, params = matching(anywhere)
    check = [in_order] if any(len(phrase) > 1 for phrase in query.phrases) else []
    with transaction.atomic():
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"SELECT publication_id FROM (SELECT publication_id FROM (SELECT publication_id FROM publicity_search "
            f"WHERE {where} AND {below} OFFSET 0) matching ORDER BY publication_id DESC) candidate "
            + (
                "WHERE (SELECT pairs FROM publicity_search found WHERE found.publication_id = "
                "candidate.publication_id) @@ %s::tsquery "
                if check
                else ""
            )
            + "ORDER BY publication_id DESC LIMIT %s",
            [*params, *bound, *check, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _all(parts) -> str:
    """A tsquery requiring every part."""
    return " & ".join(f"({part})" for part in parts)
