"""The blob store as the tests see it, whichever store the suite runs on (a folder, or an S3 bucket with
SANXIANG_TEST_BLOB_URL): what failed ingests left behind, and a stored file damaged or lost behind the store's back."""

from __future__ import annotations

from botocore.exceptions import ClientError

from sanxiang.core import blobs
from sanxiang.core.blob_files import FileStore
from sanxiang.core.files import STORED_MODE


def leftovers() -> list[str]:
    """What unfinished ingests left: temporaries in the folder, or multipart uploads never completed or aborted."""
    store = blobs.blob_store()
    if isinstance(store, FileStore):
        return [path.name for path in store.root.glob(f"{blobs.INCOMING}*")] if store.root.exists() else []
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket, Prefix=store.prefix).get("Uploads", [])
    return [upload["Key"] for upload in uploads]


def damage(digest: str, data: bytes) -> None:
    """Replace a stored file's bytes (or put back a removed one), as a disk error or someone with access to the
    storage would."""
    store = blobs.blob_store()
    if isinstance(store, FileStore):
        path = store.path(digest)
        if path.exists():
            path.chmod(0o600)
        path.write_bytes(data)
        path.chmod(STORED_MODE)
    else:
        stored = store.stored(digest)  # an encrypted object's key if it is one
        store.client.put_object(Bucket=store.bucket, Key=stored[0] if stored else store.key(digest), Body=data)


def remove(digest: str) -> None:
    """Lose a stored file."""
    store = blobs.blob_store()
    if isinstance(store, FileStore):
        store.path(digest).unlink()
    else:
        store.client.delete_object(Bucket=store.bucket, Key=store.stored(digest)[0])


def bucket_ensure(store) -> None:
    """The S3 store's bucket, made on the throw-away test or benchmark server if it is not there yet (an
    installation's store never makes one)."""
    try:
        store.client.create_bucket(Bucket=store.bucket)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
