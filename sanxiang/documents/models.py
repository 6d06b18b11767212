import base64
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.documents.types import TYPES
from sanxiang.documents.types.signers import SIGNERS

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
    # The filled fields, so that a correction renders the same document with the corrected ones.
    values = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by", verbose_name=_("更正")
    )
    # The copy that carries the signatures (the version's own DOCX with a signature page), refreshed at each one.
    signed_docx_sha256 = models.CharField(max_length=64, blank=True)
    signed_pdf_sha256 = models.CharField(max_length=64, blank=True)
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

    @property
    def signed_on_site(self) -> bool:
        """Whether the people present sign it on the spot (types.signers)."""
        return self.doc_type in SIGNERS


class SignerRole(models.TextChoices):
    PARTY = "party", _("当事人（被检查人）")
    INTERVIEWEE = "interviewee", _("被询问人")
    OFFICER = "officer", _("执法人员")
    WITNESS = "witness", _("见证人")


class Signature(models.Model):
    """现场签名 — one person's hand signature on one version of a document, bound to the SHA-256 of the DOCX shown
    to them; or a refusal to sign (拒绝签名) with the officer's note, recorded together with a witness's signature.
    Rows are never changed or deleted (database triggers): a correction is a new version that is signed anew."""

    class Status(models.TextChoices):
        SIGNED = "signed", _("已签名")
        REFUSED = "refused", _("拒绝签名")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    document_sha256 = models.CharField(_("所签文书版本（SHA-256）"), max_length=64)
    role = models.CharField(_("签名人身份"), max_length=16, choices=SignerRole.choices)
    name = models.CharField(_("姓名"), max_length=60)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(_("签名情况"), max_length=16, choices=Status.choices)
    note = models.CharField(_("执法人员注明的情况"), max_length=300, blank=True)
    # [[ [x, y, ms], ... ], ...] in the pad's 1000 x 400 box, time in milliseconds from the first touch
    strokes = models.JSONField(default=list, blank=True)
    strokes_sha256 = models.CharField(max_length=64, blank=True)
    svg = models.TextField(blank=True)  # drawn by the server from the strokes, never the client's markup
    png_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(_("签名时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("现场签名")
        verbose_name_plural = _("现场签名")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "role"],
                condition=models.Q(role__in=["party", "interviewee"]),
                name="signature_principal_once",
            ),
            models.UniqueConstraint(
                fields=["document", "officer"], condition=models.Q(officer__isnull=False), name="signature_officer_once"
            ),
            models.CheckConstraint(
                condition=models.Q(status="refused", strokes_sha256="", role__in=["party", "interviewee"])
                & ~models.Q(note="")
                | models.Q(status="signed") & ~models.Q(strokes_sha256=""),
                name="signature_has_strokes_or_refusal_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    @property
    def agency(self):
        return self.document.agency

    @property
    def svg_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


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
