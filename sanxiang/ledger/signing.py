"""C2SP signed notes with Ed25519: the signing key, the published verifier key, signing and verifying notes.

Key formats (as in the C2SP signed-note ecosystem):
  verifier key  <name>+<8 hex digits of key ID>+<base64(0x01 ‖ 32-byte public key)>
  signer key    PRIVATE+KEY+<name>+<8 hex digits of key ID>+<base64(0x01 ‖ 32-byte seed)>
Key ID = the first 4 bytes of SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key).

Checkpoints are signed through the small `NoteSigner` protocol, so the key can stay in an HSM or a cloud KMS: a
deployment names a factory in SANXIANG_LEDGER_SIGNER and only raw Ed25519 signing has to happen there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import ImproperlyConfigured

from sanxiang.core.files import make_private_dir

ED25519 = 0x01  # the signature-type byte of C2SP signed notes
SIGNATURE_DASH = "\u2014 "  # "— " begins every signature line


class NoteError(ValueError):
    """A note that is malformed or whose signature does not verify."""


def _prefix(kind: int | bytes) -> bytes:
    return bytes([kind]) if isinstance(kind, int) else kind


def key_id(name: str, public_key: bytes, kind: int | bytes = ED25519) -> bytes:
    """The first 4 bytes of SHA-256(name ‖ "\\n" ‖ kind ‖ public key); kind is the signature-type byte (or, for
    the types signed notes leave unassigned, 0xff and an identifier)."""
    return hashlib.sha256(name.encode() + b"\n" + _prefix(kind) + public_key).digest()[:4]


def key_type(text: str) -> bytes:
    """The type prefix a verifier key's bytes begin with, to tell key kinds apart: one byte (0x01 Ed25519, 0x04 a
    witness), or for the types signed notes leave unassigned 0xff, an ASCII identifier and a newline (ours: SM2)."""
    try:
        raw = base64.b64decode(text.strip().split("+", 2)[-1], validate=True)
    except binascii.Error:
        raise NoteError("the verifier key is not valid base64") from None
    return raw[:1] if raw[:1] != b"\xff" else raw[: raw.find(b"\n") + 1 or 1]


def parse_vkey(text: str, kind: int | bytes, length: int = 32) -> tuple[str, bytes]:
    """(name, public key) of a verifier key `name+keyid+base64(kind ‖ key)`; NoteError otherwise."""
    parts = text.strip().split("+", 2)  # base64 may itself contain "+"
    if len(parts) != 3 or not valid_name(parts[0]):
        raise NoteError("a verifier key reads name+keyid+base64")
    name, hex_id, encoded = parts
    raw = _key_bytes(encoded, _prefix(kind), length, "verifier")
    if key_id(name, raw, kind).hex() != hex_id.lower():
        raise NoteError("the verifier key's key ID does not match its name and key")
    return name, raw


def parse_skey(text: str, kind: int | bytes, length: int = 32) -> tuple[str, str, bytes]:
    """(name, hex key ID, private key bytes) of a signer key `PRIVATE+KEY+name+keyid+base64(kind ‖ key)`."""
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not valid_name(parts[2]):
        raise NoteError("a signer key reads PRIVATE+KEY+name+keyid+base64")
    return parts[2], parts[3].lower(), _key_bytes(parts[4], _prefix(kind), length, "signer")


def _key_bytes(encoded: str, prefix: bytes, length: int, role: str) -> bytes:
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise NoteError(f"the {role} key is not valid base64") from None
    if len(raw) != len(prefix) + length or not raw.startswith(prefix):
        raise NoteError(f"only {role} keys of type 0x{prefix.hex()} with {length} bytes of key are supported here")
    return raw[len(prefix) :]


def valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(char.isspace() for char in name)


@dataclass(frozen=True)
class Verifier:
    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> Verifier:
        return cls(*parse_vkey(text, ED25519))

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


class PrivateKeyText:
    """The key-file text every private key here is kept in: PRIVATE+KEY+<name>+<key ID>+base64(prefix ‖ secret).

    A key class names its PREFIX (the signature type) and SECRET (the secret's length), and says how its secret is
    read and written (`_secret`, `_from_secret`, `_new`) and what its public key ID is (`public_key_id`)."""

    PREFIX: bytes
    SECRET = 32

    def encode(self) -> str:
        encoded = base64.b64encode(self.PREFIX + self._secret()).decode()
        return f"PRIVATE+KEY+{self.name}+{self.public_key_id.hex()}+{encoded}"

    @classmethod
    def decode(cls, text: str):
        name, hex_id, secret = parse_skey(text, cls.PREFIX, cls.SECRET)
        try:
            key = cls(name, cls._from_secret(secret))
        except ValueError:
            raise NoteError("the signer key holds no valid private key") from None
        if key.public_key_id.hex() != hex_id:
            raise NoteError("the signer key's key ID does not match its key")
        return key

    @classmethod
    def generate(cls, name: str):
        if not valid_name(name):
            raise NoteError("a key name may not be empty or contain '+' or spaces")
        return cls(name, cls._new())


@runtime_checkable
class NoteSigner(Protocol):
    """What signs the log's checkpoints: a key name (the log's origin), its verifier key, and raw Ed25519 signing.

    `Signer` below keeps the key in a file; an HSM or KMS signer needs only these three members (the factory named
    by SANXIANG_LEDGER_SIGNER is called as `factory(name=origin)` and returns one).
    """

    name: str

    @property
    def verifier(self) -> Verifier: ...

    def sign(self, message: bytes) -> bytes: ...


def sign_note(signer: NoteSigner, text: str) -> str:
    """`text` (ending in a newline) followed by a blank line and `signer`'s signature line."""
    if not text.endswith("\n"):
        raise NoteError("a note's text must end with a newline")
    encoded = base64.b64encode(signer.verifier.key_id + signer.sign(text.encode())).decode()
    return f"{text}\n{SIGNATURE_DASH}{signer.name} {encoded}\n"


