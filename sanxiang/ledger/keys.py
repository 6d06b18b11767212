"""The kinds of key a log's checkpoints are signed with — Ed25519 (signed-note type 0x01) or, for a log created in
国密 mode, SM2 (ledger.sm2) — told apart by the type prefix of the published verifier key."""

from __future__ import annotations

from sanxiang.ledger.signing import ED25519, NoteError, Signer, Verifier, key_type
from sanxiang.ledger.sm2 import PREFIX as SM2_PREFIX
from sanxiang.ledger.sm2 import Sm2Signer, Sm2Verifier

SIGNERS = {"ed25519": Signer, "sm2": Sm2Signer}  # SANXIANG_LEDGER_SIGNATURE → the key file's kind


def parse_verifier(text: str) -> Verifier | Sm2Verifier:
    """A published verifier key of either kind; NoteError for any other."""
    kind = key_type(text)
    if kind == bytes([ED25519]):
        return Verifier.parse(text)
    if kind == SM2_PREFIX:
        return Sm2Verifier.parse(text)
    raise NoteError(f"unknown verifier key type 0x{kind.hex()} (Ed25519 0x01 and SM2 are supported)")
