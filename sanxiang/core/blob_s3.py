"""The S3 store: blobs as objects in an S3-compatible bucket (对象存储), keyed by their SHA-256 under a prefix.

An object takes its name (the content address) only once it is complete and its hash known. When the hash is known
before the bytes are read (the device recorded it, or the source can be read twice, as every spooled upload can), the
bytes go straight to that key as a multipart upload, hashed on a thread of their own while they are read and sent,
and the upload is completed only if the hash matches (aborted otherwise: nothing appears). A stream that can be read
only once is spooled to a local temporary file first. A name already present is never
written again; the final write also asks the server to refuse an existing key (If-None-Match: *) where it can.

With a key keeper (国密 mode, core.blob_crypt) the bytes sent are sealed with SM4-GCM on their way, to `<name>.sm4`:
the name is still the SHA-256 of the plaintext, hashed as it is read, and the upload completed only if it matches.
Such an object is read by ranged GETs of the segments a read covers; objects stored plain before are read as they are.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import boto3
import botocore.auth
import time_machine
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.translation import gettext_lazy

from sanxiang.core.blob_crypt import PREAMBLE, SUFFIX, Encryptor, open_encrypted, plaintext_size
from sanxiang.core.blob_files import (
    CHUNK,
    Hasher,
    check_name,
    empty,
    limited_chunks,
    mismatch,
    relative_name,
    temporary_copy,
)
from sanxiang.core.blob_s3_transfer import IN_FLIGHT, BlobUnavailable, Copying, ObjectReader, Upload, unavailable

PART = 8 * CHUNK  # 10,000 parts (the S3 limit) of 8 MiB hold 80 GiB (SANXIANG_EVIDENCE_MAX_BYTES: 20 GiB)
MISSING = {"404", "NoSuchKey", "NotFound"}
# answers the callers handle themselves; any other server error means the store is unavailable
ANSWERED = MISSING | {"PreconditionFailed", "ConditionalRequestConflict", "NotImplemented"}
REFUSED = {
    "NoSuchBucket": gettext_lazy("对象存储中没有存储桶 %(bucket)s（SANXIANG_BLOB_URL），文件未登记，请管理员先建立。"),
    "AccessDenied": gettext_lazy("对象存储拒绝访问存储桶 %(bucket)s（凭据或权限），文件未登记，请联系管理员。"),
    "InvalidAccessKeyId": gettext_lazy("对象存储不认识所用的访问密钥（AWS_ACCESS_KEY_ID），文件未登记，请联系管理员。"),
    "SignatureDoesNotMatch": gettext_lazy(
        "对象存储的访问密钥不匹配（AWS_SECRET_ACCESS_KEY），文件未登记，请联系管理员。"
    ),
}
REFUSED["403"] = REFUSED["AccessDenied"]  # a HEAD's answer has no body to name its reason


def _signing_time(remove_tzinfo: bool = True) -> datetime:
    """The real time, also while time travels (`sanxiang demo` replays a year on its dates, and so do the tests): S3
    refuses a request signed more than 15 minutes away from its own clock."""
    hatch = time_machine.escape_hatch
    now = datetime.fromtimestamp(hatch.time.time() if hatch.is_travelling() else time.time(), UTC)
    return now.replace(tzinfo=None) if remove_tzinfo else now


botocore.auth.get_current_datetime = _signing_time  # what every SigV4 signature of this process is dated with


def _missing(error: ClientError) -> bool:
    return error.response["Error"].get("Code", "") in MISSING


class S3Store:
    """Blobs in `bucket` below `prefix`, laid out as the file store lays out its folder (ab/cd/abcd…). With a `keeper`
    (core.blob_crypt) new objects are stored encrypted with SM4-GCM, as `<name>.sm4`; objects stored before are read
    as they are."""

    kind = "s3"

    def __init__(
        self, *, bucket: str, prefix: str, endpoint: str | None, region: str, retention_days: int, keeper=None
    ) -> None:
        self.bucket, self.prefix, self.endpoint, self.region = bucket, prefix, endpoint, region
        self.retention_days, self.keeper = retention_days, keeper
        self.conditional = True  # until the server answers that it cannot refuse an existing key
        self._clients: dict[int, object] = {}

    def __repr__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" + (" (SM4-GCM)" if self.keeper else "")

    @property
    def client(self):
        """A client per process: a forked worker must not share its parent's connections."""
        client = self._clients.get(os.getpid())
        if client is None:
            config = Config(
                s3={"addressing_style": "path"},
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=5,
                read_timeout=60,
                max_pool_connections=IN_FLIGHT + 4,
                # the content address is our checksum; the newer trailing checksums are not understood everywhere
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
            client = boto3.session.Session().client(
                "s3", endpoint_url=self.endpoint, region_name=self.region, config=config
            )
            self._clients = {os.getpid(): client}
        return client

    def key(self, digest: str, *, sealed: bool = False) -> str:
        return self.prefix + relative_name(digest) + (SUFFIX if sealed else "")

    def _call(self, method: str, **arguments):
        try:
            return getattr(self.client, method)(Bucket=self.bucket, **arguments)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
            code = error.response["Error"].get("Code", "")
            if code in REFUSED:  # the installation's mistake, not the file's: said plainly, nothing stored
                raise BlobUnavailable(str(REFUSED[code]) % {"bucket": self.bucket}) from error
            if status < 500 or code in ANSWERED:
                raise
            raise unavailable(error) from error
        except BotoCoreError as error:
            raise unavailable(error) from error

    def stored(self, digest: str) -> tuple[str, int] | None:
        """The key holding the blob, sealed or plain, and its length as stored; None when it is not stored. The kind
        this store writes is asked for first: one HEAD finds it."""
        keys = [self.key(digest, sealed=True), self.key(digest)]
        for key in keys if self.keeper else reversed(keys):
            try:
                return key, self._call("head_object", Key=key)["ContentLength"]
            except ClientError as error:
                if not _missing(error):
                    raise
        return None

    def _found(self, digest: str) -> tuple[str, int, bool]:
        stored = self.stored(digest)
        if stored is None:
            raise FileNotFoundError(self.key(digest))
        key, length = stored
        return key, length, key.endswith(SUFFIX)

    def exists(self, digest: str) -> bool:
        return self.stored(digest) is not None

    def size(self, digest: str) -> int:
        key, length, sealed = self._found(digest)
        if not sealed:
            return length
        with ObjectReader(self, key, PREAMBLE) as head:  # one GET of the header's first bytes
            return plaintext_size(head, length)

    def open(self, digest: str) -> BinaryIO:
        key, length, sealed = self._found(digest)
        if sealed:
            return open_encrypted(ObjectReader(self, key, length), length, self.keeper)
        return io.BufferedReader(ObjectReader(self, key, length), buffer_size=CHUNK)

    def open_stored(self, digest: str) -> BinaryIO:
        """The object as it is (an encrypted one's ciphertext), to be copied sealed (a backup)."""
        key, length, _sealed = self._found(digest)
        return io.BufferedReader(ObjectReader(self, key, length), buffer_size=CHUNK)

    def sealed_size(self, digest: str) -> int | None:
        """The length of the object of a blob stored encrypted; None when it is stored plain."""
        _key, length, sealed = self._found(digest)
        return length if sealed else None

    @contextmanager
    def local_file(self, digest: str) -> Iterator[Path]:
        with self.open(digest) as source, temporary_copy(source) as copy:
            yield copy

    def names(self) -> Iterator[str]:
        """The store's objects in name order (S3 lists keys in that order, and the fan-out keeps it)."""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", ()):
                relative = item["Key"][len(self.prefix) :]
                name = relative.rpartition("/")[2].removesuffix(SUFFIX)
                try:
                    if relative.removesuffix(SUFFIX) == relative_name(check_name(name)):
                        yield name
                except ValueError:
                    continue  # a temporary, or an object someone else put here

    def sweep_incoming(self, older_than_seconds: int) -> int:
        """Abort the multipart uploads that killed ingests left behind."""
        cutoff, removed = datetime.now(UTC) - timedelta(seconds=older_than_seconds), 0
        for page in self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        ):
            for upload in page.get("Uploads", ()):
                if upload["Initiated"] < cutoff:
                    self._call("abort_multipart_upload", Key=upload["Key"], UploadId=upload["UploadId"])
                    removed += 1
        return removed

    def retention(self) -> dict:
        """The Object Lock arguments of a new object (none unless SANXIANG_BLOB_RETENTION_DAYS is set)."""
        if not self.retention_days:
            return {}
        until = datetime.now(UTC) + timedelta(days=self.retention_days)
        return {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": until}

    def conditional_call(self, method: str, **arguments) -> bool:
        """Write with If-None-Match: * where the server supports it; False when the key already existed."""
        if self.conditional:
            try:
                self._call(method, IfNoneMatch="*", **arguments)
                return True
            except ClientError as error:
                code = error.response["Error"].get("Code", "")
                if code in ("PreconditionFailed", "ConditionalRequestConflict"):
                    return False
                if code != "NotImplemented":
                    raise
                self.conditional = False  # e.g. Swift's s3api: it checked before writing (exists) instead
        self._call(method, **arguments)
        return True

    def ingest(self, source: BinaryIO, *, max_bytes=None, expected=None, progress=None) -> tuple[str, int]:
        if expected is None:
            seekable = getattr(source, "seekable", None)
            if seekable is None or not seekable():
                return self._spooled(source, max_bytes, progress)
            start = source.tell()
            expected, size = _hash_only(source, max_bytes)
            if self.exists(expected):
                return expected, size
            source.seek(start)
        elif self.exists(check_name(expected)):
            return self._send(source, None, max_bytes, expected, progress)  # only checked: never written again
        upload = Upload(self, self.key(expected, sealed=self.keeper is not None), PART)
        sink = Encryptor(self.keeper, upload.write) if self.keeper else _Unchanged(upload.write)
        return self._send(source, upload, max_bytes, expected, progress, sink=sink)

    def _spooled(self, source: BinaryIO, max_bytes, progress) -> tuple[str, int]:
        """A stream that can be read only once is kept in a private temporary file first: its name is known only at
        its end, and S3 cannot rename (a server-side copy would write every byte once more)."""
        with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
            if self.keeper is None:
                for chunk in limited_chunks(source, max_bytes):
                    spool.write(chunk)
                spool.seek(0)
                return self.ingest(spool, max_bytes=max_bytes, progress=progress)
            # Sealed as it is spooled, as the file store seals into its temporary file: the plaintext never reaches
            # the disk. The spool is then sent as it is, checked as a backup's copy is.
            name, size = _hash_only(source, max_bytes, sink=Encryptor(self.keeper, spool.write))
            spool.flush()
            if not self.exists(name):
                self._put_sealed_stream(spool, expected=name, progress=progress)
            return name, size

    def put_sealed(self, source: Path, *, expected: str, progress=None) -> None:
        """Take an encrypted blob's file as it is (a backup's copy) under `expected`, the SHA-256 of its plaintext:
        never decrypted to disk nor sealed again. Its bytes are sent as they are read back through this store's
        keeper, and the upload completed only once every segment has passed its tag and the plaintext hashes to
        `expected`: a file another master key sealed, a changed segment (BlobError) or another plaintext
        (DigestMismatch) is refused and nothing is stored."""
        check_name(expected)
        with source.open("rb") as raw:
            self._put_sealed_stream(raw, expected=expected, progress=progress)

    def _put_sealed_stream(self, raw: BinaryIO, *, expected: str, progress=None) -> None:
        raw.seek(0)
        upload = None if self.exists(expected) else Upload(self, self.key(expected, sealed=True), PART)
        copying = Copying(raw, upload.write if upload else None, progress)
        plaintext = open_encrypted(copying, os.fstat(raw.fileno()).st_size, self.keeper)
        with plaintext:
            self._send(plaintext, upload, None, expected, None)

    def _send(self, source, upload: Upload | None, max_bytes, expected, progress, *, sink=None) -> tuple[str, int]:
        """Read `source` to its end, hashing it, and complete `upload` only if the hash is `expected` (abort it
        otherwise). Each chunk read goes to `sink` (as it is, or sealed) on its way to the upload; without a sink the
        upload gets its bytes elsewhere (a sealed file sent as read), or there is none (the bytes are only hashed)."""
        digest, size = hashlib.sha256(), 0
        try:
            with Hasher(digest) as hasher:
                for chunk in limited_chunks(source, max_bytes):
                    size += len(chunk)
                    hasher.update(chunk)
                    if sink is not None:
                        sink.update(chunk)
                    if progress:
                        progress(len(chunk))
                if size == 0:
                    raise empty()
                hasher.finish()
            name = digest.hexdigest()
            if expected is not None and name != expected:
                raise mismatch(name, expected)
            if sink is not None:
                sink.finish()
            if upload is not None:
                upload.complete()
            return name, size
        except BaseException:
            if upload is not None:
                upload.abort()
            raise


class _Unchanged:
    """The sink of a store without a keeper: each chunk written as it is read."""

    def __init__(self, write) -> None:
        self.update = write

    def finish(self) -> None:
        pass


def _hash_only(source: BinaryIO, max_bytes: int | None, *, sink=None) -> tuple[str, int]:
    """The SHA-256 and size of what `source` holds, each chunk also handed to `sink` when there is one."""
    digest, size = hashlib.sha256(), 0
    with Hasher(digest) as hasher:
        for chunk in limited_chunks(source, max_bytes):
            size += len(chunk)
            hasher.update(chunk)
            if sink is not None:
                sink.update(chunk)
        hasher.finish()
    if size == 0:
        raise empty()
    if sink is not None:
        sink.finish()
    return digest.hexdigest(), size
