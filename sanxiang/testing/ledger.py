"""Test helpers for the ledger: an in-memory tree built with the same functions the database log uses, and the
root of RFC 9162 written out as the RFC defines it, to compare against."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

from django.db import connection

from sanxiang.ledger import merkle, triggers


class MemoryTree:
    def __init__(self, leaves: list[bytes]):
        self.leaves = leaves
        self.nodes: dict[tuple[int, int], bytes] = {}
        frontier: list[bytes] = []
        for index, leaf in enumerate(leaves):
            for level, node_index, digest in merkle.append_to_frontier(frontier, index, merkle.leaf_hash(leaf)):
                self.nodes[(level, node_index)] = digest

    def root(self, size: int) -> bytes:
        return merkle.empty_root() if size == 0 else merkle.range_hash(0, size, self.nodes)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return [merkle.range_hash(low, high, self.nodes) for low, high in merkle.inclusion_ranges(index, size)]

    def consistency(self, first: int, second: int) -> list[bytes]:
        return [merkle.range_hash(low, high, self.nodes) for low, high in merkle.consistency_ranges(first, second)]


def relax_triggers(connection) -> None:
    """The suite empties every table between tests, the ledger's included, so its test database starts without
    the append-only triggers; the tests about them put them back with `append_only_enforced`."""
    triggers.remove(connection)


@contextmanager
def append_only_enforced():
    """The ledger's triggers, as in production, for this block (inside the test's transaction, so undone after)."""
    triggers.install(connection)
    yield
    triggers.remove(connection)


@contextmanager
def triggers_dropped():
    """Simulate someone with direct database access: remove the append-only triggers inside the test."""
    triggers.remove(connection)
    yield


def reference_root(leaves: list[bytes], algorithm: str = "sha256") -> bytes:
    """MTH(D[n]) exactly as written in RFC 9162 §2.1.1, with the hash named (hashlib's own, not merkle's)."""
    digest = lambda data: hashlib.new(algorithm, data).digest()  # noqa: E731 - the RFC's HASH()
    if not leaves:
        return digest(b"")
    if len(leaves) == 1:
        return digest(b"\x00" + leaves[0])
    k = merkle.largest_power_of_two_below(len(leaves))
    return digest(b"\x01" + reference_root(leaves[:k], algorithm) + reference_root(leaves[k:], algorithm))


def rewrite_entry(index: int, body: bytes) -> None:
    """What an attacker with write access to the database does: replace an entry's body and recompute every tree
    node and the log head from the entries, so that the tree agrees with the forged entry."""
    from sanxiang.ledger.models import Entry, LogHead, Node

    triggers.remove(connection)
    Entry.objects.filter(index=index).update(body=body)
    frontier: list[bytes] = []
    bodies = Entry.objects.order_by("index").values_list("index", "body")
    for position, (entry_index, entry_body) in enumerate(bodies):
        for level, node_index, digest in merkle.append_to_frontier(frontier, position, merkle.leaf_hash(entry_body)):
            if entry_index >= index:
                Node.objects.filter(position=merkle.position(level, node_index)).update(hash=digest)
    LogHead.objects.filter(pk=1).update(frontier=b"".join(frontier))


def emptied_log() -> None:
    """A log with no entries, as a new installation's (the suite's database carries the migrations' entries): what a
    test of a log created in 国密 mode starts from."""
    from sanxiang.ledger.models import Checkpoint, Cosignature, Entry, LogHead, Node, Timestamp

    for model in (Cosignature, Timestamp, Checkpoint, Node, Entry):
        model.objects.all().delete()
    LogHead.objects.filter(pk=1).update(size=0, frontier=b"")


@contextmanager
def gm_log(settings, key_file):
    """The settings and the process of a log created in 国密 mode (SM3 tree, SM2 key in `key_file`) for this block."""
    settings.LEDGER_HASH, settings.LEDGER_SIGNATURE = "sm3", "sm2"
    settings.LEDGER_KEY_FILE = key_file
    previous = merkle.use("sm3")  # the whole process, as the ledger app sets it: the live server's threads too
    try:
        yield
    finally:
        merkle.use(previous)
