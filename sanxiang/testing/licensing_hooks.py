"""A stand-in for the handlers higher apps register on licensing's hooks, for tests that grant a licence before
(or without) publicity's handler: the hook is required, so a grant with no handler is an installation error."""

from __future__ import annotations

from contextlib import contextmanager

from sanxiang.licensing import hooks


@contextmanager
def decisions_heard():
    """Yield the list every `licensing.decision_issued` call is appended to while the block runs."""
    heard: list[dict] = []

    def handler(**facts):
        heard.append(facts)

    hooks.decision_issued._handlers.append(handler)
    try:
        yield heard
    finally:
        hooks.decision_issued._handlers.remove(handler)
