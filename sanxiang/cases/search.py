"""The staff's search indexes of cases and of the directory of parties (core/textindex.py).

A case is found by its number, its title and its party's name; a party by its name, its credit code and its
permit number. Each row also holds one token for every agency above and at the one it belongs to (its path's
codes, marked so that no text makes the same token), so "what this user may see" — their agency and everything below it — is one token of the query, answered
by the index itself. The services that write cases and parties keep the rows (every case move, a party's
registration, correction and import); `cases_rebuild` and `parties_rebuild` make them again from the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from sanxiang.cases.models import Case, Party
from sanxiang.core.textindex import Entry, Query, TextIndex, parse, refill, tokens

# Rows of a few short fields: walking the newest 10,000 takes PostgreSQL some 5 ms, and fills a page of any word in
# one row of 200 of a city's (a thirteenth of the province) before the GIN index is asked (bench/search.py).
RECENT = 10_000
CASES = TextIndex("cases_case_search", key="case_id", recent=RECENT)
PARTIES = TextIndex("cases_party_search", key="party_id", recent=RECENT)
LIMIT = 200  # the newest matches a search lists at most; the workbench's case list goes on below them


# The mark of a scope token: a Chinese character before digits, a token no text makes (text gives runs of Chinese
# characters or of letters and digits, never both), so no title or file name can put a row in another's scope.
SCOPE = "域"


def scope(path: str) -> list[str]:
    """The tokens of a row of the agency with this path ("/230000/230100/"): one per agency it sits under."""
    return tokens(**{SCOPE: [code for code in path.split("/") if code]})


def user_scope(user) -> list[str] | None:
    """The token that keeps a query to what `user` sees (Agency.objects.visible_to): none for a superuser, and
    None for a user who sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return []
    if user.agency_id is None:
        return None
    return tokens(**{SCOPE: user.agency.code})


def user_query(user, text: str) -> Query | None:
    """The query of `text` within the user's scope; None when there is nothing to look for or nothing to see."""
    within = user_scope(user)
    query = parse(text, within or [])
    return query if within is not None and query.has_text else None


def found(index: TextIndex, user, text: str, before: int | None = None, limit: int | None = None) -> list[int]:
    """The newest `limit` (LIMIT) ids the index finds for `text` in the user's scope (below `before`)."""
    query = user_query(user, text)
    return index.search(query, before=before, limit=limit or LIMIT) if query else []


@dataclass(frozen=True)
class Page:
    rows: list
    next_before: int | None  # where the next page starts (ids below it); None on the last page


def newest_page(rows: QuerySet, *, index: TextIndex, user, text: str, before: int | None, size: int) -> Page:
    """One page of `rows` (the user's, filtered), newest first, below id `before`; with `text`, of those the index
    finds. The index gives a page of matches and one more at a time (the fewer asked, the sooner PostgreSQL's
    walk of the newest rows has them); when the other filters leave fewer than a page of them, the page is short
    and the next one goes on below the last match looked at, so every match is reached, page by page, however
    rare the rest of the filter."""
    if before is not None:
        rows = rows.filter(pk__lt=before)
    matches = found(index, user, text, before, limit=size + 1) if text else []
    listed = list((rows.filter(pk__in=matches) if text else rows).order_by("-id")[: size + 1])
    if len(listed) > size:
        return Page(listed[:size], listed[size - 1].pk)
    return Page(listed, matches[-1] if len(matches) == size + 1 else None)


def case_entries(values: Iterable[tuple]) -> Iterator[Entry]:
    """Entries of cases given as (id, number, title, party name, agency path)."""
    for case_id, number, title, party, path in values:
        yield Entry(case_id, [number, title, party], scope(path))


def party_entries(values: Iterable[tuple]) -> Iterator[Entry]:
    """Entries of parties given as (id, name, credit code, permit number, agency path)."""
    for party_id, name, uscc, permit, path in values:
        yield Entry(party_id, [name, uscc, permit], scope(path))


CASE_VALUES = ("pk", "number", "title", "party__name", "agency__path")
PARTY_VALUES = ("pk", "name", "uscc", "permit_number", "agency__path")


def cases_index(cases) -> None:
    """Index the cases of a queryset again (a case's move, a party's new name)."""
    CASES.put(case_entries(cases.values_list(*CASE_VALUES)))


def parties_index(parties) -> None:
    """Index the parties of a queryset again, and their cases, which are found by the party's name too: locked
    first, so that a case moving at the same time (which locks it, then indexes it) never writes the old name over
    the new one."""
    PARTIES.put(party_entries(parties.values_list(*PARTY_VALUES)))
    cases = list(Case.objects.select_for_update().filter(party__in=parties).values_list("pk", flat=True))
    cases_index(Case.objects.filter(pk__in=cases))


def cases_rebuild(model=Case, progress=None) -> int:
    """Make the case index again from the table (a migration passes its historical model)."""
    return refill(CASES, model.objects.order_by("pk").values_list(*CASE_VALUES), case_entries, progress)


def parties_rebuild(model=Party, progress=None) -> int:
    """Make the party index again from the table (a migration passes its historical model)."""
    return refill(PARTIES, model.objects.order_by("pk").values_list(*PARTY_VALUES), party_entries, progress)
