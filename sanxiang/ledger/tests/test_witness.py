"""The witness (C2SP tlog-witness) and its cosignatures (C2SP tlog-cosignature v1), with no database: every answer
the protocol names, the split view it exists to catch, and the alarm it keeps."""

from __future__ import annotations

import base64
import io
import struct

import pytest

from sanxiang.ledger import merkle
from sanxiang.ledger.cosign import COSIGNATURE_V1, Cosigner, CosignerKey, cosigned_by, require_quorum
from sanxiang.ledger.services import checkpoint_body
from sanxiang.ledger.signing import ED25519, NoteError, Signer, key_id, note_signatures, sign_note
from sanxiang.ledger.witness import MAX_BODY, Witness, application
from sanxiang.testing.ledger import MemoryTree

ORIGIN = "example.gov.cn/ledger"
TREE = MemoryTree([f"entry {n}".encode() for n in range(20)])
# another history: entry 2 rewritten, so no tree of it from size 3 on is consistent with the true one
FORK = MemoryTree([f"entry {n}".encode() if n != 2 else b"forged" for n in range(20)])


@pytest.fixture
def log():
    return Signer.generate(ORIGIN)


@pytest.fixture
def witness(tmp_path, log):
    made = Witness.create(tmp_path / "w1", name="witness.example.cn/w1")
    made.trust(str(log.verifier))
    return made


def note(signer, size, tree=TREE) -> str:
    return sign_note(signer, checkpoint_body(origin=signer.name, size=size, root=tree.root(size)))


def submit(witness, old, checkpoint, proof=()):
    lines = "".join(base64.b64encode(digest).decode() + "\n" for digest in proof)
    return witness.add_checkpoint(f"old {old}\n{lines}\n{checkpoint}".encode())


def test_a_cosignature_verifies_only_over_its_own_checkpoint_and_key():
    cosigner = Cosigner.generate("witness.example.cn/w1")
    text = checkpoint_body(origin=ORIGIN, size=5, root=TREE.root(5))
    line = cosigner.cosign(text, time=1_700_000_000)
    raw = base64.b64decode(line.split()[-1])
    assert cosigner.key.time_of(text, raw) == 1_700_000_000
    assert struct.unpack(">Q", raw[4:12]) == (1_700_000_000,)
    assert cosigner.key.time_of(checkpoint_body(origin=ORIGIN, size=5, root=FORK.root(7)), raw) is None
    assert Cosigner.generate("witness.example.cn/w1").key.time_of(text, raw) is None
    # the time is signed: a line whose time was moved does not verify
    moved = raw[:4] + struct.pack(">Q", 1_700_000_001) + raw[12:]
    assert cosigner.key.time_of(text, moved) is None


def test_witness_keys_are_typed_0x04_and_round_trip():
    cosigner = Cosigner.generate("witness.example.cn/w1")
    assert cosigner.key.key_id == key_id(cosigner.name, cosigner.key.public_key, COSIGNATURE_V1)
    assert cosigner.key.key_id != key_id(cosigner.name, cosigner.key.public_key, ED25519)
    assert Cosigner.decode(cosigner.encode()).key == cosigner.key
    assert CosignerKey.parse(str(cosigner.key)) == cosigner.key
    with pytest.raises(NoteError, match="0x04"):
        CosignerKey.parse(str(Signer.generate("log.example").verifier))  # a log's key is no witness key


def test_first_checkpoint_is_cosigned_and_recorded(witness, log):
    checkpoint = note(log, 5)
    answer = submit(witness, 0, checkpoint)
    assert answer.status == 200
    assert cosigned_by(checkpoint + answer.body, [witness.cosigner.key]).keys() == {witness.cosigner.name}
    assert witness.logs() == [(ORIGIN, str(log.verifier), 5)]


def test_a_consistent_checkpoint_is_cosigned_with_the_proof_from_the_size_held(witness, log):
    submit(witness, 0, note(log, 5))
    answer = submit(witness, 5, note(log, 13), TREE.consistency(5, 13))
    assert answer.status == 200
    assert witness.logs()[0][2] == 13
    assert submit(witness, 13, note(log, 13)).status == 200  # the same checkpoint again: cosigned again


