"""Test helpers for the ledger: an in-memory tree built with the same functions the database log uses."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test import override_settings

from sanxiang.ledger import merkle


class MemoryTree:
    def __init__(self, leaves: list[bytes]):
        self.leaves = leaves
        self.nodes: dict[tuple[int, int], bytes] = {}
        frontier: list[bytes] = []
        for index, leaf in enumerate(leaves):
            for level, node_index, digest in merkle.append_to_frontier(frontier, index, merkle.leaf_hash(leaf)):
                self.nodes[(level, node_index)] = digest

    def root(self, size: int) -> bytes:
        return merkle.EMPTY_ROOT if size == 0 else merkle.range_hash(0, size, self.nodes)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return [merkle.range_hash(low, high, self.nodes) for low, high in merkle.inclusion_ranges(index, size)]

    def consistency(self, first: int, second: int) -> list[bytes]:
        return [merkle.range_hash(low, high, self.nodes) for low, high in merkle.consistency_ranges(first, second)]


@contextmanager
def append_only_enforced():
    """Switch the ledger's append-only triggers back on for this block (the suite normally relaxes them)."""
    with override_settings(LEDGER_TEST_RESET=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL sanxiang.ledger_test_reset = 'off'")
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL sanxiang.ledger_test_reset = 'on'")


@contextmanager
def triggers_dropped():
    """Simulate someone with direct database access: remove the append-only triggers inside the test."""
    tables = ["ledger_entry", "ledger_node", "ledger_checkpoint"]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    yield
