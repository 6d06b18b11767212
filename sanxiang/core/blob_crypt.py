"""Blobs encrypted at rest with SM4-GCM (国密 mode: GB/T 32907-2016 SM4, in GCM), in either store (a folder or an S3
bucket).

Each blob gets a fresh 128-bit data key, wrapped by the installation's key keeper — the master key in a key file
(SANXIANG_BLOB_KEY_FILE, owner-only) or a KMS/HSM named by SANXIANG_BLOB_KMS — and kept in the blob's header. The
plaintext is cut into segments of 64 KiB, each sealed on its own (nonce = 8 random bytes ‖ the segment's number;
the last segment's additional data marks it last), so a reader seeks to any byte (video is served by ranges) and a
blob cut short, reordered or changed fails its tag. An encrypted blob is stored as `<sha256>.sm4` (a file, or an
object's key), the SHA-256 of its plaintext as ever: the name says how to read it, and blobs stored before encryption
was turned on are read as they are. The reader and the size take any seekable reader of the stored bytes and their
length, so a file and an object read by ranged GETs are read the same way.

Layout: b"SXE1" ‖ u16 length of the wrapped key ‖ wrapped key ‖ nonce prefix (8) ‖ segments (ciphertext ‖ tag 16).
"""

from __future__ import annotations

import io
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from sanxiang.core.blob_errors import BlobError
from sanxiang.core.files import make_private_dir

MAGIC = b"SXE1"
SEGMENT = 64 * 1024
TAG = 16
KEY = 16
SUFFIX = ".sm4"
PREAMBLE = len(MAGIC) + 2  # the header's first bytes, which say how long it is
_LAST, _MORE = b"\x01", b"\x00"
_WRAP_CONTEXT = b"sanxiang blob data key"


@runtime_checkable
class KeyKeeper(Protocol):
    """What keeps the master key: wraps a blob's data key for its header and unwraps it to read the blob. A KMS or
    an HSM (its SDF interface) needs only these two; the master key never has to leave it."""

    def wrap(self, data_key: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes) -> bytes: ...


def _seal(key: bytes, nonce: bytes, plaintext: bytes, associated: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    return encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag


def _open(key: bytes, nonce: bytes, sealed: bytes, associated: bytes) -> bytes:
    if len(sealed) < TAG:
        raise InvalidTag
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-TAG:])).decryptor()
    decryptor.authenticate_additional_data(associated)
    return decryptor.update(sealed[:-TAG]) + decryptor.finalize()


