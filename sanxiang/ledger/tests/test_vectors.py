"""Published test vectors.

- vectors/transparency_dev_merkle.json: RFC 6962 roots for sizes 0–8 and the 98 inclusion and 98 consistency
  cases of github.com/transparency-dev/merkle (testonly/constants.go, testdata/), Apache-2.0, copied as data.
  A case must verify exactly when its "wantErr" is false (as in that repository's proof/verify_test.go).
- vectors/c2sp_examples.json: the C2SP signed-note and tlog-checkpoint examples, and the PeterNeumann key and
  note of golang.org/x/mod/sumdb/note (BSD-3-Clause).
"""

import base64
import json
from pathlib import Path

import pytest

from sanxiang.ledger import merkle
from sanxiang.ledger.signing import NoteError, Signer, Verifier, open_note
from sanxiang.testing.ledger import MemoryTree

VECTORS = Path(__file__).parent / "vectors"
MERKLE = json.loads((VECTORS / "transparency_dev_merkle.json").read_text())
C2SP = json.loads((VECTORS / "c2sp_examples.json").read_text())


def b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def proof_of(case) -> list[bytes]:
    return [b64(item) for item in case.get("proof") or []]


def test_roots_of_the_reference_tree_sizes_0_to_8():
    leaves = [bytes.fromhex(leaf) for leaf in MERKLE["leaf_inputs"]]
    tree = MemoryTree(leaves)
    assert [merkle.leaf_hash(leaf).hex() for leaf in leaves] == MERKLE["leaf_hashes"]
    assert len(MERKLE["roots"]) == 9
    for row in MERKLE["roots"]:
        assert tree.root(row["size"]).hex() == row["root"]


@pytest.mark.parametrize("row", MERKLE["inclusion"], ids=[row["name"] for row in MERKLE["inclusion"]])
def test_inclusion_vector(row):
    case = row["case"]
    call = lambda: merkle.verify_inclusion(  # noqa: E731
        case["leafIdx"], case["treeSize"], b64(case["leafHash"]), proof_of(case), b64(case["root"])
    )
    if case["wantErr"]:
        with pytest.raises(merkle.ProofError):
            call()
    else:
        call()


@pytest.mark.parametrize("row", MERKLE["consistency"], ids=[row["name"] for row in MERKLE["consistency"]])
def test_consistency_vector(row):
    case = row["case"]
    call = lambda: merkle.verify_consistency(  # noqa: E731
        case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof_of(case)
    )
    if case["wantErr"]:
        with pytest.raises(merkle.ProofError):
            call()
    else:
        call()


def test_there_are_98_cases_of_each_kind_and_our_proofs_equal_the_happy_paths():
    assert len(MERKLE["inclusion"]) == 98 and len(MERKLE["consistency"]) == 98
    tree = MemoryTree([bytes.fromhex(leaf) for leaf in MERKLE["leaf_inputs"]])
    happy = [row["case"] for row in MERKLE["inclusion"] if row["name"].endswith("happy-path.json")]
    for case in happy:
        if case["treeSize"] <= 8:
            assert tree.inclusion(case["leafIdx"], case["treeSize"]) == proof_of(case)
    happy = [row["case"] for row in MERKLE["consistency"] if row["name"].endswith("happy-path.json")]
    for case in happy:
        if case["size2"] <= 8:
            assert tree.consistency(case["size1"], case["size2"]) == proof_of(case)


def test_the_reference_signed_note_verifies_and_signing_reproduces_it_byte_for_byte():
    example = C2SP["go_note_example"]
    verifier = Verifier.parse(example["verifier_key"])
    assert verifier.key_id.hex() == "c74f20a3" and str(verifier) == example["verifier_key"]
    assert open_note(example["note"], verifier) == example["text"]
    signer = Signer.decode(example["signer_key"])
    assert signer.encode() == example["signer_key"]
    assert signer.sign_note(example["text"]) == example["note"]  # Ed25519 is deterministic
    with pytest.raises(NoteError):
        open_note(example["note"].replace("cryptography", "cryptographY"), verifier)


def test_the_c2sp_example_note_parses_and_is_refused_without_its_key():
    example = C2SP["signed_note_examples"][0]
    other = Verifier.parse(C2SP["go_note_example"]["verifier_key"])
    with pytest.raises(NoteError, match="no signature by"):
        open_note(example["note"], other)
    signature = base64.b64decode(example["signature_b64"])
    assert signature[:4].hex() == example["key_id_hex"] and len(signature) == 68


@pytest.mark.parametrize(
    "key",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong key ID
        "PeterNeumann+c74f20a3+AhRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # wrong type byte
        "PeterNeumann+c74f20a3",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_malformed_verifier_keys_are_refused(key):
    with pytest.raises(NoteError):
        Verifier.parse(key)
