"""Resumable uploads (断点续传): an evidence file a device sends in pieces, over as many requests and broken
connections as it takes, kept in a private folder until it is whole and then handed to the evidence ingest."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Case, Inspection
from sanxiang.evidence.models import EvidenceItem


class Upload(models.Model):
    """断点续传的上传 — one file announced to a case or an inspection: its length, its name, the SHA-256 the device recorded at
    capture, and how it is to be registered. The bytes received so far are the private partial file (its size is
    the offset); once whole and matching the capture hash the file becomes `evidence`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    length = models.BigIntegerField(_("文件大小（字节）"))
    capture_sha256 = models.CharField(_("采集时记录的 SHA-256"), max_length=64)
    original_name = models.CharField(_("文件名"), max_length=255)
    details = models.JSONField(_("登记事项"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    evidence = models.OneToOneField(EvidenceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refusal = models.CharField(_("拒收原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("断点续传的上传")
        constraints = [
            models.CheckConstraint(condition=Q(length__gt=0), name="upload_length_positive"),
            models.CheckConstraint(
                condition=Q(case__isnull=False, inspection__isnull=True)
                | Q(case__isnull=True, inspection__isnull=False),
                name="upload_case_or_inspection",
            ),
            models.CheckConstraint(condition=Q(evidence__isnull=True) | Q(refusal=""), name="upload_stored_or_refused"),
        ]

    def expired(self, now=None) -> bool:
        return self.evidence_id is None and (now or timezone.now()) >= self.expires_at
