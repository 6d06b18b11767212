"""国密 mode: SM3 for the tree and SM2 for checkpoints, checked against the standards' own examples (GB/T 32905-2016
Annex A, GB/T 32918.2-2016 Annex A) and against OpenSSL 3 on this machine, and a log created in that mode."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from tongsuopy.crypto import serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.asymciphers.utils import encode_dss_signature

from sanxiang.ledger import merkle
from sanxiang.ledger.keys import parse_verifier
from sanxiang.ledger.signing import NoteError, Signer, Verifier, open_note, sign_note
from sanxiang.ledger.sm2 import USER_ID, Sm2Signer, Sm2Verifier
from sanxiang.testing.ledger import gm_log as gm_mode_block
from sanxiang.testing.ledger import reference_root

# GB/T 32918.2-2016 Annex A (on the recommended curve of GB/T 32918.5): key, message, ID and the signature
D = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8
X = 0x09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
Y = 0xCCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13
Z_A = "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3"
E = "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640"
R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA
MESSAGE = b"message digest"
# GB/T 32918.5-2017: the recommended curve's a, b and base point
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0


def sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


def test_sm3_gives_the_standards_examples():
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    with merkle.using("sm3"):
        assert merkle.leaf_hash(b"abc") == sm3(b"\x00abc") and merkle.empty_root() == sm3(b"")
    assert merkle.leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()  # and back


def test_another_logs_hash_is_used_in_its_own_thread_only():
    """A mirror checking an SM3 source in one thread leaves this installation's SHA-256 log to the others."""
    inside, entered, leave = {}, threading.Event(), threading.Event()

    def check_a_source():
        with merkle.using("sm3"):
            entered.set()
            leave.wait(5)
            inside["leaf"], inside["algorithm"] = merkle.leaf_hash(b"abc"), merkle.algorithm()

    thread = threading.Thread(target=check_a_source)
    thread.start()
    entered.wait(5)
    assert merkle.algorithm() == "sha256" and merkle.leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert merkle.empty_root() == hashlib.sha256(b"").digest()
    leave.set()
    thread.join()
    assert inside == {"leaf": sm3(b"\x00abc"), "algorithm": "sm3"}


def test_the_standards_signature_example_verifies_and_its_digests_are_ours():
    signer = Sm2Signer("example", ec.derive_private_key(D, ec.SM2()))
    assert signer.verifier.public_key == b"\x04" + X.to_bytes(32, "big") + Y.to_bytes(32, "big")
    words = b"".join(n.to_bytes(32, "big") for n in (A, B, GX, GY, X, Y))
    z_a = sm3((len(USER_ID) * 8).to_bytes(2, "big") + USER_ID + words)
    assert z_a.hex() == Z_A and sm3(z_a + MESSAGE).hex() == E
    signature = encode_dss_signature(R, S)
    assert signer.verifier.verify(MESSAGE, signature)
    assert not signer.verifier.verify(b"message digesT", signature)