def test_an_old_size_not_the_one_held_gets_409_with_the_size(witness, log):
    submit(witness, 0, note(log, 5))
    answer = submit(witness, 0, note(log, 13))
    assert (answer.status, answer.content_type, answer.body) == (409, "text/x.tlog.size", "5\n")
    assert witness.alarms() == []  # a log that is behind is no misbehaviour


def test_a_split_view_of_the_size_held_is_refused_and_alarmed(witness, log):
    assert submit(witness, 0, note(log, 13)).status == 200
    answer = submit(witness, 13, note(log, 13, FORK))
    assert answer.status == 409
    assert witness.logs()[0][2] == 13
    [(_at, origin, reason, submission)] = witness.alarms()
    assert origin == ORIGIN and "split view" in reason and submission == note(log, 13, FORK)


def test_an_inconsistent_history_is_refused_with_422_and_alarmed(witness, log):
    submit(witness, 0, note(log, 5))
    answer = submit(witness, 5, note(log, 13, FORK), FORK.consistency(5, 13))
    assert answer.status == 422
    assert witness.logs()[0][2] == 5  # nothing moved
    assert "inconsistent" in witness.alarms()[0][2]
    assert submit(witness, 5, note(log, 13), TREE.consistency(5, 13)).status == 200  # the true history still goes on


def test_the_log_signature_is_required(witness, log, tmp_path):
    impostor = Signer.generate(ORIGIN)  # same origin, another key
    assert submit(witness, 0, note(impostor, 5)).status == 403
    assert submit(witness, 0, note(Signer.generate("other.example/log"), 5)).status == 404
    assert witness.logs()[0][2] == 0


@pytest.mark.parametrize(
    "body",
    [
        b"old 0\n",  # no blank line, no checkpoint
        b"old 01\n\n",  # a leading zero
        b"old -1\n\n",
        b"\xff\xfe\n\n",
        b"old 0\nnot base64!\n\n",
        b"old 0\n" + b"AAAA\n" + b"\n",  # a line that is base64 but no hash
        b"old 0\n" + (base64.b64encode(bytes(32)) + b"\n") * 64 + b"\n",  # 64 proof lines
    ],
)
def test_malformed_requests_get_400(witness, body):
    assert witness.add_checkpoint(body).status == 400


def test_old_size_above_the_checkpoint_and_a_proof_from_zero_are_refused(witness, log):
    assert submit(witness, 9, note(log, 5)).status == 400
    assert submit(witness, 0, note(log, 5), [bytes(32)]).status == 422


def test_a_checkpoint_that_is_not_a_signed_note_gets_400(witness):
    assert witness.add_checkpoint(f"old 0\n\n{ORIGIN}\n5\nAAAA\n".encode()).status == 400


def test_require_quorum_counts_distinct_valid_witnesses(log):
    first, second = Cosigner.generate("w1.example"), Cosigner.generate("w2.example")
    text = checkpoint_body(origin=ORIGIN, size=5, root=TREE.root(5))
    signed = log.sign_note(text)
    keys = [first.key, second.key]
    both = signed + first.cosign(text, time=1) + second.cosign(text, time=2)
    assert require_quorum(both, keys, 2) == {"w1.example": 1, "w2.example": 2}
    with pytest.raises(NoteError, match="cosigned by 1 of the 2 witnesses; 2 required"):
        require_quorum(signed + first.cosign(text, time=1) + first.cosign(text, time=3), keys, 2)
    stranger = Cosigner.generate("w2.example")  # the name of a trusted witness, another key
    with pytest.raises(NoteError, match="cosigned by 1"):
        require_quorum(signed + first.cosign(text, time=1) + stranger.cosign(text, time=2), keys, 2)


def _call(app, method, path, body=b""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    payload = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], payload.decode()


def test_the_wsgi_application_speaks_the_protocol(witness, log):
    app = application(witness)
    status, headers, body = _call(app, "POST", "/add-checkpoint", f"old 0\n\n{note(log, 5)}".encode())
    assert status == "200 OK" and body.startswith("\u2014 witness.example.cn/w1 ")
    status, headers, body = _call(app, "POST", "/add-checkpoint", f"old 0\n\n{note(log, 9)}".encode())
    assert (status, headers["Content-Type"], body) == ("409 Conflict", "text/x.tlog.size", "5\n")
    assert _call(app, "POST", "/add-checkpoint", b"x" * (MAX_BODY + 1))[0].startswith("413")
    assert _call(app, "GET", "/add-checkpoint")[0] == "404 Not Found"
    status, _headers, body = _call(app, "GET", "/")
    assert body.splitlines() == [str(witness.cosigner.key), f"log {ORIGIN} 5"]


