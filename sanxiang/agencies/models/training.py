"""Training of enforcement officers (培训记录): what each officer attended, for how many hours, and the exam result.

Records are kept, never edited: a mistake is put right by withdrawing the record with a reason, or by a correction
that withdraws it and records the corrected one in its place (services.training)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingKind(models.TextChoices):
    """What a course teaches (黑环发〔2019〕112号 四(三)(四): 资格管理、各类培训制度、“三项制度”专题学习培训)."""

    PUBLIC_LAW = "public_law", _("公共法律知识")
    PROFESSIONAL = "professional", _("业务知识（专业法律知识）")
    SKILLS = "skills", _("执法技能")
    THREE_SYSTEMS = "three_systems", _("“三项制度”专题")


class ExamResult(models.TextChoices):
    PASSED = "passed", _("考试合格")
    FAILED = "failed", _("考试不合格")
    NONE = "none", _("未设考试")


class TrainingRecordQuerySet(models.QuerySet):
    def standing(self) -> TrainingRecordQuerySet:
        """Records that count: not withdrawn (a corrected record is withdrawn, its correction stands)."""
        return self.filter(withdrawn_at__isnull=True)

    def in_year(self, year: int) -> TrainingRecordQuerySet:
        """A course counts in the year it ends."""
        return self.filter(ended_on__year=year)


class TrainingRecord(models.Model):
    """培训记录 — one course an officer attended: its title, organiser, kind, dates, hours and exam result."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records", verbose_name=_("执法人员")
    )
    # The officer's agency when the record was made: who may see and record it, and whose yearly figures it counts in.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="training_records", verbose_name=_("所属机关")
    )
    course = models.CharField(_("培训名称"), max_length=200)
    organiser = models.CharField(_("主办单位"), max_length=100)
    kind = models.CharField(_("培训类别"), max_length=20, choices=TrainingKind.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    exam_result = models.CharField(_("考试结果"), max_length=10, choices=ExamResult.choices, default=ExamResult.NONE)
    exam_score = models.DecimalField(_("考试成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_number = models.CharField(_("结业证书或培训记录编号"), max_length=60, blank=True)
    evidence_note = models.CharField(
        _("佐证材料"), max_length=300, blank=True, help_text=_("如：签到表、结业证书存档位置")
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("更正的记录"),
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-ended_on", "-pk"]
        indexes = [models.Index(fields=["agency", "ended_on"], name="training_agency_ended")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_on__gte=models.F("started_on")), name="training_dates"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(exam_score__isnull=True)
                | (~models.Q(exam_result="none") & models.Q(exam_score__gte=0, exam_score__lte=100)),
                name="training_score_with_exam",
            ),
            # A withdrawal always says why.
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="training_withdrawal_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course}（{self.hours} 学时）"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
