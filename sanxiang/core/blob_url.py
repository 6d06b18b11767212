"""SANXIANG_BLOB_URL: which store keeps the blobs (core.blobs), read by the settings and by the store."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


def parse_blob_url(url: str) -> dict:
    """Where blobs are kept: `file:///absolute/folder`, or an S3-compatible bucket as
    `s3://bucket/prefix?endpoint=https://host:port&region=name` (credentials from AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, as every S3 tool reads them; no endpoint means AWS itself). A ValueError says what was
    expected (settings turns it into the SettingError that names the variable)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/") or parts.query:
            raise ValueError("file:///绝对路径")
        return {"kind": "file", "root": Path(path)}
    if parts.scheme != "s3":
        raise ValueError("以 file:/// 或 s3:// 开头的地址")
    bucket = parts.netloc
    if not 3 <= len(bucket) <= 63 or not all(char in "abcdefghijklmnopqrstuvwxyz0123456789.-" for char in bucket):
        raise ValueError("s3://存储桶名/前缀（存储桶名为 3–63 个小写字母、数字、点或连字符）")
    options = dict(parse_qsl(parts.query))
    unknown = set(options) - {"endpoint", "region"}
    endpoint = options.get("endpoint")
    if unknown or (endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https")):
        raise ValueError("s3://存储桶名/前缀?endpoint=https://主机:端口&region=区域")
    prefix = unquote(parts.path).strip("/")
    return {
        "kind": "s3",
        "bucket": bucket,
        "prefix": f"{prefix}/" if prefix else "",
        "endpoint": endpoint,
        "region": options.get("region", "us-east-1"),
    }
