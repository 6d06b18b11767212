"""SM2 signatures (GB/T 32918.2-2016, with SM3 and the standard user ID "1234567812345678") on the ledger's signed
notes, for a log created in 国密 mode (SANXIANG_LEDGER_SIGNATURE=sm2). The SM2 arithmetic is Tongsuo's (tongsuopy,
the 铜锁 project's Python binding; Python's `cryptography` has no SM2); tests check it against the standard's own
example and against OpenSSL 3 on the machine.

Signed notes assign no type byte to SM2, so its keys take the unassigned type 0xff followed by an identifier and a
newline (c2sp.org/signed-note: "0xff — reserved for signature types without an identifier byte"):
  verifier key  <name>+<key ID>+base64(0xff "sm2-sm3" 0x0a ‖ 65-byte uncompressed public point)
  signer key    PRIVATE+KEY+<name>+<key ID>+base64(0xff "sm2-sm3" 0x0a ‖ 32-byte private scalar)
  signature     key ID ‖ DER SEQUENCE {r, s} (as OpenSSL writes it)
The key ID is SHA-256(name ‖ "\\n" ‖ prefix ‖ public point)[:4], as signed notes recommend (an identifier, not a
security property).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.exceptions import InvalidSignature

from sanxiang.ledger.signing import NoteError, PrivateKeyText, key_id, parse_vkey

PREFIX = b"\xffsm2-sm3\n"
POINT = 65  # 0x04 ‖ x ‖ y
SCALAR = 32
USER_ID = b"1234567812345678"  # GB/T 35276-2017 §10: the default user ID, which Tongsuo applies to SM2 with SM3
_SIGNATURE = ec.ECDSA(hashes.SM3())


def _point(public) -> bytes:
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


@dataclass(frozen=True)
class Sm2Verifier:
    name: str
    public_key: bytes  # the uncompressed point

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key, PREFIX)

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(PREFIX + self.public_key).decode()}"

    @classmethod
    def parse(cls, text: str) -> Sm2Verifier:
        name, point = parse_vkey(text, PREFIX, POINT)
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), point)
        except ValueError:
            raise NoteError("the verifier key is no point of the SM2 curve") from None
        return cls(name, point)

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), self.public_key).verify(signature, text, _SIGNATURE)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Sm2Signer(PrivateKeyText):
    """An SM2 key held in this process (the key file); an HSM's signer needs only name, verifier and sign."""

    PREFIX = PREFIX
    SECRET = SCALAR

    name: str
    private_key: ec.EllipticCurvePrivateKey

    @property
    def verifier(self) -> Sm2Verifier:
        return Sm2Verifier(self.name, _point(self.private_key.public_key()))

    @property
    def public_key_id(self) -> bytes:
        return self.verifier.key_id

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message, _SIGNATURE)

    def _secret(self) -> bytes:
        return self.private_key.private_numbers().private_value.to_bytes(SCALAR, "big")

    @staticmethod
    def _from_secret(secret: bytes) -> ec.EllipticCurvePrivateKey:
        return ec.derive_private_key(int.from_bytes(secret, "big"), ec.SM2())

    @staticmethod
    def _new() -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SM2())
