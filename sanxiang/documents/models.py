import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.documents.types import TYPES

TYPE_CHOICES = [(code, kind.name) for code, kind in TYPES.items()]


class NumberSequence(models.Model):
    """The last 文号 serial an agency used for one document type in one year; locked while a number is taken."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    doc_type = models.CharField(max_length=40, choices=TYPE_CHOICES)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "doc_type", "year"], name="one_sequence_per_year")]


class Document(models.Model):
    """执法文书 — one generated document: its number, the immutable DOCX (and PDF) by hash, what it belongs to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="documents", verbose_name=_("机关"))
    doc_type = models.CharField(_("文书种类"), max_length=40, choices=TYPE_CHOICES)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True, db_index=True)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    issued_on = models.DateField(_("日期"))
    docx_sha256 = models.CharField(max_length=64)
    docx_size = models.PositiveIntegerField()
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="document_number_once",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_doc_type_display()} #{self.pk}"


class AgencyTemplate(models.Model):
    """An agency's own Word template for one document type; the newest active one is used."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="document_templates")
    doc_type = models.CharField(_("文书种类"), max_length=40, choices=TYPE_CHOICES)
    content_sha256 = models.CharField(max_length=64)
    file_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["-uploaded_at", "-id"]
