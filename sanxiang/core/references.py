"""Facts that point at something kept elsewhere, as a page names it: an agency by its code ("issuing_agency":
"230000" reads 黑龙江省生态环境厅（230000）), a record by its type and id ("for": "cases.case:1" reads 案件 and the
case's number, linked to the case for a reader its gate lets open it).

An entry keeps the code or the reference (the ledger cannot follow a rename); the names are looked up when a page
shows the entry (audit.selectors.readable). Each app registers its kinds of record in SUBJECT_PAGES at start-up, so
the page that names them need not import the app.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.core import hooks

# Keys whose value is an agency's code; "subject:key" where the key holds a code for that kind of subject only (a
# case's transfer names the agencies it moved "from" and "to", its suspension the date "from", which no code equals).
AGENCY_KEYS = frozenset({"issuing_agency", "agencies.agency:parent", "cases.case:from", "cases.case:to"})
# A record as an entry refers to it: its subject type and id ("cases.case:1").
REFERENCE = re.compile(r"([a-z_]+\.[a-z_]+):(\d+)")

SUBJECT_PAGES = hooks.registry(
    "core.subject_pages",
    doc='subject type ("cases.case") → SubjectPage (what such a record is called, its access gate and its page), so '
    'a fact that refers to one ("for": "cases.case:1") reads as the record\'s name',
)


@dataclass(frozen=True)
class SubjectPage:
    noun: str  # what a person calls such a record: 案件
    gate: Callable  # its access gate, raising Http404 for a record the reader may not see
    keyword: str  # the gate's id argument: "case_id"
    url: str  # the URL name of the record's page, taking its id


class Named(str):
    """A fact's value read by its name instead of the code or reference the entry holds, with the address of its
    page when the reader may open it (a plain string everywhere else)."""

    url: str

    def __new__(cls, text: str, url: str = ""):
        named = super().__new__(cls, text)
        named.url = url
        return named


def holds_agency(key: str, subject: str = "") -> bool:
    """Whether `key` of an entry about `subject` holds an agency's code."""
    return key in AGENCY_KEYS or f"{subject}:{key}" in AGENCY_KEYS
