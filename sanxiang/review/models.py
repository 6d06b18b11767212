from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Case, CollectiveDiscussion, PenaltyKind
from sanxiang.documents.models import Document
from sanxiang.licensing.models import Application
from sanxiang.powers.models import Power

# The nine points of the review (黑环发〔2019〕112号 三(三)3), in the seed's order.
ITEMS = [
    ("subject", _("执法主体")),
    ("officers", _("执法人员")),
    ("jurisdiction", _("管辖权限")),
    ("procedure", _("执法程序")),
    ("facts", _("事实认定")),
    ("law", _("法律适用")),
    ("evidence", _("证据使用")),
    ("documents", _("执法文书")),
    ("discretion", _("自由裁量权运用")),
]
ITEM_CODES = [code for code, _label in ITEMS]


class ItemResult(models.TextChoices):
    CONFORMS = "conforms", _("符合")
    PROBLEM = "problem", _("存在问题")
    NOT_APPLICABLE = "n/a", _("不适用")


class PrecheckResult(models.TextChoices):
    PASS = "pass", _("通过")
    PROBLEM = "problem", _("有问题")
    UNKNOWN = "unknown", _("无法判断")


class ReviewRule(models.Model):
    """One line of an agency's 重大执法决定法制审核目录清单: when a decision needs legal review, and why."""

    # Its ledger entries were first written while the catalogue lived in the cases app.
    ledger_subject = "cases.reviewrule"

    class Kind(models.TextChoices):
        PENALTY_KIND = "penalty_kind", _("处罚种类")
        FINE_CITIZEN = "fine_citizen", _("对公民罚款达到")
        FINE_ORGANISATION = "fine_organisation", _("对法人、其他组织罚款达到")
        CONFISCATION = "confiscation", _("没收金额达到")
        HEARING = "hearing", _("经过听证程序")
        COERCIVE = "coercive", _("采取行政强制措施")
        REFERRAL = "referral", _("移送公安机关、司法机关")
        DISCRETION = "discretion", _("超出裁量基准或说明理由偏离计算结果")
        MANUAL = "manual", _("负责人认定重大、复杂")
        LICENCE = "licence", _("作出该项行政许可决定")

    agency_code = models.CharField(_("机关代码"), max_length=12)
    kind = models.CharField(_("情形"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("值"), max_length=40, blank=True, help_text=_("金额（元）或处罚种类"))
    description = models.CharField(_("说明"), max_length=200)
    citation = models.CharField(_("依据"), max_length=300)
    # The power (执法事项) of the catalogue's agency the line is about, where it names one: a line copied down from
    # the agency above keeps the power it was adopted under.
    power = models.ForeignKey(
        Power,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_rules",
        verbose_name=_("执法事项"),
    )

    class Meta:
        verbose_name = _("法制审核目录")
        verbose_name_plural = _("法制审核目录")
        ordering = ["agency_code", "kind", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def value_words(self) -> str:
        """The value as a page shows it: a penalty kind by its name, an amount in yuan."""
        if self.kind == self.Kind.PENALTY_KIND and self.value in PenaltyKind.values:
            return str(PenaltyKind(self.value).label)
        return f"{int(self.value):,} 元" if self.value.isdigit() else self.value


OPEN_STATUSES = ["open", "problems", "coordination"]


class Review(models.Model):
    """法制审核 of one major decision — a case's (处罚、强制、移送) or a licence application's (行政许可决定): its rounds,
    and the coordination when the handling unit disagrees. Exactly one of `case` and `application` is set."""

    class Status(models.TextChoices):
        OPEN = "open", _("审核中")
        PROBLEMS = "problems", _("存在问题，待承办机构处理")
        COORDINATION = "coordination", _("意见不一致，协调中")
        AGREED = "agreed", _("同意")
        OVERRULED = "overruled", _("经协调，不采纳审核意见")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews")
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("许可申请"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("送审时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, application__isnull=True)
                | models.Q(case__isnull=True, application__isnull=False),
                name="review_of_one_decision",
            ),
            # One open review per case or application: while a review is unfinished, no second one can be opened.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status__in=OPEN_STATUSES), name="one_open_review_per_case"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_review_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_status_display()}"

    @property
    def subject_kind(self) -> str:
        """What is reviewed, as the ledger's facts name it: "case" or "application"."""
        return "case" if self.case_id else "application"

    @property
    def subject(self) -> Case | Application:
        return self.case if self.case_id else self.application

    @property
    def subject_number(self) -> str:
        return self.subject.number

    @property
    def party_name(self) -> str:
        """当事人 of a case, 申请人 of an application."""
        return self.case.party.name if self.case_id else self.application.applicant_name


class Round(models.Model):
    """One submission and the reviewer's opinion on it; every round is kept so they can be compared."""

    class Outcome(models.TextChoices):
        AGREE = "agree", _("同意")
        PROBLEMS = "problems", _("存在问题")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("送审时间"))
    statement = models.TextField(_("承办机构承诺"))
    response = models.TextField(_("对上一轮意见的处理说明"), blank=True)
    materials = models.JSONField(_("送审材料"))
    prechecks = models.JSONField(_("自动预审"))
    due_on = models.DateField(_("审核期限"))
    due_provisional = models.BooleanField(default=False)
    extended = models.BooleanField(_("已延长"), default=False)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("批准延长的负责人"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    taken_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    items = models.JSONField(_("九项审核意见"), default=dict)
    outcome = models.CharField(_("审核结论"), max_length=10, choices=Outcome.choices, blank=True)
    corrections = models.TextField(_("需要纠正的问题"), blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)
    opinion_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审核轮次")
        verbose_name_plural = _("审核轮次")
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="round_number_once")]

    def __str__(self) -> str:
        return f"{self.review.subject} · {self.number}"

    @property
    def precheck_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(PrecheckResult.values, 0)
        for check in self.prechecks.values():
            counts[check["result"]] += 1
        return counts


class Coordination(models.Model):
    """协调 — the handling unit contests an opinion; the head decides or the heads decide together."""

    class Decision(models.TextChoices):
        OVERRULE = "overrule", _("不采纳审核意见，可以作出决定")
        UPHOLD = "uphold", _("维持审核意见，承办机构应当纠正")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="coordinations")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    contested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("异议理由"))
    contested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("协调结果"), max_length=10, choices=Decision.choices, blank=True)
    discussion = models.ForeignKey(
        CollectiveDiscussion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("负责人集体讨论"),
    )
    note = models.TextField(_("协调意见"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("协调")
        verbose_name_plural = _("协调")
        ordering = ["contested_at", "id"]
