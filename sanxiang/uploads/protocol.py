"""The tus 1.0.0 protocol's headers and refusals (https://tus.io/protocols/resumable-upload), with no database or
request: reading Upload-Metadata and Upload-Checksum, writing Upload-Expires, and the errors with their status."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from email.utils import format_datetime

from django.utils.translation import gettext as _

VERSION = "1.0.0"
# creation-defer-length and concatenation are left out: a device knows its file's length when it captured it.
EXTENSIONS = "creation,termination,checksum,expiration"
CHECKSUM_ALGORITHMS = "sha256"
OFFSET_STREAM = "application/offset+octet-stream"
METADATA_KEY = re.compile(r"^[!#-+\--~]+$")  # printable ASCII without space or comma
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class UploadError(Exception):
    """A request the protocol refuses, with the status tus gives it and a code for clients."""

    status = 400
    code = "upload_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OffsetMismatch(UploadError):
    status, code = 409, "offset_mismatch"


class UploadStored(UploadError):
    status, code = 409, "upload_stored"


class UploadBusy(UploadError):
    """Another request is still writing this upload (the one a broken connection left behind may take a moment to
    notice): the client asks HEAD again shortly."""

    status, code = 423, "upload_busy"


class UploadGone(UploadError):
    status, code = 410, "upload_gone"


class TooLarge(UploadError):
    status, code = 413, "upload_too_large"


class ChecksumMismatch(UploadError):
    status, code = 460, "checksum_mismatch"


class CaptureMismatch(UploadError):
    """The whole file is not what the device hashed at capture: refused for good, not to be resent piece by piece."""

    code = "capture_hash_mismatch"


class VersionUnsupported(UploadError):
    status, code = 412, "tus_version"


def parse_metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64(value)` pairs (a key alone has an empty value)."""
    values = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _space, encoded = pair.partition(" ")
        if not METADATA_KEY.match(key) or key in values:
            raise UploadError(_("Upload-Metadata 格式有误：键须为不含空格和逗号的 ASCII 字符，且不得重复。"))
        try:
            values[key] = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise UploadError(
                _("Upload-Metadata 中“%(key)s”的值不是 UTF-8 文字的 Base64 编码。") % {"key": key}
            ) from None
    return values


def parse_checksum(header: str) -> bytes:
    """Upload-Checksum: `sha256 base64(digest)`; the digest of the PATCH body."""
    algorithm, _space, encoded = header.strip().partition(" ")
    if algorithm != "sha256":
        raise UploadError(_("Upload-Checksum 只支持 sha256 算法。"))
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != 32:
        raise UploadError(_("Upload-Checksum 应为“sha256 ”加 32 字节摘要的 Base64 编码。"))
    return digest


def parse_count(header: str | None, name: str) -> int:
    """A non-negative integer header (Upload-Length, Upload-Offset)."""
    if header is None or not header.isascii() or not header.isdigit():
        raise UploadError(_("%(name)s 头缺失或不是非负整数。") % {"name": name})
    return int(header)


def http_date(moment: dt.datetime) -> str:
    """Upload-Expires is an HTTP date (RFC 9110), always in GMT."""
    return format_datetime(moment.astimezone(dt.UTC), usegmt=True)
