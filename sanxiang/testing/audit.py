"""Test helpers for the security audit log: its append-only triggers, as in production, for one block."""

from contextlib import contextmanager

from django.db import connection

from sanxiang.audit import triggers


@contextmanager
def audit_append_only_enforced():
    """The audit log's triggers for this block (inside the test's transaction, so undone after)."""
    triggers.install(connection)
    yield
    triggers.remove(connection)
