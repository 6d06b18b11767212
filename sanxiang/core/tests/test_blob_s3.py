"""The S3 store against a real S3-compatible server (OpenStack Swift's s3api, started by .ci/run; tools/s3-server):
multipart uploads completed only under the right name, never a second write of a name, reads from anywhere, and a
server that stops mid-ingest; in 国密 mode, objects sealed with SM4-GCM on their way, read by ranges of their segments,
and copied out and back as they are. SANXIANG_TEST_S3_ENDPOINT names the server; with CI=true a missing one fails."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from sanxiang.core import blob_s3, blob_s3_transfer
from sanxiang.core.blob_crypt import SEGMENT, TAG, KeyFile
from sanxiang.core.blob_errors import BlobError, DigestMismatch
from sanxiang.core.blob_s3 import BlobUnavailable, S3Store
from sanxiang.testing.blobs import bucket_ensure
from sanxiang.testing.relay import Relay

ENDPOINT = os.environ.get("SANXIANG_TEST_S3_ENDPOINT", "")
BUCKET = "sanxiang-test"
PART = 5 * 1024 * 1024  # the smallest part S3 accepts: a few parts stay cheap to send


def _store(endpoint: str, *, prefix: str | None = None, keeper=None) -> S3Store:
    return S3Store(
        bucket=BUCKET,
        prefix=prefix or f"{uuid.uuid4().hex}/",
        endpoint=endpoint,
        region="us-east-1",
        retention_days=0,
        keeper=keeper,
    )


@pytest.fixture
def store(monkeypatch) -> S3Store:
    if not ENDPOINT:
        if os.environ.get("CI") == "true":
            pytest.fail("SANXIANG_TEST_S3_ENDPOINT is not set: .ci/run starts Swift (tools/s3-server) and sets it")
        pytest.skip("no S3 server: tools/s3-server start var/s3 and SANXIANG_TEST_S3_ENDPOINT=http://127.0.0.1:18080")
    for name, value in (("AWS_ACCESS_KEY_ID", "test:tester"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, os.environ.get(name, value))
    monkeypatch.setattr(blob_s3, "PART", PART)
    store = _store(ENDPOINT)
    bucket_ensure(store)
    return store


def _calls(store: S3Store) -> list[str]:
    """The S3 operations the store's client makes from now on."""
    made: list[str] = []
    store.client.meta.events.register("before-call.s3.*", lambda model, **_: made.append(model.name))
    return made


def _uploads(store: S3Store) -> list:
    return store.client.list_multipart_uploads(Bucket=BUCKET, Prefix=store.prefix).get("Uploads", [])


