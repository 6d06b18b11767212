"""The S3 store: blobs as objects in an S3-compatible bucket (对象存储), keyed by their SHA-256 under a prefix.

An object takes its name (the content address) only once it is complete and its hash known. When the hash is known
before the bytes are read (the device recorded it, or the source can be read twice, as every spooled upload can), the
bytes go straight to that key as a multipart upload, hashed on a thread of their own while they are read and sent,
and the upload is completed only if the hash matches (aborted otherwise: nothing appears). A stream that can be read
only once is spooled to a local temporary file first. A name already present is never
written again; the final write also asks the server to refuse an existing key (If-None-Match: *) where it can.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.core.blob_errors import BlobError
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

PART = 8 * CHUNK  # 10,000 parts (the S3 limit) of 8 MiB hold 80 GiB (SANXIANG_EVIDENCE_MAX_BYTES: 20 GiB)
# parts sent at once while the next is read: an ingest holds those, the part being filled and its copy handed over,
# each up to a read buffer over PART (some 60 MB)
IN_FLIGHT = 3
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


class BlobUnavailable(BlobError):
    """The object store did not answer, or answered with a server error: nothing was stored; try again later."""


def _unavailable(error: Exception) -> BlobUnavailable:
    reason = error.response["Error"].get("Code", "") if isinstance(error, ClientError) else type(error).__name__
    return BlobUnavailable(_("对象存储暂不可用（%(reason)s），文件未登记，请稍后重试。") % {"reason": reason})


def _missing(error: ClientError) -> bool:
    return error.response["Error"].get("Code", "") in MISSING


class S3Store:
    """Blobs in `bucket` below `prefix`, laid out as the file store lays out its folder (ab/cd/abcd…)."""

    kind = "s3"

    def __init__(self, *, bucket: str, prefix: str, endpoint: str | None, region: str, retention_days: int) -> None:
        self.bucket, self.prefix, self.endpoint, self.region = bucket, prefix, endpoint, region
        self.retention_days = retention_days
        self.conditional = True  # until the server answers that it cannot refuse an existing key
        self._clients: dict[int, object] = {}

    def __repr__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

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

    def key(self, digest: str) -> str:
        return self.prefix + relative_name(digest)

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
            raise _unavailable(error) from error
        except BotoCoreError as error:
            raise _unavailable(error) from error

    def _head(self, digest: str) -> dict | None:
        try:
            return self._call("head_object", Key=self.key(digest))
        except ClientError as error:
            if _missing(error):
                return None
            raise

    def exists(self, digest: str) -> bool:
        return self._head(digest) is not None

    def size(self, digest: str) -> int:
        head = self._head(digest)
        if head is None:
            raise FileNotFoundError(self.key(digest))
        return head["ContentLength"]

    def open(self, digest: str) -> BinaryIO:
        return io.BufferedReader(_ObjectReader(self, self.key(digest), self.size(digest)), buffer_size=CHUNK)

    @contextmanager
    def local_file(self, digest: str) -> Iterator[Path]:
        with self.open(digest) as source, temporary_copy(source) as copy:
            yield copy

    def names(self) -> Iterator[str]:
        """The store's objects in name order (S3 lists keys in that order, and the fan-out keeps it)."""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", ()):
                relative = item["Key"][len(self.prefix) :]
                name = relative.rpartition("/")[2]
                try:
                    if relative == relative_name(check_name(name)):
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
        check_name(expected)
        return self._send(source, self.key(expected), max_bytes, expected, progress, upload=not self.exists(expected))

    def _spooled(self, source: BinaryIO, max_bytes, progress) -> tuple[str, int]:
        """A stream that can be read only once is kept in a private temporary file first: its name is known only at
        its end, and S3 cannot rename (a server-side copy would write every byte once more)."""
        with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
            for chunk in limited_chunks(source, max_bytes):
                spool.write(chunk)
            spool.seek(0)
            return self.ingest(spool, max_bytes=max_bytes, progress=progress)

    def _send(self, source, key, max_bytes, expected, progress, *, upload: bool) -> tuple[str, int]:
        digest, size, part = hashlib.sha256(), 0, bytearray()
        sender = _Upload(self, key) if upload else None
        try:
            with Hasher(digest) as hasher:
                for chunk in limited_chunks(source, max_bytes):
                    size += len(chunk)
                    hasher.update(chunk)
                    if sender is not None:
                        part += chunk
                        if len(part) >= PART:
                            sender.send(bytes(part))
                            part.clear()
                    if progress:
                        progress(len(chunk))
                if size == 0:
                    raise empty()
                hasher.finish()
            name = digest.hexdigest()
            if expected is not None and name != expected:
                raise mismatch(name, expected)
            if sender is not None:
                sender.complete(bytes(part))
            return name, size
        except BaseException:
            if sender is not None:
                sender.abort()
            raise


