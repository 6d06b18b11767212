"""The security audit log written out for the export: CSV or JSON lines, one event at a time (no database write)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sanxiang.audit.forwarding import event_dict
from sanxiang.core.csvlines import csv_lines

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


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def csv_chunks(events: Iterable) -> Iterator[str]:
    """UTF-8 with a byte order mark (Excel reads Chinese then), a header, one line per event."""
    return csv_lines(FIELDS, ([_cell(row[name]) for name in FIELDS] for row in map(event_dict, events)))


def jsonl_chunks(events: Iterable) -> Iterator[str]:
    for event in events:
        yield json.dumps(event_dict(event), ensure_ascii=False, sort_keys=True) + "\n"