class _Once(io.RawIOBase):
    """A stream read once (a socket's body): no seek, so it is spooled before it is sent."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self.stream.readinto(buffer)


@pytest.fixture
def data() -> bytes:
    return os.urandom(2 * PART + 4321)  # parts of at least PART, the last one short


def test_a_large_file_is_sent_in_parts_under_its_content_address(store, data):
    made = _calls(store)
    digest, size = store.ingest(io.BytesIO(data))
    assert (digest, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert made.count("UploadPart") >= 2 and made.count("CompleteMultipartUpload") == 1 and "PutObject" not in made
    assert list(store.names()) == [digest] and store.size(digest) == len(data) and _uploads(store) == []
    with store.open(digest) as handle:
        assert hashlib.file_digest(handle, "sha256").hexdigest() == digest


def test_reads_start_anywhere_after_a_seek(store, data):
    digest, _size = store.ingest(io.BytesIO(data))
    with store.open(digest) as handle:
        handle.seek(PART + 10)
        assert handle.read(100) == data[PART + 10 : PART + 110]
        handle.seek(3)
        assert handle.read(5) == data[3:8] and handle.tell() == 8
        handle.seek(-4, io.SEEK_END)
        assert handle.read() == data[-4:]


def test_a_stream_read_once_is_spooled_and_named_the_same(store, data):
    assert store.ingest(_Once(data))[0] == hashlib.sha256(data).hexdigest()


def test_a_name_already_stored_is_never_written_again(store, data):
    digest, _size = store.ingest(io.BytesIO(data))
    made = _calls(store)
    assert store.ingest(io.BytesIO(data))[0] == digest
    assert store.ingest(io.BytesIO(data), expected=digest)[0] == digest
    assert not {"PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"} & set(made)


def test_bytes_that_do_not_match_the_recorded_hash_are_aborted_before_they_take_the_name(store, data):
    claimed = hashlib.sha256(b"what the device said it recorded").hexdigest()
    with pytest.raises(DigestMismatch):
        store.ingest(_Once(data), expected=claimed)
    assert not store.exists(claimed) and list(store.names()) == [] and _uploads(store) == []


def test_an_empty_or_oversized_file_is_refused_and_nothing_is_left(store, data):
    with pytest.raises(BlobError):
        store.ingest(io.BytesIO(b""))
    with pytest.raises(BlobError):
        store.ingest(_Once(data), max_bytes=PART)
    assert list(store.names()) == [] and _uploads(store) == []


def test_objects_that_are_not_blobs_are_not_listed(store, data):
    digest, _size = store.ingest(io.BytesIO(b"a blob"))
    store.client.put_object(Bucket=BUCKET, Key=f"{store.prefix}README", Body=b"someone else's")
    store.client.put_object(Bucket=BUCKET, Key=f"{store.prefix}ab/cd/not-a-hash", Body=b"x")
    assert list(store.names()) == [digest]


def test_the_server_stopping_mid_ingest_is_a_clear_error_nothing_is_stored_and_the_ingest_can_be_done_again(
    store, data
):
    relay = Relay(int(ENDPOINT.rsplit(":", 1)[1]))
    cut_off = _store(f"http://127.0.0.1:{relay.port}")
    cut_off.prefix = store.prefix

    class CutAfterFirstPart(_Once):
        def readinto(self, buffer) -> int:
            if self.stream.tell() >= PART:
                relay.cut()  # the server goes away with a part sent and the next on its way
            return super().readinto(buffer)

    with pytest.raises(BlobUnavailable, match="对象存储暂不可用"):
        cut_off.ingest(CutAfterFirstPart(data), expected=hashlib.sha256(data).hexdigest())
    assert list(store.names()) == []
    # the unfinished upload could not be aborted while the server was away: the sweep aborts it, then the device's
    # new attempt stores the file. (S3 gives the upload's start in whole seconds, rounded up: wait past it.)
    time.sleep(1.1)
    assert len(_uploads(store)) == 1 and store.sweep_incoming(older_than_seconds=0) == 1 and _uploads(store) == []
    assert store.ingest(io.BytesIO(data))[0] == hashlib.sha256(data).hexdigest()


def test_a_server_that_does_not_answer_is_a_clear_error(store):
    relay = Relay(int(ENDPOINT.rsplit(":", 1)[1]))
    relay.cut()
    with pytest.raises(BlobUnavailable, match="对象存储暂不可用"):
        _store(f"http://127.0.0.1:{relay.port}").ingest(io.BytesIO(b"a photo"))


def test_a_missing_bucket_or_wrong_secret_is_said_plainly_and_nothing_is_stored(store, monkeypatch):
    missing = S3Store(bucket="no-such-bucket-here", prefix="", endpoint=ENDPOINT, region="us-east-1", retention_days=0)
    with pytest.raises(BlobUnavailable, match="没有存储桶 no-such-bucket-here"):
        missing.ingest(io.BytesIO(b"a photo"))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(BlobUnavailable, match="访问密钥不匹配|拒绝访问"):
        _store(ENDPOINT).ingest(io.BytesIO(b"a photo"))


# 国密 mode: the same bucket sealed with SM4-GCM (core.blob_crypt)

MARKER = b"sanxiang-plaintext-marker "  # must never be found in the bucket


@pytest.fixture
def keeper(tmp_path) -> KeyFile:
    return KeyFile.load(tmp_path / "blob.key", create=True)


@pytest.fixture
def sealed(store, keeper) -> S3Store:
    """The store's bucket and prefix with a key keeper: what it stores is encrypted."""
    return _store(ENDPOINT, prefix=store.prefix, keeper=keeper)


@pytest.fixture
def marked(data) -> bytes:
    """Several parts of plaintext with markers at its start, in its middle and at its end."""
    return MARKER + data[:PART] + MARKER * 3 + data[PART:] + MARKER


def _keys(store: S3Store) -> list[str]:
    listed = store.client.list_objects_v2(Bucket=BUCKET, Prefix=store.prefix).get("Contents", [])
    return [item["Key"] for item in listed]


def _raw(store: S3Store, key: str) -> bytes:
    return store.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.mark.parametrize("source", ["seekable", "read once", "hash recorded", "one part"])
def test_an_encrypted_ingest_puts_no_plaintext_in_the_bucket_and_reads_back_whole(sealed, marked, source):
    data = marked[: 3 * len(MARKER)] if source == "one part" else marked
    digest = hashlib.sha256(data).hexdigest()
    made = _calls(sealed)
    stream = _Once(data) if source == "read once" else io.BytesIO(data)
    assert sealed.ingest(stream, expected=digest if source == "hash recorded" else None) == (digest, len(data))
    assert _keys(sealed) == [f"{sealed.prefix}{digest[:2]}/{digest[2:4]}/{digest}.sm4"] and _uploads(sealed) == []
    stored = _raw(sealed, sealed.key(digest, sealed=True))
    assert MARKER not in stored and len(stored) > len(data)
    assert ("PutObject" in made) == (source == "one part") and ("CompleteMultipartUpload" in made) != (
        "PutObject" in made
    )
    assert list(sealed.names()) == [digest] and sealed.exists(digest) and sealed.size(digest) == len(data)
    assert sealed.sealed_size(digest) == len(stored)
    with sealed.open(digest) as handle:
        assert hashlib.file_digest(handle, "sha256").hexdigest() == digest
    with sealed.local_file(digest) as path:
        assert path.read_bytes() == data


