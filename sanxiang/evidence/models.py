from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Act, Case, Closure, Inspection, ProductionMeasure, Seizure
from sanxiang.core.models import ChoiceLabels
from sanxiang.documents.models import Document


class EvidenceKind(models.TextChoices):
    """证据种类（《行政处罚法》第四十六条）and the record forms of the full-process record."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIO = "audio", _("视听资料（录音）")
    VIDEO = "video", _("视听资料（录像）")
    ELECTRONIC = "electronic", _("电子数据")
    PHOTO = "photo", _("现场照片")
    TESTIMONY = "testimony", _("证人证言")
    STATEMENT = "statement", _("当事人的陈述")
    APPRAISAL = "appraisal", _("鉴定意见")
    RECORD = "record", _("勘验笔录、现场笔录")


AUDIOVISUAL = frozenset({EvidenceKind.AUDIO, EvidenceKind.VIDEO})


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class EvidenceItem(ChoiceLabels, models.Model):
    """证据 — one file of a case or an inspection: stored by its SHA-256, numbered in the file, described.

    The description (摄录内容, speakers, dialogue) lives in versioned annotations; this row never changes except to
    be linked to the coercive measure it recorded.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evidence_items")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_items")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_items"
    )
    number = models.PositiveIntegerField(_("编号"))
    act = models.CharField(_("执法环节"), max_length=16, choices=Act.choices)
    kind = models.CharField(_("证据种类"), max_length=16, choices=EvidenceKind.choices)
    is_audiovisual = models.BooleanField(_("音像记录"), default=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("字节数"))
    original_name = models.CharField(_("原始文件名"), max_length=255)
    media_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    device = models.CharField(_("记录设备"), max_length=100, blank=True)
    # The wearer's number as a body-worn recorder (执法记录仪) wrote it into the file's name (evidence.recorder): kept
    # as the device said it, even when it names nobody the platform knows.
    officer_number = models.CharField(_("执法记录仪记录的执法证号"), max_length=30, blank=True)
    captured_start = models.DateTimeField(_("摄录开始"), null=True, blank=True)
    captured_end = models.DateTimeField(_("摄录结束"), null=True, blank=True)
    # A photo without EXIF, a scan: the recorder enters when it was taken, and the record says the time is theirs.
    captured_by_hand = models.BooleanField(_("摄录时间为手工填写"), default=False)
    duration_seconds = models.DecimalField(_("时长（秒）"), max_digits=10, decimal_places=2, null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    covert = models.BooleanField(_("隐蔽录音录像"), default=False)
    covert_basis = models.TextField(_("隐蔽录制的法律依据"), blank=True)
    record_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("同一环节的笔录")
    )
    seizure = models.ForeignKey(Seizure, null=True, blank=True, on_delete=models.PROTECT, related_name="recordings")
    production_measure = models.ForeignKey(
        ProductionMeasure, null=True, blank=True, on_delete=models.PROTECT, related_name="recordings"
    )
    closure = models.ForeignKey(Closure, null=True, blank=True, on_delete=models.PROTECT, related_name="recordings")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(inspection__isnull=False), name="evidence_belongs"
            ),
            models.UniqueConstraint(
                fields=["case", "number"], condition=models.Q(case__isnull=False), name="evidence_number_in_case"
            ),
            models.UniqueConstraint(
                fields=["inspection", "number"],
                condition=models.Q(case__isnull=True, inspection__isnull=False),
                name="evidence_number_in_inspection",
            ),
        ]

    def __str__(self) -> str:
        return f"证据{self.number} {self.original_name}"


class EvidenceAnnotation(models.Model):
    """摄录内容的备注 — what a file shows, who speaks and what is said; corrected only by a new version with a reason."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="annotations")
    version = models.PositiveSmallIntegerField()
    description = models.TextField(_("摄录内容"))
    speakers = models.TextField(_("对话人员身份"), blank=True)
    dialogue = models.TextField(_("主要对话内容"), blank=True)
    reason = models.CharField(_("更正理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="annotation_version_once")]


class ScrubReport(models.Model):
    """The result of re-hashing every stored evidence file and document."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    checked = models.PositiveIntegerField()
    missing = models.JSONField(default=list)
    corrupted = models.JSONField(default=list)

    class Meta:
        ordering = ["-finished_at"]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupted)
