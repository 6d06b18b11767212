"""双随机 plans and draws: the plan a head approves and commits to the ledger, the draw made from the first signed
checkpoint after that commitment, the targets and inspector pairs it drew, the officers' recusals, and the result
of each target's inspection as the portal publishes it (docs/domain.md §13)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency, Certificate
from sanxiang.cases.models import Inspection, Party, Tier


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Plan(models.Model):
    """抽查计划 — which items an agency inspects, in which population (areas and industries), drawing what share of
    each supervision tier, over which period. Approved by a head, it is frozen and committed to the ledger; only
    then can its draw be made."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        APPROVED = "approved", _("已批准，待抽取")
        DRAWN = "drawn", _("已抽取")
        CLOSED = "closed", _("已结束")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plans", verbose_name=_("实施机关"))
    title = models.CharField(_("计划名称"), max_length=200)
    period_start = models.DateField(_("抽查开始日期"))
    period_end = models.DateField(_("抽查结束日期"))
    items = models.ManyToManyField(
        "inspections.InspectionItem", related_name="plans", verbose_name=_("检查事项"), blank=True
    )
    # Prefixes of GB/T 2260 area codes ("2301" = all of Harbin) and industries; empty means no restriction.
    divisions = models.JSONField(_("区划范围"), default=list, blank=True)
    industries = models.JSONField(_("行业范围"), default=list, blank=True)
    # Percent per tier ("25.00") set on this plan; in a draft a tier not named takes its default from the items'
    # frequencies, and approval freezes all of them here as committed (draws.plan_approve).
    percents = models.JSONField(_("抽查比例"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("编制人")
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    closing_note = models.CharField(_("结束说明"), max_length=300, blank=True)
    # The published results by outcome, refreshed by each publication: the portal reads them without counting rows.
    published_counts = models.JSONField(_("已公示结果统计"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanCommitment(models.Model):
    """The plan as approved: its canonical JSON (RFC 8785) — the plan, the eligible population and the officer pool
    of the approval day — with its SHA-256 and the index of the public ledger entry that committed it. Anyone may
    download `body` and recompute the draw from it and the seed checkpoint."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="commitment")
    body = models.BinaryField()
    digest = models.CharField(_("计划摘要（SHA-256）"), max_length=64)
    ledger_index = models.BigIntegerField(_("承诺账本序号"), unique=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("批准人")
    )
    approved_on = models.DateField(_("批准日期"))
    population = models.PositiveIntegerField(_("名录库企业数"))
    officers = models.PositiveIntegerField(_("执法人员库人数"))

    class Meta:
        verbose_name = _("计划承诺")
        verbose_name_plural = _("计划承诺")


class Draw(models.Model):
    """双随机抽取 — the one draw of a plan: the checkpoint whose root was its seed, the algorithm, and the SHA-256 of
    what it drew (the list the portal publishes)."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="draw")
    checkpoint_size = models.BigIntegerField(_("检查点条目数"))
    seed = models.CharField(_("随机种子（检查点根哈希）"), max_length=64)
    algorithm = models.CharField(_("算法"), max_length=40)
    result_digest = models.CharField(_("抽取结果摘要（SHA-256）"), max_length=64)
    # Certificate numbers of the committed pool no longer valid on the day of the draw: left out of every pair.
    lapsed = models.JSONField(_("抽取时已失效的执法证"), default=list, blank=True)
    shortfalls = models.PositiveIntegerField(_("不足两名执法人员的对象数"), default=0)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("抽取人")
    )
    performed_at = models.DateTimeField(_("抽取时间"))
    ledger_index = models.BigIntegerField(_("账本序号"))

    class Meta:
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")


class Result(models.TextChoices):
    """抽查结果 — what the inspection of a drawn target found, in the words the portal publishes."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    ORDERED_TO_CORRECT = "ordered_to_correct", _("发现问题，责令改正")
    CASE_OPENED = "case_opened", _("发现问题，已立案查处")


class DrawTargetQuerySet(models.QuerySet):
    def awaiting_publication(self):
        """Results recorded and not yet published: what the next 公示 publishes, and what a plan may not close with."""
        return self.filter(status=DrawTarget.Status.RECORDED, published_at__isnull=True)


class DrawTarget(models.Model):
    """抽查对象 — an enterprise the draw picked, its rank and score, the two officers drawn to inspect it (none when
    fewer than two eligible officers remained: the draw reports it), and the result of the inspection."""

    class Status(models.TextChoices):
        DRAWN = "drawn", _("待检查")
        RECORDED = "recorded", _("已登记结果")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="targets")
    rank = models.PositiveIntegerField(_("序号"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="draw_targets", verbose_name=_("抽查对象"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    tier = models.CharField(_("分级分类"), max_length=10, choices=Tier.choices)
    score = models.CharField(_("得分（SHA-256）"), max_length=64)
    first_certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("执法人员一")
    )
    second_certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("执法人员二")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAWN)
    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="draw_target", verbose_name=_("检查")
    )
    result = models.CharField(_("抽查结果"), max_length=20, choices=Result.choices, blank=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    publish_due_on = models.DateField(_("公示期限"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = DrawTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="draw_target_rank_once"),
            models.UniqueConstraint(fields=["plan", "uscc"], name="draw_target_once_per_plan"),
            models.CheckConstraint(
                condition=models.Q(first_certificate__isnull=True, second_certificate__isnull=True)
                | (
                    models.Q(first_certificate__isnull=False, second_certificate__isnull=False)
                    & ~models.Q(first_certificate=models.F("second_certificate"))
                ),
                name="draw_target_two_officers_or_none",
            ),
            models.CheckConstraint(
                condition=models.Q(status="drawn", result="", inspection__isnull=True)
                | (
                    models.Q(status="recorded", inspection__isnull=False, inspected_on__isnull=False)
                    & ~models.Q(result="")
                ),
                name="draw_target_result_with_inspection",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(status="recorded"),
                name="draw_target_published_after_record",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status", "publish_due_on"], name="draw_target_publication"),
            models.Index(fields=["uscc"], name="draw_target_uscc"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.rank}"

    @property
    def agency(self) -> Agency:
        return self.plan.agency


class RecusalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Recusal(models.Model):
    """回避 — an officer who must not inspect an enterprise: a conflict the officer declares, or a kinship the head
    records (《行政处罚法》第四十三条). The draw never pairs the officer with that enterprise."""

    class Kind(models.TextChoices):
        DECLARED = "declared", _("本人申报的利害关系")
        KINSHIP = "kinship", _("近亲属关系")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("机关"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("执法人员")
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("企业"))
    kind = models.CharField(_("回避事由"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("情况说明"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RecusalQuerySet.as_manager()

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["-recorded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["officer", "party"], name="recusal_once_per_pair")]

    def __str__(self) -> str:
        return f"{self.officer} · {self.party}"