def _openssl_key(tmp_path, public_point: bytes):
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), public_point)
    path = tmp_path / "public.pem"
    path.write_bytes(public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


def _openssl(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", "pkeyutl", *args], cwd=cwd, capture_output=True, text=True)


def test_openssl_3_verifies_the_standards_example_and_our_signatures(tmp_path):
    (tmp_path / "msg").write_bytes(MESSAGE)
    (tmp_path / "sig").write_bytes(encode_dss_signature(R, S))
    key = _openssl_key(tmp_path, b"\x04" + X.to_bytes(32, "big") + Y.to_bytes(32, "big"))
    verify = ["-verify", "-pubin", "-inkey", str(key), "-rawin", "-in", "msg", "-digest", "sm3"]
    distid = ["-pkeyopt", f"distid:{USER_ID.decode()}"]
    assert _openssl(*verify, "-sigfile", "sig", *distid, cwd=tmp_path).returncode == 0
    signer = Sm2Signer.generate("sanxiang.local/ledger")
    text = b"sanxiang.local/ledger\n5\n" + base64.b64encode(bytes(32)) + b"\n"
    (tmp_path / "msg").write_bytes(text)
    (tmp_path / "ours").write_bytes(signer.sign(text))
    key = _openssl_key(tmp_path, signer.verifier.public_key)
    verify = ["-verify", "-pubin", "-inkey", str(key), "-rawin", "-in", "msg", "-digest", "sm3"]
    assert _openssl(*verify, "-sigfile", "ours", *distid, cwd=tmp_path).returncode == 0
    # another user ID gives another Z: the same signature does not verify, so the ID really is the standard one
    assert _openssl(*verify, "-sigfile", "ours", "-pkeyopt", "distid:ALICE123@YAHOO.COM", cwd=tmp_path).returncode


def test_our_verifier_accepts_what_openssl_3_signs(tmp_path):
    signer = Sm2Signer.generate("sanxiang.local/ledger")
    private = tmp_path / "private.pem"
    private.write_bytes(
        signer.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (tmp_path / "msg").write_bytes(b"a checkpoint's text\n")
    signed = _openssl(
        "-sign",
        "-inkey",
        str(private),
        "-rawin",
        "-in",
        "msg",
        "-digest",
        "sm3",
        "-out",
        "sig",
        "-pkeyopt",
        f"distid:{USER_ID.decode()}",
        cwd=tmp_path,
    )
    assert signed.returncode == 0, signed.stderr
    assert signer.verifier.verify(b"a checkpoint's text\n", (tmp_path / "sig").read_bytes())


def test_sm2_keys_round_trip_and_are_told_from_ed25519_keys():
    signer = Sm2Signer.generate("sanxiang.local/ledger")
    assert Sm2Signer.decode(signer.encode()).verifier == signer.verifier
    published = str(signer.verifier)
    assert parse_verifier(published) == signer.verifier
    ed25519 = Signer.generate("sanxiang.local/ledger").verifier
    assert parse_verifier(str(ed25519)) == ed25519 and isinstance(parse_verifier(str(ed25519)), Verifier)
    with pytest.raises(NoteError):
        Sm2Verifier.parse(str(ed25519))
    with pytest.raises(NoteError):  # the key ID must match
        parse_verifier(published.replace(published.split("+")[1], "00000000"))
    note = sign_note(signer, "sanxiang.local/ledger\n1\n" + base64.b64encode(bytes(32)).decode() + "\n")
    assert open_note(note, signer.verifier).startswith("sanxiang.local/ledger\n1\n")
    with pytest.raises(NoteError):
        open_note(note.replace("\n1\n", "\n2\n"), signer.verifier)


@pytest.fixture
def gm_log(settings, tmp_path):
    with gm_mode_block(settings, tmp_path / "sm2.key"):
        yield


def _append(count: int) -> list[bytes]:
    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.services import ledger_append

    with transaction.atomic():
        for n in range(count):
            ledger_append(actor=None, agency="", action="test.event", subject=("test", str(n)))
    return [bytes(body) for body in Entry.objects.order_by("index").values_list("body", flat=True)]


@pytest.mark.django_db
def test_a_log_created_in_gm_mode_hashes_with_sm3_signs_with_sm2_and_verifies(gm_log, client):
    from sanxiang.ledger.models import LogHead
    from sanxiang.ledger.services import checkpoint_create, ledger_signer
    from sanxiang.ledger.tiles import TileNodes, stored_tile
    from sanxiang.ledger.verification import verify_log

    bodies = _append(300)
    checkpoint = checkpoint_create()
    assert bytes(checkpoint.root) == reference_root(bodies, "sm3") != reference_root(bodies, "sha256")
    assert (checkpoint.hash_algorithm, checkpoint.signature_algorithm) == ("sm3", "sm2")
    assert LogHead.objects.get().hash_algorithm == "sm3"
    published = client.get("/ledger/key").content.decode()
    verifier = parse_verifier(published)
    assert isinstance(verifier, Sm2Verifier) and verifier == ledger_signer().verifier
    assert open_note(client.get("/ledger/checkpoint").content.decode(), verifier)
    assert TileNodes(300, lambda path: stored_tile(path, 300)).root() == bytes(checkpoint.root)
    report = verify_log(verifier=verifier, origin=verifier.name)
    assert report.ok and report.size == 300


@pytest.mark.django_db
def test_a_log_cannot_change_its_hash_once_it_has_entries(settings):
    from sanxiang.ledger.models import Entry, LogHead

    _append(2)
    settings.LEDGER_HASH = "sm3"
    with merkle.using("sm3"), pytest.raises(ImproperlyConfigured, match="账本以 sha256 建立，不能改用 sm3"):
        _append(1)
    assert Entry.objects.count() == 2 and LogHead.objects.get().size == 2  # nothing of the refused append stays


@pytest.mark.django_db
def test_start_up_stops_on_a_hash_other_than_the_logs_and_on_a_bad_witness_key(settings):
    from sanxiang.ledger.checks import attestation_check

    _append(1)
    assert attestation_check() == []
    settings.LEDGER_HASH = "sm3"
    assert [error.id for error in attestation_check()] == ["sanxiang.ledger.E002"]
    settings.LEDGER_HASH = "sha256"
    settings.LEDGER_WITNESSES = [("https://w1.example.cn", "w1.example.cn+00000000+AAAA")]
    assert [error.id for error in attestation_check()] == ["sanxiang.ledger.E003"]


@pytest.mark.django_db
def test_ledger_verify_says_when_the_process_hashes_otherwise_than_the_log():
    from sanxiang.ledger.services import checkpoint_create, ledger_signer
    from sanxiang.ledger.verification import verify_log

    _append(3)
    checkpoint_create()
    signer = ledger_signer()
    with merkle.using("sm3"):
        report = verify_log(verifier=signer.verifier, origin=signer.name)
    assert "hash_mismatch" in {problem.kind for problem in report.problems}