@dataclass(frozen=True)
class Signer(PrivateKeyText):
    """An Ed25519 key held in this process (read from the key file)."""

    PREFIX = bytes([ED25519])

    name: str
    private_key: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        public = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, public)

    @property
    def public_key_id(self) -> bytes:
        return self.verifier.key_id

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)

    def sign_note(self, text: str) -> str:
        return sign_note(self, text)

    def _secret(self) -> bytes:
        return self.private_key.private_bytes_raw()

    _from_secret = staticmethod(Ed25519PrivateKey.from_private_bytes)
    _new = staticmethod(Ed25519PrivateKey.generate)


MAX_SIGNATURES = 100  # C2SP signed-note: verifiers may reject notes with more


def note_signatures(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """A note's signed text and its signature lines as (key name, key ID ‖ signature); NoteError if malformed."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("a note is text, a blank line, then signature lines")
    if any(ord(char) < 0x20 and char != "\n" for char in note):
        raise NoteError("a note may not contain control characters other than newline")
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"a note may carry at most {MAX_SIGNATURES} signatures")
    found = []
    for line in lines:
        if not line.startswith(SIGNATURE_DASH):
            raise NoteError("every signature line starts with an em dash and a space")
        name, _, encoded = line[len(SIGNATURE_DASH) :].partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError("a signature is not valid base64") from None
        if len(raw) < 5:
            raise NoteError("a signature is too short")
        found.append((name, raw))
    return text + "\n", found


def open_note(note: str, verifier: Verifier) -> str:
    """The text of `note` if it carries a valid signature by `verifier`; NoteError otherwise."""
    text, signatures = note_signatures(note)
    for name, raw in signatures:
        if name == verifier.name and raw[:4] == verifier.key_id:
            if verifier.verify(text.encode(), raw[4:]):
                return text
            raise NoteError("the signature does not verify")
    raise NoteError(f"the note carries no signature by {verifier.name}")


def require_private(path: Path) -> None:
    """Refuse a key file that anyone but its owner may read or write: whoever reads it can sign checkpoints of a
    rewritten log, whoever writes it can swap the key."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"账本签名密钥 {path} 的权限为 {mode:04o}，其他用户可以读取或修改；请执行 chmod 600 {path}。"
            f"(Ledger signing key {path} has mode {mode:04o}; it must be 0600 or stricter: chmod 600 {path}.)"
        )


def load_signer(path: Path, *, name: str, create: bool, kind=None):
    """The signing key kept at `path` (of `kind`, a signer class: Ed25519's `Signer` unless told, ledger.keys);
    created (owner-only) only when `create` is true and no file exists.

    A damaged key file, or a missing one where the log already has checkpoints, stops us: a silently new key would
    make every earlier checkpoint unverifiable with the published key. So does a key file others may read.
    """
    if not path.exists():
        if not create:
            raise ImproperlyConfigured(
                f"账本签名密钥 {path} 不存在，而账本已有签名检查点；请恢复原密钥文件，系统不会自动生成新密钥。"
                f"(Ledger signing key {path} is missing although checkpoints exist; restore it.)"
            )
        make_private_dir(path.parent)  # every missing level owner-only, not the last one alone
        signer = (kind or Signer).generate(name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(signer.encode() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return signer
    require_private(path)
    try:
        signer = (kind or Signer).decode(path.read_text())
    except (NoteError, ValueError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(
            f"账本签名密钥 {path} 已损坏：{error}。(Ledger signing key {path} is corrupt: {error}.)"
        ) from None
    if signer.name != name:
        raise ImproperlyConfigured(
            f"账本签名密钥 {path} 的名称 {signer.name!r} 与 SANXIANG_LEDGER_ORIGIN {name!r} 不符。"
            f"(Ledger key name {signer.name!r} does not match the origin {name!r}.)"
        )
    return signer
