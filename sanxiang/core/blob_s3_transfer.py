"""How the S3 store (core.blob_s3) moves an object's bytes: written as a multipart upload whose parts go out on a few
threads while the next is gathered, read by ranged GETs from wherever the reader stands, and the errors of a server
that does not answer."""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, BinaryIO

from botocore.exceptions import BotoCoreError, ClientError
from django.utils.translation import gettext as _

from sanxiang.core.blob_errors import BlobError

if TYPE_CHECKING:
    from sanxiang.core.blob_s3 import S3Store

# parts sent at once while the next is read: an ingest holds those, the part being filled and its copy handed over,
# each up to a read buffer over the part size (some 60 MB)
IN_FLIGHT = 3


class BlobUnavailable(BlobError):
    """The object store did not answer, or answered with a server error: nothing was stored; try again later."""


def unavailable(error: Exception) -> BlobUnavailable:
    reason = error.response["Error"].get("Code", "") if isinstance(error, ClientError) else type(error).__name__
    return BlobUnavailable(_("对象存储暂不可用（%(reason)s），文件未登记，请稍后重试。") % {"reason": reason})


class Upload:
    """One object written as a multipart upload: `write` gathers its bytes into parts of `part_size`, each sent by a
    few threads while the next is gathered; an object smaller than one part is written with a single PUT at the end."""

    def __init__(self, store: S3Store, key: str, part_size: int) -> None:
        self.store, self.key, self.part_size = store, key, part_size
        self.part = bytearray()
        self.upload_id: str | None = None
        self.parts: list[Future] = []
        self.pending: deque[Future] = deque()
        self.pool: ThreadPoolExecutor | None = None

    def write(self, data: bytes) -> None:
        self.part += data
        if len(self.part) >= self.part_size:
            self._send(bytes(self.part))
            self.part.clear()

    def _send(self, data: bytes) -> None:
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

    def complete(self) -> None:
        if self.upload_id is None:
            self.store.conditional_call("put_object", Key=self.key, Body=bytes(self.part), **self.store.retention())
            return
        if self.part:
            self._send(bytes(self.part))
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


class ObjectReader(io.RawIOBase):
    """An object read from any position: a ranged GET streamed from where the reader stands to its `size`, opened anew
    after a seek elsewhere. A `size` short of the object's reads its first bytes only (an encrypted blob's header)."""

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
            ranged = f"bytes={self.position}-{self.length - 1}"
            self.body = self.store._call("get_object", Key=self.key, Range=ranged)["Body"]
        try:
            data = self.body.read(min(len(buffer), self.length - self.position))
        except BotoCoreError as error:
            raise unavailable(error) from error
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


class Copying(io.RawIOBase):
    """A file read once, in order from its start, passing on every byte it gives to `write` (a sealed blob sent as it
    is while it is read back through the keeper): a seek anywhere but where it stands is refused, so no byte is passed
    on twice or left out."""

    def __init__(self, file: BinaryIO, write: Callable[[bytes], None] | None, progress=None) -> None:
        self.file, self.write, self.progress = file, write, progress
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or offset != self.position:
            raise io.UnsupportedOperation("a copy under way is read in order")
        return self.position

    def readinto(self, buffer) -> int:
        length = self.file.readinto(buffer)
        if length:
            if self.write is not None:
                self.write(bytes(memoryview(buffer)[:length]))
            if self.progress:
                self.progress(length)
            self.position += length
        return length

    def close(self) -> None:
        self.file.close()
        super().close()
