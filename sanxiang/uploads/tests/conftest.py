import uuid
from urllib.parse import urlsplit

import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    """A data folder of each test's own: what a test finds in the partial folder and the store is its doing (on the
    S3 store, a prefix of its own)."""
    settings.DATA_DIR = tmp_path / "data"
    if settings.BLOB_URL.startswith("s3://"):
        blobs = urlsplit(settings.BLOB_URL)
        settings.BLOB_URL = blobs._replace(path=f"{blobs.path}/{uuid.uuid4().hex}").geturl()
    return settings.DATA_DIR