def test_a_stream_read_once_is_sealed_as_it_is_spooled(sealed, marked, monkeypatch):
    """The spool of a read-once stream holds the sealed bytes, as the file store's temporary file does."""
    spools = []

    def kept_spool(**arguments):
        spool = tempfile.NamedTemporaryFile(delete=False, **arguments)  # noqa: SIM115 - read after the ingest
        spools.append(Path(spool.name))
        return spool

    monkeypatch.setattr(blob_s3.tempfile, "TemporaryFile", kept_spool)
    digest, _size = sealed.ingest(_Once(marked))
    [spool] = spools
    try:
        assert spool.read_bytes() == _raw(sealed, sealed.key(digest, sealed=True)) and MARKER not in spool.read_bytes()
    finally:
        spool.unlink()
    with sealed.open(digest) as handle:
        assert handle.read() == marked


def test_a_sealed_object_is_read_from_any_offset_by_ranges_of_the_segments_read(sealed, monkeypatch):
    data = os.urandom(12 * SEGMENT + 77)
    digest, _size = sealed.ingest(io.BytesIO(data))
    length = sealed.stored(digest)[1]
    header = length - 12 * (SEGMENT + TAG) - (77 + TAG)  # twelve whole segments and a short one
    ranges: list[str] = []
    sealed.client.meta.events.register(
        "before-parameter-build.s3.GetObject", lambda params, **_: ranges.append(params["Range"])
    )
    received: list[int] = []
    reading = blob_s3_transfer.ObjectReader.readinto
    monkeypatch.setattr(blob_s3_transfer.ObjectReader, "readinto", _counting(reading, received))
    with sealed.open(digest) as handle:
        for offset, size in [(5 * SEGMENT + 10, 100), (3, 5), (2 * SEGMENT - 10, 30), (11 * SEGMENT + 70, 1000)]:
            handle.seek(offset)
            assert handle.read(size) == data[offset : offset + size] and handle.tell() == offset + size
        handle.seek(-4, io.SEEK_END)
        assert handle.read() == data[-4:]
    # the header, then segments 5, 0 (1 and 2 following on), 11 (12 following on): never the whole object
    starts = [int(ranged.removeprefix("bytes=").partition("-")[0]) for ranged in ranges]
    assert starts == [0, header + 5 * (SEGMENT + TAG), header, header + 11 * (SEGMENT + TAG)]
    assert sum(received) == header + 5 * (SEGMENT + TAG) + 77 + TAG


def _counting(readinto, received: list[int]):
    def counted(reader, buffer) -> int:
        received.append(readinto(reader, buffer))
        return received[-1]

    return counted


def test_a_sealed_upload_that_does_not_match_the_recorded_hash_leaves_no_object(sealed, marked):
    claimed = hashlib.sha256(b"what the device said it recorded").hexdigest()
    for source in (io.BytesIO(marked), _Once(marked), io.BytesIO(b"one part")):
        with pytest.raises(DigestMismatch):
            sealed.ingest(source, expected=claimed)
    assert _keys(sealed) == [] and _uploads(sealed) == [] and not sealed.exists(claimed)


def test_a_changed_byte_in_a_sealed_object_is_refused_when_read(sealed):
    data = os.urandom(3 * SEGMENT + 5)
    digest, _size = sealed.ingest(io.BytesIO(data))
    key = sealed.key(digest, sealed=True)
    original = _raw(sealed, key)

    changed = bytearray(original)
    changed[-100] ^= 1  # in the last segment
    sealed.client.put_object(Bucket=BUCKET, Key=key, Body=bytes(changed))
    with sealed.open(digest) as handle:
        assert handle.read(SEGMENT) == data[:SEGMENT]  # the segments before it are intact
        with pytest.raises(BlobError, match="未通过完整性校验"):
            handle.read()

    changed = bytearray(original)
    changed[10] ^= 1  # in the wrapped data key
    sealed.client.put_object(Bucket=BUCKET, Key=key, Body=bytes(changed))
    with pytest.raises(BlobError, match="主密钥"):
        sealed.open(digest)


