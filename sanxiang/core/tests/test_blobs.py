"""The content-addressed store's ingest: the hash runs on its own thread beside the copy. Whatever the source and
however it breaks, the name is the SHA-256 of exactly the bytes stored, and a failed ingest leaves nothing behind.
The same tests run on the file store and (make test-s3) on an S3 bucket."""

from __future__ import annotations

import hashlib
import io
import os
import time

import pytest

from sanxiang.core import blobs
from sanxiang.core.blobs import BlobError, DigestMismatch, blob_exists, blob_ingest, blob_read
from sanxiang.testing.blobs import leftovers


class _ReadOnly:
    """A stream with read() and nothing else (a socket's file, a decompressor): read in pieces of its own size."""

    def __init__(self, data: bytes, piece: int) -> None:
        self.data, self.piece, self.at = data, piece, 0

    def read(self, size: int = -1) -> bytes:
        taken = self.data[self.at : self.at + min(size, self.piece)]
        self.at += len(taken)
        return taken


class _Breaks(io.RawIOBase):
    """A file that fails after `good` bytes, as a disconnected upload does."""

    def __init__(self, data: bytes, good: int) -> None:
        self.data, self.good, self.at = data, good, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.at >= self.good:
            raise ConnectionResetError("the client went away")
        taken = self.data[self.at : self.at + min(len(buffer), self.good - self.at)]
        buffer[: len(taken)] = taken
        self.at += len(taken)
        return len(taken)


@pytest.fixture
def data() -> bytes:
    # several read buffers and an odd tail: the two buffers are each reused while the other is hashed
    return os.urandom(3 * blobs.READ_CHUNK + 12_345)


def test_a_file_read_into_two_buffers_in_turn_is_named_by_the_hash_of_exactly_its_bytes(data):
    digest, size = blob_ingest(io.BytesIO(data))
    assert digest == hashlib.sha256(data).hexdigest() and size == len(data)
    assert blob_read(digest) == data


def test_a_stream_that_only_reads_in_uneven_pieces_is_hashed_in_order(data):
    pieces = _ReadOnly(data, piece=blobs.CHUNK // 3 + 7)  # pieces above and below the size hashed inline
    digest, size = blob_ingest(pieces)
    assert digest == hashlib.sha256(data).hexdigest() and size == len(data)


class _RawReadOnly(io.RawIOBase):
    """A raw stream that implements read() only: its inherited readinto() raises NotImplementedError."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


class _NotReady(io.RawIOBase):
    """A non-blocking source that has given some bytes and has none now (readinto answers None)."""

    def __init__(self) -> None:
        self.given = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):
        if self.given:
            return None
        buffer[:5] = b"start"
        self.given = True
        return 5


def test_a_raw_stream_with_read_alone_is_read_with_read(data):
    assert blob_ingest(_RawReadOnly(data))[0] == hashlib.sha256(data).hexdigest()


def test_a_source_with_nothing_ready_is_refused_not_stored_truncated():
    with pytest.raises(BlobError):
        blob_ingest(_NotReady())
    assert leftovers() == [] and not blob_exists(hashlib.sha256(b"start").hexdigest())


def test_a_small_file_hashed_inline_gives_the_same_name(tmp_path):
    assert blob_ingest(io.BytesIO(b"x" * 10))[0] == hashlib.sha256(b"x" * 10).hexdigest()


def test_a_source_that_breaks_midway_stores_nothing_and_leaves_no_temporary(data):
    with pytest.raises(ConnectionResetError):
        blob_ingest(_Breaks(data, good=2 * blobs.READ_CHUNK + 5))
    assert leftovers() == []
    assert not blob_exists(hashlib.sha256(data).hexdigest())


def test_a_file_over_the_limit_is_refused_while_copying_and_leaves_nothing(data):
    with pytest.raises(BlobError):
        blob_ingest(io.BytesIO(data), max_bytes=blobs.READ_CHUNK)
    assert leftovers() == [] and not blob_exists(hashlib.sha256(data).hexdigest())


def test_a_file_whose_hash_is_not_the_expected_one_takes_no_name(data):
    with pytest.raises(DigestMismatch):
        blob_ingest(io.BytesIO(data), expected=hashlib.sha256(b"other").hexdigest())
    assert leftovers() == [] and not blob_exists(hashlib.sha256(data).hexdigest())


def test_progress_counts_every_byte(data):
    seen = []
    blob_ingest(io.BytesIO(data), progress=seen.append)
    assert sum(seen) == len(data)


def test_a_hash_slower_than_the_copy_still_sees_each_buffer_before_it_is_read_into_again(monkeypatch, data):
    real = hashlib.sha256

    class Slow:
        def __init__(self) -> None:
            self.inner = real()

        def update(self, chunk) -> None:
            time.sleep(0.02)  # the copy runs ahead: the buffer this chunk is in must wait for the hash
            self.inner.update(chunk)

        def hexdigest(self) -> str:
            return self.inner.hexdigest()

    monkeypatch.setattr(blobs.hashlib, "sha256", Slow)
    assert blob_ingest(io.BytesIO(data))[0] == real(data).hexdigest()
