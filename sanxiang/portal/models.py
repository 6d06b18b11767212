from django.db import models


class KeptPage(models.Model):
    """A portal page kept as rendered (公示页面静态化): its bytes are a blob named by their SHA-256, which is also the
    page's ETag. A decision's page names the publication and the version of the record it was rendered from, and is
    served only while the record is still at that version; a list page (the home page) lives `expires_at` at most
    and is dropped by every publication event."""

    path = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    publication = models.ForeignKey(
        "publicity.Publication", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    publication_version = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.path
