"""SANXIANG_BLOB_URL: a folder or an S3 bucket; a typo stops start-up with the variable named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.core.blob_url import parse_blob_url


def test_a_folder_and_a_bucket_are_read():
    assert parse_blob_url("file:///srv/sanxiang/blobs") == {"kind": "file", "root": Path("/srv/sanxiang/blobs")}
    assert parse_blob_url("s3://hlj-evidence/harbin/2026?endpoint=https://oss.example:9000&region=cn-north") == {
        "kind": "s3",
        "bucket": "hlj-evidence",
        "prefix": "harbin/2026/",
        "endpoint": "https://oss.example:9000",
        "region": "cn-north",
    }
    assert parse_blob_url("s3://hlj-evidence")["prefix"] == "" and parse_blob_url("s3://abc")["endpoint"] is None


@pytest.mark.parametrize(
    "url",
    [
        "file://relative/blobs",
        "file:blobs",
        "ftp://host/blobs",
        "s3://UPPER",
        "s3://ab",
        "s3://bucket?endpoint=ftp://host",
        "s3://bucket?endpont=https://host",
        "/srv/blobs",
    ],
)
def test_a_url_that_is_not_a_store_is_refused(url):
    with pytest.raises(ValueError):
        parse_blob_url(url)


def test_start_up_stops_on_a_bad_url_and_names_the_variable(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import sanxiang.settings"],
        env={**os.environ, "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_BLOB_URL": "s3://Bad_Bucket"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "SANXIANG_BLOB_URL" in result.stderr and "存储桶名" in result.stderr
