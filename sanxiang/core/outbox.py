"""Outbox delivery shared by the apps that tell people things (licensing's applicants, publicity's subscribers).

A move writes its notice as an outbox row in its own transaction; once that transaction commits, the notifier an
app names in a setting (a class with `send(row) -> None` that raises to report a failure) sends each row, and the
row records the time it went or why it did not. Each app keeps its own rows, its own notifier interface and the
logging default of the embedded installation; this module only loads the configured class and records the outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.utils import timezone
from django.utils.module_loading import import_string


@cache
def notifier_at(path: str):
    """One instance of the notifier class at `path` (a setting, checked at start-up to be a dotted name)."""
    return import_string(path)()


def deliver(rows: Iterable, notifier) -> int:
    """Send each unsent row through `notifier` and record `sent_at` or `error` on it; returns how many went. A
    gateway's failure is recorded on the row, never raised to whoever caused the notice."""
    sent = 0
    for row in rows:
        try:
            notifier.send(row)
        except Exception as error:
            row.error = str(error)[:200]
        else:
            row.sent_at, row.error = timezone.now(), ""
            sent += 1
        row.save(update_fields=["sent_at", "error"])
    return sent