def test_the_answer_lines_are_signature_lines_a_note_parser_accepts(witness, log):
    checkpoint = note(log, 5)
    body = submit(witness, 0, checkpoint).body
    _text, signatures = note_signatures(checkpoint + body)
    assert [name for name, _raw in signatures] == [ORIGIN, "witness.example.cn/w1"]


def test_a_witness_key_readable_by_others_is_refused(witness, tmp_path):
    (witness.folder / "witness.key").chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        Witness(witness.folder)


def test_the_fork_is_another_history_by_the_merkle_module_too():
    merkle.verify_consistency(5, 13, TREE.root(5), TREE.root(13), TREE.consistency(5, 13))
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(5, 13, TREE.root(5), FORK.root(13), FORK.consistency(5, 13))


def test_a_witness_checks_an_sm3_logs_proofs_with_sm3(tmp_path):
    from sanxiang.ledger.sm2 import Sm2Signer

    log = Sm2Signer.generate("gm.example.gov.cn/ledger")
    witness = Witness.create(tmp_path / "gm", name="witness.example.cn/gm")
    witness.trust(str(log.verifier), hash="sm3")
    with merkle.using("sm3"):  # the log's side: its tree, roots and proofs in SM3
        tree = MemoryTree([f"entry {n}".encode() for n in range(20)])
        first, second, proof = note(log, 5, tree), note(log, 13, tree), tree.consistency(5, 13)
    assert submit(witness, 0, first).status == 200
    assert submit(witness, 5, second, proof).status == 200
    # told the wrong hash, a witness refuses the same SM3 log's true proof: the hash it is told is the one it uses
    other = Witness.create(tmp_path / "told-sha256", name="witness.example.cn/other")
    other.trust(str(log.verifier))
    assert submit(other, 0, first).status == 200
    assert submit(other, 5, second, proof).status == 422
    with pytest.raises(NoteError, match="unknown tree hash"):
        witness.trust(str(log.verifier), hash="md5")


def test_proofs_where_none_can_be_an_empty_tree_with_a_root_and_sizes_past_2_63_are_refused(witness, log):
    submit(witness, 0, note(log, 5))
    assert submit(witness, 5, note(log, 5), [bytes(32)]).status == 422  # to the same size: no proof
    empty = sign_note(log, checkpoint_body(origin=log.name, size=0, root=bytes(32)))
    assert witness.add_checkpoint(f"old 0\n\n{empty}".encode()).status == 409  # it holds 5: old 0 is stale
    huge = f"{ORIGIN}\n{2**63}\n{base64.b64encode(bytes(32)).decode()}\n"
    assert submit(witness, 5, sign_note(log, huge)).status == 400
    assert witness.add_checkpoint(f"old {2**63}\n\n{note(log, 5)}".encode()).status == 400
    assert witness.logs()[0][2] == 5


def test_a_fresh_witness_refuses_an_empty_tree_with_a_root_that_is_not_empty(tmp_path, log):
    fresh = Witness.create(tmp_path / "fresh", name="witness.example.cn/fresh")
    fresh.trust(str(log.verifier))
    bogus = sign_note(log, checkpoint_body(origin=log.name, size=0, root=bytes(32)))
    assert submit(fresh, 0, bogus).status == 422
    assert submit(fresh, 0, note(log, 0)).status == 200  # the true empty tree


def test_concurrent_submissions_never_roll_the_witness_back(witness, log):
    """The check and the update are one transaction: of many threads submitting from the size held, one wins, the
    others see the new size (409), and the size only grows."""
    from concurrent.futures import ThreadPoolExecutor

    submit(witness, 0, note(log, 5))
    sizes = [8, 13, 17, 19, 11, 6, 20, 9]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda size: submit(witness, 5, note(log, size), TREE.consistency(5, size)), sizes))
    won = [size for size, answer in zip(sizes, answers) if answer.status == 200]
    assert len(won) == 1 and all(answer.status == 409 for answer in answers if answer.status != 200)
    assert witness.logs()[0][2] == won[0]
