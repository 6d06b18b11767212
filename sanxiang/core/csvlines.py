"""CSV written line by line for a download that Excel opens (pure: no database).

UTF-8 with a byte order mark, which Excel needs to read Chinese; a cell that Excel would run as a formula (text typed
by anyone: a party's name, a user name, a program name) is written with a leading apostrophe, so it stays text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """csv.writer's target: hands each written line back instead of keeping it."""

    def write(self, text: str) -> str:
        return text


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[str]]) -> Iterator[str]:
    """The byte order mark and the header, then one line per row, each cell kept as text."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_text(value) for value in row])
