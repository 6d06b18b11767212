"""What the blob stores (core.blob_files, core.blob_s3) refuse, raised to the services that hand them files."""


class BlobError(ValueError):
    """A file the store refuses (empty, too large) or could not take (the disk is full, the object store is down)."""


class DigestMismatch(BlobError):
    """A file whose SHA-256 is not the one its sender recorded (at capture, on the device): it is not stored."""
