"""检查任务: the inspection work an agency hands its officers — from a draw, a complaint, a higher agency or a
monitoring clue —, dispatched to at least two certified officers, carried out as an on-site inspection
(cases.Inspection) and closed with its result. A reporter's identity is kept in a row of its own, read only by the
agency's heads (《中华人民共和国环境保护法》第五十七条)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Case, Inspection, Party
from sanxiang.inspections.plan_models import DrawTarget, Result


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tasks of the agencies the user may see, and the tasks the user was dispatched to (an officer of a
        branch sent on a task of the city)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(models.Q(agency__in=Agency.objects.visible_to(user)) | models.Q(officers=user)).distinct()


class Task(models.Model):
    """检查任务 — one enterprise to inspect, why (its source), by whom and by when, and what came of it."""

    class Source(models.TextChoices):
        RANDOM = "random", _("双随机抽查")
        COMPLAINT = "complaint", _("信访举报")
        ASSIGNED = "assigned", _("上级交办")
        MONITORING = "monitoring", _("监测线索")

    class Status(models.TextChoices):
        NEW = "new", _("待派发")
        DISPATCHED = "dispatched", _("已派发")
        IN_PROGRESS = "in_progress", _("检查中")
        DONE = "done", _("已办结")
        CANCELLED = "cancelled", _("已撤销")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="inspection_tasks", verbose_name=_("实施机关")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="inspection_tasks", verbose_name=_("检查对象")
    )
    source = models.CharField(_("任务来源"), max_length=12, choices=Source.choices)
    draw_target = models.OneToOneField(
        DrawTarget, on_delete=models.PROTECT, null=True, blank=True, related_name="task", verbose_name=_("抽查对象")
    )
    reference = models.CharField(_("交办文号"), max_length=60, blank=True)
    description = models.CharField(_("任务说明"), max_length=300)
    # The party's division when the task was registered: heads dispatch by area.
    division = models.CharField(_("所在区划代码"), max_length=6, blank=True)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspection_tasks", blank=True, verbose_name=_("执法人员")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="task", verbose_name=_("现场检查")
    )
    result = models.CharField(_("检查结果"), max_length=20, choices=Result.choices, blank=True)
    result_note = models.CharField(_("责令改正情况"), max_length=300, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="inspection_tasks", verbose_name=_("案件")
    )
    cancel_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    dispatched_at = models.DateTimeField(_("派发时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="random", draw_target__isnull=False)
                | (~models.Q(source="random") & models.Q(draw_target__isnull=True)),
                name="task_draw_target_for_random_only",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="assigned") | ~models.Q(reference=""), name="task_assigned_has_reference"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | (models.Q(inspection__isnull=False) & ~models.Q(result="")),
                name="task_done_with_result",
            ),
            models.CheckConstraint(
                condition=~models.Q(result="case_opened") | models.Q(case__isnull=False),
                name="task_case_opened_has_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""), name="task_cancel_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="task_agency_status_due")]

    def __str__(self) -> str:
        return f"{self.party.name}（{self.get_source_display()}）"


class TaskReporter(models.Model):
    """举报人 — who reported the matter of a complaint task, and how to reach them. A row of its own so that nothing
    showing a task carries it by accident: the agency's heads alone read it (task_selectors.reporter_for), the
    ledger records only that one was recorded."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="reporter", primary_key=True)
    name = models.CharField(_("举报人姓名"), max_length=50)
    contact = models.CharField(_("举报人联系方式"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("举报人")
        verbose_name_plural = _("举报人")