def test_objects_stored_plain_before_stay_readable_and_listed_and_are_not_stored_again(store, sealed):
    before, after = b"stored before the bucket was encrypted", b"stored after"
    plain, _size = store.ingest(io.BytesIO(before))
    encrypted, _size = sealed.ingest(io.BytesIO(after))
    assert list(sealed.names()) == sorted([plain, encrypted]) == list(store.names())
    assert sorted(_keys(sealed)) == sorted([store.key(plain), sealed.key(encrypted, sealed=True)])
    with sealed.open(plain) as handle:
        assert handle.read() == before
    assert sealed.size(plain) == len(before) and sealed.sealed_size(plain) is None
    made = _calls(sealed)
    assert sealed.ingest(io.BytesIO(before))[0] == plain and sealed.ingest(_Once(before), expected=plain)[0] == plain
    assert not {"PutObject", "CreateMultipartUpload"} & set(made) and len(_keys(sealed)) == 2
    with pytest.raises(BlobError, match="未配置存储加密密钥"):
        store.open(encrypted)  # an installation without the key says why it cannot read


def test_a_sealed_object_is_copied_out_and_put_back_as_it_is_only_when_it_reads_back_to_its_name(
    sealed, keeper, marked, tmp_path
):
    digest, _size = sealed.ingest(io.BytesIO(marked))
    copy = tmp_path / "copy.sm4"
    with sealed.open_stored(digest) as stored:
        copy.write_bytes(stored.read())
    assert copy.stat().st_size == sealed.sealed_size(digest) and MARKER not in copy.read_bytes()

    target = _store(ENDPOINT, keeper=keeper)
    changed = tmp_path / "changed.sm4"
    changed.write_bytes(copy.read_bytes()[:-20] + bytes([copy.read_bytes()[-20] ^ 1]) + copy.read_bytes()[-19:])
    other = KeyFile.load(tmp_path / "other.key", create=True)
    refusals = [
        (target, copy, hashlib.sha256(b"another").hexdigest(), DigestMismatch),
        (target, changed, digest, BlobError),  # its last segment, after the parts before it were sent
        (_store(ENDPOINT, prefix=target.prefix, keeper=other), copy, digest, BlobError),
        (_store(ENDPOINT, prefix=target.prefix), copy, digest, BlobError),
    ]
    for into, source, expected, error in refusals:
        with pytest.raises(error):
            into.put_sealed(source, expected=expected)
        assert _keys(target) == [] and _uploads(target) == []  # nothing stored, nothing left over
    target.put_sealed(copy, expected=digest)
    assert _raw(target, target.key(digest, sealed=True)) == copy.read_bytes()  # not sealed again
    with target.open(digest) as handle:
        assert handle.read() == marked


def _start_up(tmp_path, **env) -> subprocess.CompletedProcess:
    variables = {"SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_BLOB_URL": "s3://hlj-evidence?endpoint=https://oss:9000"}
    return subprocess.run(
        [sys.executable, "-c", "from sanxiang import settings; print(settings.BLOB_ENCRYPTION)"],
        env={**os.environ, **variables, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_takes_sm4_with_a_bucket_given_the_key_every_server_shares(tmp_path):
    key = tmp_path / "shared" / "blob.key"
    KeyFile.load(key, create=True)
    for chosen in ({"SANXIANG_BLOB_KEY_FILE": str(key)}, {"SANXIANG_BLOB_KMS": "mykms.blob_keeper"}):
        started = _start_up(tmp_path, SANXIANG_BLOB_ENCRYPTION="sm4-gcm", **chosen)
        assert started.returncode == 0 and started.stdout.strip() == "sm4-gcm", started.stderr
    missing = _start_up(tmp_path, SANXIANG_BLOB_ENCRYPTION="sm4-gcm")  # a key of its own would be made on first use
    assert missing.returncode != 0 and "SANXIANG_BLOB_KEY_FILE" in missing.stderr and "每台服务器" in missing.stderr
    assert not (tmp_path / "keys" / "blob.key").exists()
    unknown = _start_up(tmp_path, SANXIANG_BLOB_ENCRYPTION="aes-gcm", SANXIANG_BLOB_KEY_FILE=str(key))
    assert unknown.returncode != 0 and "SANXIANG_BLOB_ENCRYPTION" in unknown.stderr


def test_the_configured_bucket_seals_with_the_installations_key(settings, tmp_path):
    from sanxiang.core.blobs import blob_encrypted, blob_store

    KeyFile.load(tmp_path / "blob.key", create=True)
    settings.BLOB_URL = "s3://hlj-evidence/harbin?endpoint=https://oss:9000"
    settings.BLOB_ENCRYPTION, settings.BLOB_KEY_FILE = "sm4-gcm", tmp_path / "blob.key"
    store = blob_store()
    assert isinstance(store, S3Store) and store.prefix == "harbin/" and blob_encrypted()
    assert store.keeper == KeyFile.load(tmp_path / "blob.key", create=False)
