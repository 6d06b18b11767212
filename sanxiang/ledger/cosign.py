"""C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature): a witness's Ed25519 statement that, at a given
time, the checkpoint is the largest consistent tree head it has seen of the log.

A cosignature is a signed-note signature line by the witness's key, of signature type 0x04:
  key ID     SHA-256(name ‖ "\\n" ‖ 0x04 ‖ public key)[:4]
  signature  key ID ‖ u64 big-endian POSIX time ‖ Ed25519 over "cosignature/v1\\ntime <t>\\n" ‖ checkpoint text
Keys use the signed-note formats of signing.py with the type byte 0x04.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sanxiang.ledger.signing import (
    SIGNATURE_DASH,
    NoteError,
    PrivateKeyText,
    key_id,
    note_signatures,
    parse_vkey,
)

COSIGNATURE_V1 = 0x04
MAX_TIME = 2**63 - 1


def signed_message(text: str, time: int) -> bytes:
    """What a v1 cosignature signs: its header and time lines, then the checkpoint's text (signature lines apart)."""
    return f"cosignature/v1\ntime {time}\n{text}".encode()


@dataclass(frozen=True)
class CosignerKey:
    """A witness's published key: name+keyid+base64(0x04 ‖ Ed25519 public key)."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key, COSIGNATURE_V1)

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> CosignerKey:
        return cls(*parse_vkey(text, COSIGNATURE_V1))

    def time_of(self, text: str, raw: bytes) -> int | None:
        """The time a signature line's bytes (key ID ‖ time ‖ signature) cosigned `text`, if they are this key's and
        verify; None otherwise."""
        if len(raw) != 4 + 8 + 64 or raw[:4] != self.key_id:
            return None
        (time,) = struct.unpack(">Q", raw[4:12])
        if time > MAX_TIME:
            return None
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(raw[12:], signed_message(text, time))
        except InvalidSignature:
            return None
        return time


@dataclass(frozen=True)
class Cosigner(PrivateKeyText):
    """A witness's private key, held by the witness alone."""

    PREFIX = bytes([COSIGNATURE_V1])

    name: str
    private_key: Ed25519PrivateKey

    @property
    def key(self) -> CosignerKey:
        return CosignerKey(self.name, self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    @property
    def public_key_id(self) -> bytes:
        return self.key.key_id

    def cosign(self, text: str, *, time: int) -> str:
        """The signature line cosigning the checkpoint `text` at `time` (POSIX seconds)."""
        signature = self.private_key.sign(signed_message(text, time))
        encoded = base64.b64encode(self.key.key_id + struct.pack(">Q", time) + signature).decode()
        return f"{SIGNATURE_DASH}{self.name} {encoded}\n"

    def _secret(self) -> bytes:
        return self.private_key.private_bytes_raw()

    _from_secret = staticmethod(Ed25519PrivateKey.from_private_bytes)
    _new = staticmethod(Ed25519PrivateKey.generate)


def cosigned_by(note: str, keys: list[CosignerKey]) -> dict[str, int]:
    """The witnesses among `keys` whose valid cosignature the note carries, with the time each cosigned; lines by
    other keys are ignored, as the protocol requires."""
    text, signatures = note_signatures(note)
    found: dict[str, int] = {}
    for name, raw in signatures:
        for key in keys:
            if key.name == name and key.name not in found and (time := key.time_of(text, raw)) is not None:
                found[key.name] = time
    return found


def parse_witness_lines(lines: str) -> list[tuple[str, bytes]]:
    """The signature lines a witness answered with, as (name, bytes); NoteError if any is not one."""
    _text, signatures = note_signatures(f"x\n\n{lines}")
    return signatures


def require_quorum(note: str, keys: list[CosignerKey], quorum: int) -> dict[str, int]:
    """The witnesses that cosigned the note, if at least `quorum` of `keys` did; NoteError saying how many did
    otherwise (a checkpoint under quorum may be one of two histories shown to two audiences)."""
    found = cosigned_by(note, keys)
    if len(found) < quorum:
        raise NoteError(f"cosigned by {len(found)} of the {len(keys)} witnesses; {quorum} required")
    return found
