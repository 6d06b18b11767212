"""Full-text indexes for Chinese, on SQLite (FTS5) and PostgreSQL (tsvector + GIN): published decisions, and the
staff's cases, parties and evidence, each in a table of its own.

Chinese has no spaces, and most queries are two characters (化工, 超标, 扬尘), too short for trigram indexes on
either database. So the text is indexed as overlapping character pairs (哈尔滨 → 哈尔 尔滨) in one column, and as
single characters in another for one-character queries; a query becomes a phrase of its pairs, which matches
exactly the rows containing the query as a substring. Runs of letters and digits (a case number's 2025, a credit
code) are one token each and match whole. Filters go into the row as tokens too (an agency, a year, the agencies
a row is visible to), so they narrow the index lookup itself; results come newest first by row id, which SQLite
reads backwards and stops early; PostgreSQL does so for common terms only (see TextIndex._search_postgresql).

An index is derived data, kept by the services that write its rows; its table has no foreign key, so flushing the
tables it derives from (tests) is never blocked by it. Each app registers its indexes in TEXT_INDEXES with the
function that makes one again from the tables (`sanxiang reindex`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain, repeat

from django.db import connection, transaction

from sanxiang.core.hooks import registry

SEPARATOR = "qsep"  # breaks phrases between fields; never produced from a query
QUERY_RUNS = 10  # words of a query beyond these are ignored: each one is an index lookup
WORD_LIMIT = 100  # characters of a run of letters and digits that are indexed and searched
RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
CHUNK = 2000  # rows a rebuild reads and indexes at a time
TEXT_INDEXES = registry(
    "core.text_indexes",
    doc="Every search index, by its table: a Kept (the index, what it holds, the function that makes it again).",
)


def _runs(text: str) -> list[str]:
    # A run of letters and digits is one token; PostgreSQL refuses a word over 2,047 bytes (a pasted hash dump),
    # and no query reaches past the first WORD_LIMIT characters of one.
    return [run if not run.isascii() else run[:WORD_LIMIT] for run in RUN.findall(text.lower())]


def _pairs(run: str) -> list[str]:
    if not run[0].isascii() and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def _marked(mark: str, text: str) -> tuple[list[list[str]], list[str]]:
    """A field as phrases of `mark`-prefixed pairs and single characters: a query on that field alone (a party's
    name) then matches inside that field only, in the index itself, however common its words are elsewhere."""
    phrases, singles = [], []
    for run in _runs(text):
        if not run[0].isascii() and len(run) == 1:
            singles.append(f"{mark}{run}")
        else:
            phrases.append([f"{mark}{token}" for token in _pairs(run)])
    return phrases, singles


def tokens(**named) -> list[str]:
    """Filter tokens: the name followed by each value given (a list gives one token per value), lowercased."""
    found = []
    for name, values in named.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            if value not in (None, ""):
                found.append(f"{name}{value}".lower())
    return found


@dataclass(frozen=True)
class Entry:
    """What one row of an index holds: free text fields, filter tokens, and fields searchable on their own (by a
    one-letter mark)."""

    key: int
    fields: list[str]
    tokens: list[str] = field(default_factory=list)
    marked: Mapping[str, str] = field(default_factory=dict)

    def columns(self) -> tuple[list[str], list[str]]:
        """The two indexed token lists: character pairs, and single characters."""
        pairs, singles = [], []
        for text in self.fields:
            for run in _runs(text):
                pairs += _pairs(run)
                singles += list(run) if not run[0].isascii() else [run]
            pairs.append(SEPARATOR)
        for mark, text in self.marked.items():
            for phrase in _marked(mark, text)[0]:
                pairs += [*phrase, SEPARATOR]
            singles += [f"{mark}{character}" for run in _runs(text) if not run[0].isascii() for character in run]
        return pairs + self.tokens, singles


@dataclass(frozen=True)
class Query:
    """A parsed query: phrases of pairs, single characters, and filter tokens, all required."""

    phrases: list[list[str]]
    singles: list[str]
    filters: list[str]

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.singles or self.filters)

    @property
    def has_text(self) -> bool:
        return bool(self.phrases or self.singles)


def parse(text: str, filters: Iterable[str] = (), marked: Mapping[str, str] | None = None) -> Query:
    phrases, singles = [], []
    for run in _runs(text)[:QUERY_RUNS]:
        if not run[0].isascii() and len(run) == 1:
            singles.append(run)
        else:
            phrases.append(_pairs(run))
    for mark, value in (marked or {}).items():
        marked_phrases, marked_singles = _marked(mark, value[:100])
        phrases += marked_phrases
        singles += marked_singles
    return Query(phrases, singles, list(filters))


def rows_write(table: str, columns: list[str], rows: Iterable[Iterable]) -> None:
    """Many rows in one statement: COPY on PostgreSQL, which takes a bulk load's rows in a third of the time of as
    many INSERTs, and one prepared INSERT executed for each on SQLite."""
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({marks})", rows)


def _tsvector(tokens: list[str]) -> str:
    """A tsvector literal with positions (PostgreSQL's limit is 16383), so no text-search parser or locale is
    involved in what gets indexed."""
    # Positions stop at the limit; zipping with them is twice as fast as min() for each token (bulk loads notice).
    positions = chain(range(1, 16383), repeat(16383))
    return " ".join([f"'{token}':{position}" for token, position in zip(tokens, positions)])


def _quoted(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def _all(parts) -> str:
    """A tsquery requiring every part."""
    return " & ".join(f"({part})" for part in parts)


class TextIndex:
    """One index table: `key` is the id of the row it stands for (the FTS5 rowid on SQLite, a column of that name
    on PostgreSQL); `recent` is how many of the newest rows PostgreSQL tests one by one before it asks its GIN index
    (see _search_postgresql): a row of a few short fields is tested in a fraction of a microsecond, a decision's
    whole text in much more."""

    def __init__(self, table: str, *, key: str = "object_id", recent: int = 1000):
        self.table, self.key, self.recent = table, key, recent

    def create(self, schema_editor) -> None:
        """Make the table (a migration's RunPython)."""
        table = self.table
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TABLE {table} ({self.key} bigint PRIMARY KEY, pairs tsvector NOT NULL, "
                "singles tsvector NOT NULL)"
            )
            schema_editor.execute(f"CREATE INDEX {table}_pairs ON {table} USING gin (pairs)")
            schema_editor.execute(f"CREATE INDEX {table}_singles ON {table} USING gin (singles)")
            # Only the id stays in the table's own pages; the token lists move to TOAST storage, so a search that
            # gathers many older matches reads their ids from narrow rows (see _search_postgresql).
            schema_editor.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 128)")
        else:
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(pairs, singles, "
                "tokenize='unicode61 remove_diacritics 0', detail=full)"
            )

    def drop(self, schema_editor) -> None:
        schema_editor.execute(f"DROP TABLE {self.table}")

    def rows(self, entries: Iterable[Entry]) -> list[tuple[int, str, str]]:
        """The rows of entries as this database stores them (a bulk load builds them in other processes)."""
        rows = []
        postgresql = connection.vendor == "postgresql"
        for entry in entries:
            pairs, singles = entry.columns()
            if postgresql:
                rows.append((entry.key, _tsvector(pairs), _tsvector(singles)))
            else:
                rows.append((entry.key, " ".join(pairs), " ".join(singles)))
        return rows

    def insert(self, rows: list[tuple[int, str, str]]) -> None:
        """Put rows not in the index yet into it."""
        key = self.key if connection.vendor == "postgresql" else "rowid"
        rows_write(self.table, [key, "pairs", "singles"], rows)

    def put(self, entries: Iterable[Entry]) -> None:
        """Index entries, replacing what their keys held. On PostgreSQL one upsert, so that two transactions
        indexing the same row (a party's correction re-indexing its cases while one of them moves) never collide
        on its key; SQLite has one writer at a time."""
        entries = list(entries)
        if connection.vendor != "postgresql":
            self.remove([entry.key for entry in entries])
            self.insert(self.rows(entries))
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.key}, pairs, singles) VALUES (%s, %s, %s) ON CONFLICT ({self.key}) "
                "DO UPDATE SET pairs = EXCLUDED.pairs, singles = EXCLUDED.singles",
                self.rows(entries),
            )

    def remove(self, keys: list[int]) -> None:
        if not keys:
            return
        column = self.key if connection.vendor == "postgresql" else "rowid"
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE {column} IN ({', '.join(['%s'] * len(keys))})", keys)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def search(self, query: Query, *, before: int | None, limit: int) -> list[int]:
        """Keys of the matching rows, newest first, below `before` (keyset pagination)."""
        if query.empty:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                return self._search_postgresql(cursor, query, before=before, limit=limit)
            parts = [_quoted(" ".join(phrase)) for phrase in query.phrases] + [
                _quoted(token) for token in query.filters
            ]
            match = " AND ".join(
                ([f"pairs : ({' AND '.join(parts)})"] if parts else [])
                + ([f"singles : ({' AND '.join(_quoted(token) for token in query.singles)})"] if query.singles else [])
            )
            sql = f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s"
            params = [match]
            if before is not None:
                sql += " AND rowid < %s"
                params.append(before)
            cursor.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _search_postgresql(self, cursor, query: Query, *, before: int | None, limit: int) -> list[int]:
        """A GIN index finds matches in no particular order, and PostgreSQL's statistics tell how many rows match
        but not where. So the planner either fetches and sorts every match (a million for 环境), or walks the
        primary key backwards testing each row, which reads most of the table when the matches are all years old
        (a year filter, a document number), and it cannot tell which will be cheap. Here the newest `recent` rows
        are walked first, which fills a page of any common term; only if they hold fewer than `limit` matches does
        the GIN index find them all, which are then few or old, and their ids are read from the table's narrow
        rows. The GIN index alone answers which rows hold every pair; whether the pairs stand in order is read
        from each row's tokens, so that is checked on the newest candidates only, until the page is full."""
        table, key = self.table, self.key
        filters = [f"'{token}'" for token in query.filters]
        in_order = _all([" <-> ".join(f"'{token}'" for token in phrase) for phrase in query.phrases] + filters)
        anywhere = _all(list(dict.fromkeys(f"'{token}'" for phrase in query.phrases for token in phrase)) + filters)
        singles = _all(f"'{token}'" for token in query.singles)
        bound = [before] if before is not None else []
        below = f"{key} < %s" if bound else "TRUE"

        def matching(pairs: str) -> tuple[str, list[str]]:
            columns = [(column, value) for column, value in (("pairs", pairs), ("singles", singles)) if value]
            where = " AND ".join(f"{column} @@ %s::tsquery" for column, _value in columns)
            return where, [value for _column, value in columns]

        where, params = matching(in_order)
        cursor.execute(
            f"SELECT {key} FROM (SELECT * FROM {table} WHERE {below} ORDER BY {key} DESC "
            f"LIMIT {int(self.recent)}) recent WHERE {where} ORDER BY {key} DESC LIMIT %s",
            [*bound, *params, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) == limit:
            return ids
        # OFFSET 0 plans the matching rows on their own, so the planner cannot walk the primary key again for the
        # LIMIT; they are sorted, then checked for the phrases one at a time until the page is full. The planner
        # prices that check for every candidate, and above its threshold compiles the query (JIT) for longer than
        # the query then runs.
        where, params = matching(anywhere)
        check = [in_order] if any(len(phrase) > 1 for phrase in query.phrases) else []
        with transaction.atomic():
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(
                f"SELECT {key} FROM (SELECT {key} FROM (SELECT {key} FROM {table} "
                f"WHERE {where} AND {below} OFFSET 0) matching ORDER BY {key} DESC) candidate "
                + (
                    f"WHERE (SELECT pairs FROM {table} found WHERE found.{key} = candidate.{key}) @@ %s::tsquery "
                    if check
                    else ""
                )
                + f"ORDER BY {key} DESC LIMIT %s",
                [*params, *bound, *check, limit],
            )
            return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class Kept:
    """An index as registered in TEXT_INDEXES: what it holds (for the operator) and how it is made again."""

    index: TextIndex
    label: str
    rebuild: Callable[..., int]  # (progress=None) → rows indexed


def refill(index: TextIndex, rows, entries: Callable[[list], Iterable[Entry]], progress=None) -> int:
    """Make `index` again from `rows` (a queryset ordered by its key, of instances or of value tuples whose first
    value is the key), CHUNK rows at a time; returns how many rows it indexed. `progress(done, total)`, if given,
    hears after each chunk."""
    index.clear()
    total = rows.count() if progress else 0
    last, count = None, 0
    while chunk := list((rows.filter(pk__gt=last) if last is not None else rows)[:CHUNK]):
        index.insert(index.rows(entries(chunk)))
        last = chunk[-1][0] if isinstance(chunk[-1], tuple) else chunk[-1].pk
        count += len(chunk)
        if progress:
            progress(count, total)
    return count
