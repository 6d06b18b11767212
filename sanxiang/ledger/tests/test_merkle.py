"""The tree and its proofs against RFC 9162's definitions, with property tests over random trees."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.ledger import merkle
from sanxiang.testing.ledger import MemoryTree, reference_root


def leaves(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 100])
def test_stored_nodes_give_the_rfc_root(size):
    tree = MemoryTree(leaves(size))
    assert tree.root(size) == reference_root(leaves(size))


def test_node_positions_are_written_in_increasing_order_without_gaps():
    written = []
    frontier = []
    for index in range(300):
        for level, node_index, _ in merkle.append_to_frontier(frontier, index, merkle.leaf_hash(b"x")):
            written.append(merkle.position(level, node_index))
    assert written == list(range(len(written)))


def test_a_proof_needs_only_logarithmically_many_nodes():
    size = 10**6 + 12345
    worst = max(len(merkle.needed_nodes(merkle.inclusion_ranges(i, size))) for i in range(0, size, 9973))
    assert worst <= 2 * size.bit_length()
    assert len(merkle.needed_nodes(merkle.consistency_ranges(777_777, size))) <= 2 * size.bit_length()


@settings(max_examples=300, deadline=None)
@given(data=st.data(), size=st.integers(1, 260))
def test_every_inclusion_proof_verifies_and_a_changed_hash_fails(data, size):
    tree = MemoryTree(leaves(size))
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion(index, size)
    leaf = merkle.leaf_hash(leaves(size)[index])
    merkle.verify_inclusion(index, size, leaf, proof, tree.root(size))
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 255))
        changed = list(proof)
        changed[position] = bytes(b ^ (1 << (bit % 8)) if i == bit // 8 else b for i, b in enumerate(proof[position]))
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(index, size, leaf, changed, tree.root(size))
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, merkle.leaf_hash(b"something else"), proof, tree.root(size))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), second=st.integers(1, 260))
def test_every_consistency_proof_verifies_and_a_changed_hash_fails(data, second):
    first = data.draw(st.integers(1, second))
    tree = MemoryTree(leaves(second))
    proof = tree.consistency(first, second)
    merkle.verify_consistency(first, second, tree.root(first), tree.root(second), proof)
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        changed = list(proof)
        changed[position] = hashlib.sha256(changed[position]).digest()
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(first, second, tree.root(first), tree.root(second), changed)
    if first < second:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(first, second, tree.root(first), hashlib.sha256(b"forged").digest(), proof)


def test_a_leaf_hash_of_the_wrong_length_is_refused():
    tree = MemoryTree(leaves(5))
    proof = tree.inclusion(2, 5)
    for wrong in (merkle.leaf_hash(leaves(5)[2])[:31], merkle.leaf_hash(leaves(5)[2]) + b"\x00", b""):
        with pytest.raises(merkle.ProofError, match="32 bytes"):
            merkle.verify_inclusion(2, 5, wrong, proof, tree.root(5))


def test_any_consistency_proof_from_size_zero_is_refused():
    tree = MemoryTree(leaves(4))
    for proof in ([], tree.inclusion(0, 4)):
        with pytest.raises(merkle.ProofError, match="empty tree"):
            merkle.verify_consistency(0, 4, merkle.empty_root(), tree.root(4), proof)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(0, 4)


def test_proofs_for_impossible_requests_are_refused():
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_ranges(5, 5)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(6, 5)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), size=st.integers(1, 260))
def test_every_batch_proof_verifies_and_any_change_fails(data, size):
    tree = MemoryTree(leaves(size))
    indexes = sorted(data.draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=size)))
    hashes = [merkle.leaf_hash(leaves(size)[index]) for index in indexes]
    proof = [merkle.range_hash(low, high, tree.nodes) for low, high in merkle.batch_ranges(indexes, size)]
    root = tree.root(size)
    merkle.verify_batch_inclusion(size, indexes, hashes, proof, root)
    # One leaf's batch proof holds the hashes of its inclusion proof.
    if len(indexes) == 1:
        assert sorted(proof) == sorted(tree.inclusion(indexes[0], size))
    # A changed proof hash or leaf hash, a hash missing or added, a leaf at another index: refused.
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        changed = list(proof)
        changed[position] = hashlib.sha256(changed[position]).digest()
        with pytest.raises(merkle.ProofError):
            merkle.verify_batch_inclusion(size, indexes, hashes, changed, root)
        with pytest.raises(merkle.ProofError):
            merkle.verify_batch_inclusion(size, indexes, hashes, proof[:-1], root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_batch_inclusion(size, indexes, hashes, [*proof, root], root)
    position = data.draw(st.integers(0, len(hashes) - 1))
    changed = list(hashes)
    changed[position] = merkle.leaf_hash(b"something else")
    with pytest.raises(merkle.ProofError):
        merkle.verify_batch_inclusion(size, indexes, changed, proof, root)
    shifted = [index for index in range(size) if index not in indexes]
    if shifted:
        moved = sorted([*indexes[:position], *indexes[position + 1 :], shifted[0]])
        with pytest.raises(merkle.ProofError):
            merkle.verify_batch_inclusion(size, moved, hashes, proof, root)


def test_a_stretch_of_neighbouring_leaves_needs_a_logarithmic_batch_proof():
    size = 10**6 + 12345
    for low in (0, 1, 4093, 500_000, size - 2000):
        indexes = list(range(low, min(size, low + 2000)))
        assert len(merkle.batch_ranges(indexes, size)) <= 2 * size.bit_length()


def test_batch_proofs_for_impossible_batches_are_refused():
    for indexes in ([], [5], [-1, 2], [2, 2], [3, 1]):
        with pytest.raises(merkle.ProofError):
            merkle.batch_ranges(indexes, 5)
    tree = MemoryTree(leaves(5))
    with pytest.raises(merkle.ProofError, match="32 bytes"):
        merkle.verify_batch_inclusion(5, [0, 1], [b"x" * 31, merkle.leaf_hash(b"y")], [], tree.root(5))
    with pytest.raises(merkle.ProofError, match="one leaf hash"):
        merkle.verify_batch_inclusion(5, [0, 1], [merkle.leaf_hash(b"y")], [], tree.root(5))