def _hash_only(source: BinaryIO, max_bytes: int | None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with Hasher(digest) as hasher:
        for chunk in limited_chunks(source, max_bytes):
            size += len(chunk)
            hasher.update(chunk)
        hasher.finish()
    if size == 0:
        raise empty()
    return digest.hexdigest(), size


class _Upload:
    """One object written as a multipart upload, its parts sent by a few threads while the next is read; a file
    smaller than one part is written with a single PUT at the end."""

    def __init__(self, store: S3Store, key: str) -> None:
        self.store, self.key = store, key
        self.upload_id: str | None = None
        self.parts: list[Future] = []
        self.pending: deque[Future] = deque()
        self.pool: ThreadPoolExecutor | None = None

    def send(self, data: bytes) -> None:
        if self.upload_id is None:
            started = self.store._call("create_multipart_upload", Key=self.key, **self.store.retention())
            self.upload_id = started["UploadId"]
            self.pool = ThreadPoolExecutor(max_workers=IN_FLIGHT, thread_name_prefix="blob-part")
        while len(self.pending) >= IN_FLIGHT:
            self.pending.popleft().result()
        future = self.pool.submit(
            self.store._call,
            "upload_part",
            Key=self.key,
            UploadId=self.upload_id,
            PartNumber=len(self.parts) + 1,
            Body=data,
        )
        self.parts.append(future)
        self.pending.append(future)

    def complete(self, tail: bytes) -> None:
        if self.upload_id is None:
            self.store.conditional_call("put_object", Key=self.key, Body=tail, **self.store.retention())
            return
        if tail:
            self.send(tail)
        parts = [{"ETag": part.result()["ETag"], "PartNumber": number} for number, part in enumerate(self.parts, 1)]
        self.pool.shutdown()
        if not self.store.conditional_call(
            "complete_multipart_upload", Key=self.key, UploadId=self.upload_id, MultipartUpload={"Parts": parts}
        ):
            self.abort()  # the same bytes arrived meanwhile by another ingest

    def abort(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.upload_id is not None:
            try:
                self.store._call("abort_multipart_upload", Key=self.key, UploadId=self.upload_id)
            except (BlobError, ClientError):
                pass  # the server is down or forgot it: the sweep aborts it later
            self.upload_id = None


class _ObjectReader(io.RawIOBase):
    """An object read from any position: a ranged GET streamed from where the reader stands, opened anew after a
    seek elsewhere."""

    def __init__(self, store: S3Store, key: str, size: int) -> None:
        self.store, self.key, self.length = store, key, size
        self.position = 0
        self.body = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        target = max(0, base + offset)
        if target != self.position:
            self._drop()
            self.position = target
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.length:
            return 0
        if self.body is None:
            self.body = self.store._call("get_object", Key=self.key, Range=f"bytes={self.position}-")["Body"]
        try:
            data = self.body.read(len(buffer))
        except BotoCoreError as error:
            raise _unavailable(error) from error
        if not data:
            raise BlobUnavailable(_("对象存储中的文件读取中断，请稍后重试。"))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def _drop(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None

    def close(self) -> None:
        self._drop()
        super().close()