@dataclass(frozen=True)
class KeyFile:
    """The master key (16 bytes) read from a file; data keys wrapped with SM4-GCM under it."""

    master: bytes

    def wrap(self, data_key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + _seal(self.master, nonce, data_key, _WRAP_CONTEXT)

    def unwrap(self, wrapped: bytes) -> bytes:
        try:
            return _open(self.master, wrapped[:12], wrapped[12:], _WRAP_CONTEXT)
        except InvalidTag:
            raise BlobError(
                _("文件的数据密钥无法用本系统的主密钥解开：主密钥不是加密时所用的，或文件头已被改动。")
            ) from None

    @classmethod
    def load(cls, path: Path, *, create: bool) -> KeyFile:
        """The key in `path` (hex, 32 digits); created owner-only when `create` and absent."""
        if not path.exists() and create:
            make_private_dir(path.parent)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(os.urandom(KEY).hex() + "\n")
        mode = stat.S_IMODE(path.stat().st_mode)
        if os.name == "posix" and mode & 0o077:  # whoever reads it reads every encrypted file
            raise ImproperlyConfigured(
                f"存储加密主密钥 {path} 的权限为 {mode:04o}，其他用户可以读取；请执行 chmod 600 {path}。"
                f"(The blob key {path} has mode {mode:04o}; it must be 0600.)"
            )
        text = path.read_text().strip()
        if len(text) != 2 * KEY or not all(char in "0123456789abcdef" for char in text):
            raise BlobError(_("存储加密主密钥文件 %(path)s 不是 32 位十六进制数。") % {"path": path})
        return cls(bytes.fromhex(text))


class Encryptor:
    """Seals a blob's plaintext as it arrives, chunk by chunk, through `write`."""

    def __init__(self, keeper: KeyKeeper, write):
        self.key, self.prefix, self.write = os.urandom(KEY), os.urandom(8), write
        wrapped = keeper.wrap(self.key)
        write(MAGIC + struct.pack(">H", len(wrapped)) + wrapped + self.prefix)
        self.pending, self.number = bytearray(), 0

    def update(self, chunk: bytes) -> None:
        self.pending += chunk
        while len(self.pending) > SEGMENT:  # the last segment is sealed by finish(), marked last
            self._seal(bytes(self.pending[:SEGMENT]), _MORE)
            del self.pending[:SEGMENT]

    def finish(self) -> None:
        self._seal(bytes(self.pending), _LAST)

    def _seal(self, plaintext: bytes, last: bytes) -> None:
        nonce = self.prefix + struct.pack(">I", self.number)
        self.write(_seal(self.key, nonce, plaintext, last))
        self.number += 1


class DecryptingReader(io.RawIOBase):
    """A stored encrypted blob read as its plaintext, seekable: each read opens the segments it covers. `raw` reads the
    stored bytes (a file, or an object by ranged GETs) from their start, `length` of them, and is closed with it."""

    def __init__(self, raw: BinaryIO, length: int, keeper: KeyKeeper | None):
        self.raw = raw
        try:
            if keeper is None:
                raise no_key()
            self.start = _header_length(raw)
            wrapped = _read_exactly(raw, self.start - PREAMBLE - 8)
            self.prefix = _read_exactly(raw, 8)
            if len(wrapped) + len(self.prefix) != self.start - PREAMBLE or length < self.start:
                raise _damaged_header()
            self.key = keeper.unwrap(wrapped)
        except BaseException:
            raw.close()
            raise
        try:
            self.segments, self.length = _segments(length - self.start)
        except BlobError:
            raw.close()
            raise
        self.position = 0
        self.cached: tuple[int, bytes] | None = None  # the segment read last: a read within it asks `raw` for nothing
        if self.length == 0:  # no read would open its one segment: its tag is checked now
            self._segment(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.length:
            return 0
        number, within = divmod(self.position, SEGMENT)
        plaintext = self._segment(number)[within : within + len(buffer)]
        buffer[: len(plaintext)] = plaintext
        self.position += len(plaintext)
        return len(plaintext)

    def _segment(self, number: int) -> bytes:
        if self.cached and self.cached[0] == number:
            return self.cached[1]
        self.raw.seek(self.start + number * (SEGMENT + TAG))
        sealed = _read_exactly(self.raw, SEGMENT + TAG)
        nonce = self.prefix + struct.pack(">I", number)
        try:
            plaintext = _open(self.key, nonce, sealed, _LAST if number == self.segments - 1 else _MORE)
        except InvalidTag:
            raise BlobError(
                _("加密存储的文件第 %(n)s 段未通过完整性校验：文件已被改动或截断。") % {"n": number + 1}
            ) from None
        self.cached = (number, plaintext)
        return plaintext

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_encrypted(raw: BinaryIO, length: int, keeper: KeyKeeper | None) -> BinaryIO:
    """The plaintext of the encrypted blob whose stored bytes `raw` reads (`length` of them), seekable; BlobError when
    there is no keeper, or its master key is not the one that sealed the blob."""
    return io.BufferedReader(DecryptingReader(raw, length, keeper), buffer_size=SEGMENT)


def open_encrypted_file(path: Path, keeper: KeyKeeper | None) -> BinaryIO:
    """open_encrypted for a file, in a store or out of it (a backup's copy)."""
    raw = path.open("rb")
    return open_encrypted(raw, os.fstat(raw.fileno()).st_size, keeper)


def plaintext_size(raw: BinaryIO, length: int) -> int:
    """The plaintext length of an encrypted blob whose stored bytes are `length` long, from the first PREAMBLE bytes
    `raw` reads (the header's length): nothing is decrypted."""
    return _segments(length - _header_length(raw))[1]


def _header_length(raw: BinaryIO) -> int:
    """The header's length, from its first PREAMBLE bytes; BlobError when they are not a header of ours."""
    head = _read_exactly(raw, PREAMBLE)
    if len(head) != PREAMBLE or head[:4] != MAGIC:
        raise _damaged_header()
    return PREAMBLE + struct.unpack(">H", head[4:])[0] + 8


def _segments(stored: int) -> tuple[int, int]:
    """How many segments `stored` bytes of them are, and the length of their plaintext; BlobError for a length no
    sealed blob has. Every segment but the last is full; the last holds 1 to SEGMENT bytes and its tag, or only its
    tag in an empty blob. A file cut inside the last tag would otherwise read as a shorter plaintext whose end is never
    checked."""
    full, rest = divmod(stored, SEGMENT + TAG)
    if rest == 0 and full:
        return full, full * SEGMENT
    if rest < TAG or (rest == TAG and full):
        raise BlobError(_("加密存储的文件长度不对：文件已被截断。"))
    return full + 1, full * SEGMENT + rest - TAG


def _read_exactly(raw: BinaryIO, size: int) -> bytes:
    """`size` bytes, fewer only at the end: a raw reader (an object's ranged GET) may give fewer at a time."""
    data = bytearray()
    while len(data) < size:
        chunk = raw.read(size - len(data))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _damaged_header() -> BlobError:
    return BlobError(_("加密存储的文件头已损坏。"))


def no_key() -> BlobError:
    return BlobError(_("该文件加密存储，而本系统未配置存储加密密钥（SANXIANG_BLOB_ENCRYPTION）。"))
