"""Resumable uploads: announcing a file, appending its pieces, ending it, and sweeping the expired ones.

The bytes received are kept in a private partial file named by the upload; its size is the offset, so a piece cut
off by a broken connection keeps what arrived and the device resumes from there. A request that writes holds an
exclusive lock on the file (a second one is refused, not queued). The last piece hands the whole file to the
evidence ingest, which hashes, fsyncs and registers it exactly as a single upload, refusing it unless its SHA-256 is
the one the device recorded at capture.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.cases.models import Case, Inspection
from sanxiang.core.blobs import BlobError, DigestMismatch
from sanxiang.core.files import FILE_MODE, make_private_dir
from sanxiang.evidence.selectors import may_add_evidence, recorder_proposal, recording_officer
from sanxiang.evidence.services import check_ingest, evidence_ingest
from sanxiang.uploads.models import Upload
from sanxiang.uploads.protocol import (
    SHA256_HEX,
    CaptureMismatch,
    ChecksumMismatch,
    OffsetMismatch,
    TooLarge,
    UploadBusy,
    UploadGone,
    UploadStored,
)

CHUNK = 1024 * 1024
DETAILS = ("act", "kind", "description", "device", "place", "speakers", "dialogue")


def partial_root() -> Path:
    return Path(settings.DATA_DIR) / "resumable"


def partial_path(upload: Upload) -> Path:
    return partial_root() / upload.pk.hex


def upload_create(
    *,
    actor,
    case: Case | None = None,
    inspection: Inspection | None = None,
    length: int,
    capture_sha256: str,
    original_name: str,
    details: dict[str, str],
) -> Upload:
    """Announce a file to a case or an inspection: every rule of the ingest is checked now, before a byte is sent; an empty private partial
    file is made, to expire after SANXIANG_UPLOAD_EXPIRY_HOURS."""
    if not may_add_evidence(actor, case=case, inspection=inspection):
        raise PermissionDenied(_("只有参与本案或本次检查的执法人员可以登记证据。"))
    if length > settings.EVIDENCE_MAX_BYTES:
        raise TooLarge(_("文件超过大小上限 %(limit)s 字节。") % {"limit": f"{settings.EVIDENCE_MAX_BYTES:,}"})
    if length <= 0:
        raise ValidationError(_("文件为空（0 字节），未登记。"), code="empty")
    if not SHA256_HEX.match(capture_sha256):
        raise ValidationError(
            {"sha256": _("须提供采集时在设备上计算的 SHA-256（64 位小写十六进制）。")}, code="capture_hash"
        )
    details = {key: str(details.get(key) or "").strip() for key in DETAILS}
    name = check_ingest(actor=actor, original_name=original_name, case=case, inspection=inspection, **_rules(details))
    with transaction.atomic():
        upload = Upload.objects.create(
            owner=actor,
            case=case,
            inspection=inspection,
            length=length,
            capture_sha256=capture_sha256,
            original_name=name,
            details=details,
            expires_at=timezone.now() + settings.UPLOAD_EXPIRY,
        )
        make_private_dir(partial_root())
        os.close(os.open(partial_path(upload), os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    return upload


def _rules(details: dict) -> dict:
    return {key: details[key] for key in ("act", "kind", "description")}


def upload_offset(*, upload: Upload) -> int:
    """How many bytes have arrived (all of them once stored); a gone upload (expired, refused) is refused (410)."""
    if upload.evidence_id is not None:
        return upload.length
    _require_open(upload)
    # Asked under the lock: while a request (one whose connection broke, say) still writes, the answer is 423, not
    # an offset that is about to grow.
    with _locked(upload) as handle:
        return os.fstat(handle.fileno()).st_size


def _require_open(upload: Upload) -> None:
    if upload.refusal:
        raise UploadGone(_("该上传已被拒收：%(reason)s") % {"reason": upload.refusal})
    if upload.expired():
        partial_path(upload).unlink(missing_ok=True)
        raise UploadGone(_("该上传已过期（%(at)s），已接收的部分已删除，请重新上传。") % {"at": upload.expires_at})


@contextlib.contextmanager
def _locked(upload: Upload):
    try:
        handle = partial_path(upload).open("r+b")
    except FileNotFoundError:
        raise UploadGone(_("该上传已终止或已被清理，请重新上传。")) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadBusy(_("该上传正在由另一个请求写入，请稍后查询进度再续传。")) from None
        yield handle


def upload_append(
    *, actor, upload: Upload, offset: int, source: BinaryIO, size: int, checksum: bytes | None = None
) -> int:
    """Append one piece of `size` bytes at `offset`; returns the new offset. A piece cut short keeps what arrived,
    unless it came with a checksum, which must then vouch for all of it (460 and nothing kept otherwise). The piece
    that completes the file registers it (`upload.evidence`)."""
    if upload.evidence_id is not None:
        if offset != upload.length or size:
            raise UploadStored(_("该文件已登记为证据，无需续传。"))
        return upload.length
    _require_open(upload)
    with _locked(upload) as handle:
        current = os.fstat(handle.fileno()).st_size
        if offset != current:
            raise OffsetMismatch(
                _("续传位置不符：服务器已收到 %(current)s 字节，请求从 %(offset)s 字节续传。")
                % {"current": current, "offset": offset}
            )
        if current + size > upload.length:
            raise TooLarge(_("数据超出创建上传时声明的文件大小（%(length)s 字节）。") % {"length": upload.length})
        handle.seek(current)
        digest = hashlib.sha256()
        received = 0
        with contextlib.suppress(OSError):  # the connection broke: what arrived is kept below
            while received < size and (chunk := source.read(min(CHUNK, size - received))):
                handle.write(chunk)
                digest.update(chunk)
                received += len(chunk)
        if checksum is not None and digest.digest() != checksum:
            handle.truncate(current)
            raise ChecksumMismatch(_("本段数据的 SHA-256 与 Upload-Checksum 不符，已丢弃，请重传本段。"))
        handle.flush()
        if current + received < upload.length:
            return current + received
        _store(actor=actor, upload=upload, handle=handle)
        return upload.length


def _store(*, actor, upload: Upload, handle: BinaryIO) -> None:
    """Hand the whole file to the evidence ingest; refused (and the partial removed) if it is not what was captured
    or its case or inspection no longer takes it."""
    handle.seek(0)
    try:
        with transaction.atomic():
            upload.evidence = evidence_ingest(
                actor=actor,
                source=handle,
                original_name=upload.original_name,
                recorded_by=recording_officer(
                    recorder_proposal(case=upload.case, inspection=upload.inspection, name=upload.original_name),
                    uploader=actor,
                ),
                case=upload.case,
                inspection=upload.inspection,
                expected_sha256=upload.capture_sha256,
                **upload.details,
            )
            upload.save(update_fields=["evidence"])
    except DigestMismatch as error:
        _refuse(upload, str(error))
        raise CaptureMismatch(str(error)) from None
    except BlobError as error:
        _refuse(upload, str(error))
        raise
    except (ValidationError, PermissionDenied) as error:
        _refuse(upload, "；".join(getattr(error, "messages", None) or [str(error)]))
        raise
    partial_path(upload).unlink(missing_ok=True)


def _refuse(upload: Upload, reason: str) -> None:
    upload.evidence = None
    Upload.objects.filter(pk=upload.pk).update(refusal=reason[:300])
    upload.refusal = reason[:300]
    partial_path(upload).unlink(missing_ok=True)


def upload_terminate(*, upload: Upload) -> None:
    """End an upload the device gives up on (tus termination): its partial file and record go."""
    if upload.evidence_id is not None:
        raise UploadStored(_("该文件已登记为证据，不能终止；证据不得删除。"))
    if partial_path(upload).exists():
        with _locked(upload):
            partial_path(upload).unlink()
    upload.delete()


def upload_sweep() -> dict[str, int]:
    """Remove expired and refused uploads with their partial files, and partial files no upload owns (core.sweep:
    `sanxiang sweep`, the hourly task, `serve` start-up)."""
    removed = 0
    gone = Upload.objects.filter(evidence__isnull=True).filter(Q(expires_at__lte=timezone.now()) | ~Q(refusal=""))
    for upload in gone:
        partial_path(upload).unlink(missing_ok=True)
        upload.delete()
        removed += 1
    root = partial_root()
    if root.is_dir():
        # Only old strays: an upload being created makes its file before its row is committed.
        cutoff = time.time() - settings.TEMPORARY_FILES_MAX_AGE.total_seconds()
        known = {pk.hex for pk in Upload.objects.filter(evidence__isnull=True).values_list("pk", flat=True)}
        for path in root.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if path.name not in known and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
    return {"resumable": removed}
