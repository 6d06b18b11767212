"""Blobs encrypted at rest with SM4-GCM (国密 mode): SM4 itself against the standard's example and OpenSSL 3, files
that read back byte for byte from any offset, and a file changed, cut short or reordered on disk refused."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured

from sanxiang.core.blob_crypt import SEGMENT, SUFFIX, TAG, KeyFile
from sanxiang.core.blob_errors import BlobError, DigestMismatch
from sanxiang.core.blob_files import FileStore

# GB/T 32907-2016 Annex A, example 1: one block under one key
KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
CIPHERTEXT = bytes.fromhex("681edf34d206965e86b3e94f536e4246")


def test_sm4_gives_the_standards_example_as_openssl_3_does(tmp_path):
    encryptor = Cipher(algorithms.SM4(KEY), modes.ECB()).encryptor()
    assert encryptor.update(KEY) + encryptor.finalize() == CIPHERTEXT
    (tmp_path / "block").write_bytes(KEY)
    openssl = subprocess.run(
        ["openssl", "enc", "-sm4-ecb", "-K", KEY.hex(), "-nopad", "-in", str(tmp_path / "block")],
        capture_output=True,
        check=True,
    )
    assert openssl.stdout == CIPHERTEXT


@pytest.fixture
def keeper(tmp_path):
    return KeyFile.load(tmp_path / "keys" / "blob.key", create=True)


@pytest.fixture
def store(tmp_path, keeper):
    return FileStore(tmp_path / "blobs", keeper=keeper)


@pytest.mark.parametrize("size", [1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 5])
def test_an_encrypted_blob_reads_back_whole_and_from_any_offset(store, size):
    data = os.urandom(size)
    name, stored = store.ingest(io.BytesIO(data))
    assert (name, stored) == (hashlib.sha256(data).hexdigest(), size)
    on_disk = store.path(name)
    assert on_disk.name == name + SUFFIX
    assert size < 64 or data[:64] not in on_disk.read_bytes()  # no run of the plaintext on disk
    assert store.size(name) == size and list(store.names()) == [name]
    with store.open(name) as handle:
        assert handle.read() == data
        for offset in {0, size // 2, max(0, size - 3), min(size - 1, SEGMENT + 7)}:
            handle.seek(offset)
            assert handle.read(SEGMENT + 10) == data[offset : offset + SEGMENT + 10]
    with store.local_file(name) as path:
        assert path.read_bytes() == data


def _damaged(store, name, change) -> None:
    path = store.path(name)
    path.chmod(0o600)
    path.write_bytes(change(path.read_bytes()))
    with pytest.raises(BlobError), store.open(name) as handle:
        handle.read()


def test_a_changed_byte_a_cut_or_swapped_segments_are_refused(store):
    data = os.urandom(3 * SEGMENT)
    name, _ = store.ingest(io.BytesIO(data))
    original = store.path(name).read_bytes()
    header = len(original) - 3 * (SEGMENT + TAG)
    _damaged(store, name, lambda raw: raw[:-100] + bytes([raw[-100] ^ 1]) + raw[-99:])  # one bit changed
    _damaged(store, name, lambda raw: original[: header + 2 * (SEGMENT + TAG)])  # the last segment dropped
    first, second = header, header + SEGMENT + TAG
    swapped = original[:first] + original[second : second + SEGMENT + TAG] + original[first:second]
    _damaged(store, name, lambda raw: swapped + original[second + SEGMENT + TAG :])  # segments 1 and 2 reordered


@pytest.mark.parametrize("cut", [1, 10, 16, 17, TAG + SEGMENT // 2])
@pytest.mark.parametrize("size", [SEGMENT + 1, 2 * SEGMENT + 5000, 10])
def test_a_file_cut_short_by_any_number_of_bytes_is_refused(store, cut, size):
    """Within the last tag, across it, or into the segment before: never a shorter plaintext read without error (a
    10-byte blob cut by 10 leaves what reads as an empty blob's lone tag: checked on opening)."""
    name, _ = store.ingest(io.BytesIO(os.urandom(size)))
    original = store.path(name).read_bytes()
    _damaged(store, name, lambda raw: original[:-cut])


def test_another_master_key_opens_nothing(store, tmp_path):
    name, _ = store.ingest(io.BytesIO(b"evidence"))
    other = FileStore(store.root, keeper=KeyFile.load(tmp_path / "other.key", create=True))
    with pytest.raises(BlobError, match="主密钥"):
        other.open(name)
    with pytest.raises(BlobError, match="未配置存储加密密钥"):
        FileStore(store.root).open(name)


def test_files_stored_before_encryption_still_read_and_are_not_stored_twice(tmp_path, keeper):
    plain = FileStore(tmp_path / "blobs")
    name, _ = plain.ingest(io.BytesIO(b"stored before"))
    sealed = FileStore(tmp_path / "blobs", keeper=keeper)
    with sealed.open(name) as handle:
        assert handle.read() == b"stored before"
    assert sealed.ingest(io.BytesIO(b"stored before"))[0] == name
    assert not sealed.path(name).name.endswith(SUFFIX) and list(sealed.names()) == [name]


def test_a_sealed_file_is_taken_as_it_is_only_when_its_plaintext_reads_back_to_its_name(store, keeper, tmp_path):
    data = os.urandom(2 * SEGMENT + 9)
    name, _ = store.ingest(io.BytesIO(data))
    sealed = store.path(name)
    assert store.sealed_size(name) == sealed.stat().st_size
    target = FileStore(tmp_path / "restored", keeper=keeper)
    changed = tmp_path / "changed.sm4"
    changed.write_bytes(sealed.read_bytes()[:-1] + bytes([sealed.read_bytes()[-1] ^ 1]))
    refusals = [
        (target, sealed, hashlib.sha256(b"another").hexdigest(), DigestMismatch),
        (target, changed, name, BlobError),
        (FileStore(target.root, keeper=KeyFile.load(tmp_path / "other.key", create=True)), sealed, name, BlobError),
        (FileStore(target.root), sealed, name, BlobError),
    ]
    for into, source, expected, error in refusals:
        with pytest.raises(error):
            into.put_sealed(source, expected=expected)
        assert not [path for path in target.root.rglob("*") if path.is_file()]  # nothing stored, nothing left over
    target.put_sealed(sealed, expected=name)
    with target.open_stored(name) as stored:
        assert stored.read() == sealed.read_bytes()  # not sealed again
    with target.open(name) as handle:
        assert handle.read() == data
    plain = FileStore(tmp_path / "plain")
    assert plain.sealed_size(plain.ingest(io.BytesIO(b"stored plain"))[0]) is None


def test_a_key_file_others_may_read_is_refused(tmp_path):
    path = tmp_path / "blob.key"
    KeyFile.load(path, create=True)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    path.chmod(0o644)
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        KeyFile.load(path, create=False)
    path.chmod(0o600)
    path.write_text("not a key\n")
    with pytest.raises(BlobError, match="32 位十六进制数"):
        KeyFile.load(path, create=False)


def test_the_configured_store_encrypts_what_the_services_store(settings, tmp_path, db):
    from sanxiang.core.blobs import blob_hash, blob_put, blob_read, blob_store

    settings.BLOB_ENCRYPTION = "sm4-gcm"
    settings.BLOB_KEY_FILE = tmp_path / "keys" / "blob.key"
    name = blob_put(b"a recording")
    assert blob_store().path(name).name.endswith(SUFFIX)
    assert blob_read(name) == b"a recording" and blob_hash(name) == name
    assert (tmp_path / "keys" / "blob.key").stat().st_mode & 0o077 == 0
