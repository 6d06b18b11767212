"""The Merkle tree of RFC 9162 §2.1, its proofs and their verification — pure functions, no database.

Storage model: every complete, aligned subtree ("node") is stored once, keyed by its post-order position, so
nodes are written in increasing order as leaves arrive and any proof or root needs O(log n) of them.
A node is (level, index): it covers leaves [index·2^level, (index+1)·2^level).
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
# A log's hash is a tagged property of the log (LogHead.hash_algorithm, each checkpoint's hash_algorithm): SHA-256,
# or SM3 (GB/T 32905-2016) for a log created in 国密 mode. Both give 32 bytes; both come from OpenSSL via hashlib.
HASHES = {"sha256": hashlib.sha256, "sm3": functools.partial(hashlib.new, "sm3")}
_algorithm = "sha256"  # this installation's (SANXIANG_LEDGER_HASH)
_hash = hashlib.sha256
# Another log's hash for the code running in this context only (this thread; `using`): the mirror checking a
# source's proofs, a witness a log's, an archive's reader a bag's — while this installation's own log, in other
# threads, goes on hashing with its own.
_borrowed: contextvars.ContextVar[tuple[str, object] | None] = contextvars.ContextVar("merkle_hash", default=None)


class ProofError(ValueError):
    """A proof that does not verify, or a request for one that cannot exist."""


def use(algorithm: str) -> str:
    """Hash with `algorithm` from now on in this process, every thread that borrows no other (the ledger app sets
    SANXIANG_LEDGER_HASH as it starts; ledger.services refuses to append to a log created with another); the
    algorithm it replaces."""
    global _algorithm, _hash
    previous, (_algorithm, _hash) = _algorithm, (algorithm, HASHES[algorithm])
    return previous


def algorithm() -> str:
    borrowed = _borrowed.get()
    return borrowed[0] if borrowed else _algorithm


@contextlib.contextmanager
def using(algorithm: str):
    """Hash with `algorithm` within the block, in this thread only, then as before."""
    token = _borrowed.set((algorithm, HASHES[algorithm]))
    try:
        yield
    finally:
        _borrowed.reset(token)


def _hasher():
    borrowed = _borrowed.get()
    return borrowed[1] if borrowed else _hash


def leaf_hash(entry: bytes) -> bytes:
    return _hasher()(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _hasher()(NODE_PREFIX + left + right).digest()


def empty_root() -> bytes:
    """The root of the empty tree: the hash of nothing."""
    return _hasher()(b"").digest()


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def position(level: int, index: int) -> int:
    """Post-order position of node (level, index): the order in which an append-only log completes its nodes."""
    last = ((index + 1) << level) - 1
    return 2 * last - last.bit_count() + level


def completed_nodes(index: int) -> int:
    """How many nodes above the leaf become complete when leaf `index` is appended (its trailing one bits)."""
    return (~index & (index + 1)).bit_length() - 1


def append_to_frontier(frontier: list[bytes], size: int, leaf: bytes) -> list[tuple[int, int, bytes]]:
    """Append leaf number `size` to the frontier (the roots of the complete subtrees, left to right) in place.

    Returns the nodes created, as (level, index, hash): the leaf itself and every parent it completes.
    """
    created = [(0, size, leaf)]
    frontier.append(leaf)
    current, level, index = leaf, 0, size
    for _ in range(completed_nodes(size)):
        frontier.pop()
        current = node_hash(frontier.pop(), current)
        level, index = level + 1, index >> 1
        frontier.append(current)
        created.append((level, index, current))
    return created


def root_from_frontier(frontier: Sequence[bytes]) -> bytes:
    if not frontier:
        return empty_root()
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = node_hash(left, root)
    return root


# Proofs are built as lists of leaf ranges [a, b); a range's hash is MTH(D[a:b]) from stored nodes.


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form PATH(index, D[size]) (RFC 9162 §2.1.3.1), from the leaf upwards."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    ranges, low, high = [], 0, size
    while high - low > 1:
        k = largest_power_of_two_below(high - low)
        if index - low < k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form PROOF(first, D[second]) (RFC 9162 §2.1.4.1)."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    ranges, low, high, complete = [], 0, second, True
    while first != high - low:
        k = largest_power_of_two_below(high - low)
        if first <= k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            first, low, complete = first - k, low + k, False
    if not complete:
        ranges.append((low, high))
    return ranges[::-1]


def range_nodes(low: int, high: int) -> list[tuple[int, int]]:
    """The stored nodes (level, index) whose hashes determine MTH(D[low:high])."""
    size = high - low
    if size & (size - 1) == 0 and low % size == 0:
        return [(size.bit_length() - 1, low // size)]
    k = largest_power_of_two_below(size)
    return range_nodes(low, low + k) + range_nodes(low + k, high)


def range_hash(low: int, high: int, nodes: Mapping[tuple[int, int], bytes]) -> bytes:
    size = high - low
    if size & (size - 1) == 0 and low % size == 0:
        return nodes[(size.bit_length() - 1, low // size)]
    k = largest_power_of_two_below(size)
    return node_hash(range_hash(low, low + k, nodes), range_hash(low + k, high, nodes))


def range_hasher(nodes: Mapping[tuple[int, int], bytes]):
    """range_hash over `nodes`, remembering every range it computed: the proofs of many leaves of one tree share
    most of their ranges, so a batch of them costs one hash per distinct range."""
    memo: dict[tuple[int, int], bytes] = {}

    def hash_of(low: int, high: int) -> bytes:
        found = memo.get((low, high))
        if found is None:
            size = high - low
            if size & (size - 1) == 0 and low % size == 0:
                found = nodes[(size.bit_length() - 1, low // size)]
            else:
                k = largest_power_of_two_below(size)
                found = node_hash(hash_of(low, low + k), hash_of(low + k, high))
            memo[(low, high)] = found
        return found

    return hash_of


def batch_ranges(indexes: Sequence[int], size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes, with the leaves at `indexes` (strictly rising), determine MTH(D[size]): the
    largest subtrees of the RFC 9162 tree holding none of those leaves, left to right. One leaf's ranges are its
    PATH(index, D[size]) in another order; a stretch of n neighbouring leaves needs about 2·log2(size) of them."""
    _check_batch(indexes, size)
    ranges: list[tuple[int, int]] = []

    def walk(low: int, high: int, first: int, last: int) -> None:
        # indexes[first:last] are the leaves within [low, high)
        if first == last:
            ranges.append((low, high))
        elif high - low > 1:
            middle = low + largest_power_of_two_below(high - low)
            split = bisect.bisect_left(indexes, middle, first, last)
            walk(low, middle, first, split)
            walk(middle, high, split, last)

    walk(0, size, 0, len(indexes))
    return ranges


