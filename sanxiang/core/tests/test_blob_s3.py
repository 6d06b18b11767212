"""The S3 store against a real S3-compatible server (OpenStack Swift's s3api, started by .ci/run; tools/s3-server):
multipart uploads completed only under the right name, never a second write of a name, reads from anywhere, and a
server that stops mid-ingest. SANXIANG_TEST_S3_ENDPOINT names the server; with CI=true a missing one fails."""

from __future__ import annotations

import hashlib
import io
import os
import time
import uuid

import pytest

from sanxiang.core import blob_s3
from sanxiang.core.blob_errors import BlobError, DigestMismatch
from sanxiang.core.blob_s3 import BlobUnavailable, S3Store
from sanxiang.testing.blobs import bucket_ensure
from sanxiang.testing.relay import Relay

ENDPOINT = os.environ.get("SANXIANG_TEST_S3_ENDPOINT", "")
BUCKET = "sanxiang-test"
PART = 5 * 1024 * 1024  # the smallest part S3 accepts: a few parts stay cheap to send


def _store(endpoint: str) -> S3Store:
    return S3Store(
        bucket=BUCKET, prefix=f"{uuid.uuid4().hex}/", endpoint=endpoint, region="us-east-1", retention_days=0
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
