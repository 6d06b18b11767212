"""The security audit log written out for the export: CSV or JSON lines, one event at a time (no database write)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from sanxiang.audit.forwarding import event_dict

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}
FIELDS = [
    "id",
    "time",
    "kind",
    "outcome",
    "channel",
    "user_id",
    "username",
    "agency",
    "remote_address",
    "user_agent",
    "object_type",
    "object_id",
    "detail",
]
# A cell Excel would run as a formula (a user name or a program name typed by anyone) is written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    def write(self, text: str) -> str:
        return text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_chunks(events: Iterable) -> Iterator[str]:
    """UTF-8 with a byte order mark (Excel reads Chinese then), a header, one line per event."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(FIELDS)
    for event in events:
        row = event_dict(event)
        yield writer.writerow([_cell(row[name]) for name in FIELDS])


def jsonl_chunks(events: Iterable) -> Iterator[str]:
    for event in events:
        yield json.dumps(event_dict(event), ensure_ascii=False, sort_keys=True) + "\n"