def _check_batch(indexes: Sequence[int], size: int) -> None:
    if not indexes:
        raise ProofError("a batch proof needs at least one leaf")
    if not 0 <= indexes[0] or not indexes[-1] < size:
        raise ProofError(f"a leaf of the batch is not in a tree of size {size}")
    if any(later <= earlier for earlier, later in zip(indexes, indexes[1:])):
        raise ProofError("the leaves of a batch proof must be in strictly rising order")


def needed_nodes(ranges: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    return {node for low, high in ranges for node in range_nodes(low, high)}


# Verification (RFC 9162 §2.1.3.2 and §2.1.4.2), for clients and for `sanxiang ledger verify`.


def _check_hashes(*hashes: bytes) -> None:
    for value in hashes:
        if len(value) != HASH_SIZE:
            raise ProofError(f"a hash must be {HASH_SIZE} bytes, got {len(value)}")


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless `proof` shows leaf hash `leaf` at `index` in the tree of `size` with `root`."""
    _check_hashes(leaf, *proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is high")
    if result != root:
        raise ProofError("the proof does not lead to the root")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> None:
    """Raise ProofError unless `proof` shows the tree of size `first` is a prefix of the tree of size `second`."""
    _check_hashes(*proof)  # roots are only compared, so any length simply fails to match
    if first <= 0:
        raise ProofError("a consistency proof from an empty tree proves nothing and is refused")
    if second < first:
        raise ProofError(f"size {second} is smaller than size {first}")
    if first == second:
        if proof:
            raise ProofError("equal sizes need an empty proof")
        if first_root != second_root:
            raise ProofError("equal sizes with different roots")
        return
    if not proof:
        raise ProofError("empty proof")
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for value in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(value, fr), node_hash(value, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, value)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is high")
    if fr != first_root:
        raise ProofError("the proof does not lead to the first root")
    if sr != second_root:
        raise ProofError("the proof does not lead to the second root")


def batch_root(size: int, indexes: Sequence[int], leaves: Sequence[bytes], proof: Sequence[bytes]) -> bytes:
    """MTH(D[size]) computed from the leaf hashes `leaves` at `indexes` (strictly rising) and the hashes of
    `batch_ranges(indexes, size)`; ProofError when the proof has too few or too many hashes. Each node above the
    leaves is hashed once: a batch of n leaves costs about n hashes, not n·log2(size)."""
    _check_batch(indexes, size)
    if len(leaves) != len(indexes):
        raise ProofError("one leaf hash per index")
    _check_hashes(*leaves, *proof)
    hashes = iter(proof)
    missing = object()

    def walk(low: int, high: int, first: int, last: int) -> bytes:
        if first == last:
            value = next(hashes, missing)
            if value is missing:
                raise ProofError("the batch proof is shorter than the tree needs")
            return value
        if high - low == 1:
            return leaves[first]
        middle = low + largest_power_of_two_below(high - low)
        split = bisect.bisect_left(indexes, middle, first, last)
        return node_hash(walk(low, middle, first, split), walk(middle, high, split, last))

    root = walk(0, size, 0, len(indexes))
    if next(hashes, missing) is not missing:
        raise ProofError("the batch proof is longer than the tree needs")
    return root


def verify_batch_inclusion(
    size: int, indexes: Sequence[int], leaves: Sequence[bytes], proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless `proof` (the hashes of `batch_ranges(indexes, size)`) shows each leaf hash of
    `leaves` at its index of `indexes` in the tree of `size` with `root`."""
    if batch_root(size, indexes, leaves, proof) != root:
        raise ProofError("the batch proof does not lead to the root")
