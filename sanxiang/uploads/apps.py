from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """Resumable uploads of evidence files by the tus 1.0 protocol (断点续传)."""

    name = "sanxiang.uploads"
    label = "uploads"

    def ready(self):
        from sanxiang.core.blobs import sweepers
        from sanxiang.uploads.services import upload_sweep

        sweepers.register(upload_sweep)
