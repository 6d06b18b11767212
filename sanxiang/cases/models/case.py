from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models.catalogue import Violation, describe_penalty
from sanxiang.cases.models.inspections import Inspection
from sanxiang.cases.models.parties import Party
from sanxiang.core.models import ChoiceLabels

MONEY = {"max_digits": 14, "decimal_places": 2}


class Stage(models.TextChoices):
    CLUE = "clue", _("案源登记")
    INVESTIGATING = "investigating", _("调查取证")
    REVIEWING = "reviewing", _("案件审查")
    NOTIFIED = "notified", _("已事先告知")
    HEARING = "hearing", _("听证")
    DECIDING = "deciding", _("待决定")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达（执行中）")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    NOT_FILED = "not_filed", _("不予立案")
    WITHDRAWN = "withdrawn", _("已销案")


# Stages in which the case still has legal clocks running.
OPEN_STAGES = (
    Stage.CLUE,
    Stage.INVESTIGATING,
    Stage.REVIEWING,
    Stage.NOTIFIED,
    Stage.HEARING,
    Stage.DECIDING,
    Stage.DECIDED,
    Stage.SERVED,
)


class Source(models.TextChoices):
    INSPECTION = "inspection", _("现场检查")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("移送、交办")
    MONITORING = "monitoring", _("在线监控")
    RANDOM = "random", _("双随机抽查")
    FOLLOW_UP = "follow_up", _("复查（原案衍生）")
    OTHER = "other", _("其他")


class CaseKind(models.TextChoices):
    """What the case decides. A decision that follows from an earlier case (按日连续处罚 after its correction order,
    限制生产、停产整治, 责令停业、关闭) is a case of its own, derived from that one, and goes through the same ordinary
    procedure — 事先告知, 陈述申辩, 听证, 法制审核, 集体讨论, 决定 — with the gates of its kind (令第28号, 令第30号; a
    closure also the people's government's approval)."""

    PENALTY = "penalty", _("行政处罚")
    DAILY_PENALTY = "daily_penalty", _("按日连续处罚")
    PRODUCTION = "production", _("责令限制生产、停产整治")
    SEIZURE = "seizure", _("查封、扣押")
    CLOSURE = "closure", _("责令停业、关闭")


class Act(models.TextChoices):
    """The enforcement acts a record (document or audio/video) can belong to."""

    INSPECTION = "inspection", _("现场检查")
    QUESTIONING = "questioning", _("调查询问")
    EVIDENCE = "evidence", _("调查取证")
    SEIZURE = "seizure", _("查封扣押")
    PRODUCTION = "production", _("限产停产")
    CLOSURE = "closure", _("停业关闭")
    HEARING = "hearing", _("听证")
    SERVICE = "service", _("文书送达")
    OTHER = "other", _("其他")


# 黑环发〔2019〕112号 三(二)1(2): these acts must be recorded on audio/video throughout; for the second set it is
# "according to circumstances", so their absence is shown as a warning.
AV_REQUIRED_ACTS = frozenset({Act.SEIZURE, Act.PRODUCTION, Act.CLOSURE})
AV_ADVISED_ACTS = frozenset({Act.INSPECTION, Act.EVIDENCE, Act.HEARING, Act.SERVICE})
AV_CITATION = "黑环发〔2019〕112号 三(二)1(2)"


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")
    REFERRAL = "referral", _("移送司法机关或公安机关")
    MEASURE = "measure", _("采取行政强制措施")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class ServiceMethod(models.TextChoices):
    """送达方式 of a decision (《行政处罚法》第六十一条, by the 民事诉讼法's rules)."""

    DIRECT = "direct", _("直接送达")
    RESIDENCE = "residence", _("留置送达")
    POST = "post", _("邮寄送达（以回执上注明的收件日期为送达日期）")
    PUBLIC_NOTICE = "public_notice", _("公告送达（自发出公告之日起经过三十日视为送达）")
    ELECTRONIC = "electronic", _("电子送达（当事人同意）")


class Case(ChoiceLabels, models.Model):
    """行政处罚案件 — a penalty case under the ordinary procedure, from clue to archive.

    The stage moves only through the services (one function per transition); the dates below are the facts the
    legal clocks run from, and the *_due fields the deadlines computed from them through the working-day calendar.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases", verbose_name=_("机关"))
    number = models.CharField(_("立案编号"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("案由"), max_length=200)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="cases", verbose_name=_("当事人"))
    source = models.CharField(_("案件来源"), max_length=16, choices=Source.choices)
    kind = models.CharField(_("案件类别"), max_length=16, choices=CaseKind.choices, default=CaseKind.PENALTY)
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derived", verbose_name=_("原案")
    )
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    violation = models.ForeignKey(
        Violation, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("违法行为")
    )
    summary = models.TextField(_("案情简介"), blank=True)
    act_date = models.DateField(_("违法行为发生日"))
    # Jurisdiction follows the place of the act (《行政处罚法》第二十二条), not the party's registration.
    act_place = models.CharField(_("违法行为发生地"), max_length=200, blank=True)
    act_division = models.CharField(_("发生地行政区划代码"), max_length=6, blank=True)
    act_continuing = models.BooleanField(_("违法行为有连续或继续状态"), default=False)
    act_ended_on = models.DateField(_("违法行为终了日"), null=True, blank=True)
    serious_harm = models.BooleanField(_("涉及公民生命健康安全且有危害后果"), default=False)
    discovered_on = models.DateField(_("发现日期"))
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.CLUE, db_index=True)
    complex_or_major = models.BooleanField(_("情节复杂或重大违法"), default=False)

    filing_extended = models.BooleanField(_("立案期限已批准延长"), default=False)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="investigated_cases", blank=True, verbose_name=_("承办人")
    )
    case_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("案件审查人"),
    )
    review_opinion = models.TextField(_("案件审查意见"), blank=True)

    facts = models.TextField(_("违法事实"), blank=True)
    evidence = models.TextField(_("证据"), blank=True)
    basis = models.TextField(_("处罚依据"), blank=True)
    proposed_kinds = models.JSONField(_("拟处罚种类"), default=list)
    proposed_fine = models.DecimalField(_("拟罚款（元）"), null=True, blank=True, **MONEY)
    proposed_confiscation = models.DecimalField(_("拟没收（元）"), null=True, blank=True, **MONEY)
    discretion = models.JSONField(_("裁量计算"), default=dict, blank=True)
    departs_from_benchmark = models.BooleanField(_("偏离裁量基准"), default=False)
    departure_reason = models.TextField(_("偏离理由"), blank=True)

    notified_kinds = models.JSONField(_("告知的处罚种类"), default=list)
    notified_fine = models.DecimalField(_("告知的罚款（元）"), null=True, blank=True, **MONEY)
    notified_confiscation = models.DecimalField(_("告知的没收（元）"), null=True, blank=True, **MONEY)
    hearing_offered = models.BooleanField(_("告知听证权利"), default=False)
    notice_served_on = models.DateField(_("告知书送达日"), null=True, blank=True)
    statement_received_on = models.DateField(_("陈述申辩收到日"), null=True, blank=True)
    statement_summary = models.TextField(_("陈述申辩的主要内容"), blank=True)
    statement_handled = models.BooleanField(_("陈述申辩已复核"), default=False)
    rights_waived_on = models.DateField(_("当事人明确放弃陈述申辩、听证之日"), null=True, blank=True)
    # Each right may also be given up on its own: a statement is no waiver of the hearing (《行政处罚法》第六十二条).
    statement_waived_on = models.DateField(_("当事人明确放弃陈述申辩之日"), null=True, blank=True)
    hearing_waived_on = models.DateField(_("当事人明确放弃听证之日"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("听证申请日"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("听证时间"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_presiding = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("听证主持人"),
    )
    hearing_notice_served_on = models.DateField(_("听证通知送达日"), null=True, blank=True)
    hearing_held_on = models.DateField(_("听证日"), null=True, blank=True)

    reconsideration_note = models.TextField(_("复核意见"), blank=True)
    proposed_outcome = models.CharField(_("拟处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    review_required = models.BooleanField(_("须法制审核"), default=False)
    review_reasons = models.JSONField(_("须审核的理由"), default=list)
    review_passed_at = models.DateTimeField(_("法制审核通过时间"), null=True, blank=True)
    collective_held_on = models.DateField(_("集体讨论日"), null=True, blank=True)
    decision_extension_days = models.PositiveSmallIntegerField(_("决定期限延长天数"), default=0)

    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    decided_kinds = models.JSONField(_("决定的处罚种类"), default=list)
    decided_fine = models.DecimalField(_("罚款（元）"), null=True, blank=True, **MONEY)
    decided_confiscation = models.DecimalField(_("没收（元）"), null=True, blank=True, **MONEY)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True, db_index=True)
    served_on = models.DateField(_("决定书送达日"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=20, choices=ServiceMethod.choices, blank=True)
    # 公告送达: the day the notice was issued; `served_on` is then the day service is deemed made (30 days on).
    service_notice_on = models.DateField(_("公告发布日"), null=True, blank=True)

    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("已缴金额（元）"), null=True, blank=True, **MONEY)
    # A payment of the fine alone leaves the 加处罚款 owed as computed on that day, until it is paid in turn.
    surcharge_owed = models.DecimalField(_("尚欠加处罚款（元）"), null=True, blank=True, **MONEY)
    surcharge_paid_on = models.DateField(_("加处罚款缴纳日期"), null=True, blank=True)
    deferred_until = models.DateField(_("批准延期（分期）至"), null=True, blank=True)
    reminder_served_on = models.DateField(_("催告书送达日"), null=True, blank=True)
    court_applied_on = models.DateField(_("申请法院强制执行日"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    archive_sha256 = models.CharField(_("归档案卷（BagIt 包）SHA-256"), max_length=64, blank=True)
    # Archiving renders every document as PDF and packs the file: the background worker does it (case_file_archive).
    archive_requested_at = models.DateTimeField(_("申请归档时间"), null=True, blank=True)
    ending_reason = models.TextField(_("不予立案、销案或结案理由"), blank=True)

    # The next legal deadline, kept up to date by every transition so dashboards need one indexed query.
    next_due_on = models.DateField(_("下一期限"), null=True, blank=True, db_index=True)
    next_due_kind = models.CharField(_("期限事项"), max_length=40, blank=True)
    next_due_provisional = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="case_agency_recent"),
            models.Index(fields=["agency", "stage"], name="case_agency_stage"),
            # the annual report's drill-down lists decisions newest first, a page after a cursor (reports.selectors)
            models.Index(fields=["-decided_on", "-id"], name="case_decided_recent"),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def proposed_text(self) -> str:
        return describe_penalty(self.proposed_kinds, self.proposed_fine, self.proposed_confiscation)

    @property
    def decided_text(self) -> str:
        return describe_penalty(self.decided_kinds, self.decided_fine, self.decided_confiscation)

    @property
    def archiving(self) -> bool:
        """The background worker packs the case file now: asked for, not archived yet, and not so long ago that the
        worker must have died (ARCHIVE_REQUEST_STALE_AFTER), after which 归档 may be asked for again."""
        return (
            self.archive_requested_at is not None
            and not self.archived_on
            and timezone.now() - self.archive_requested_at < settings.ARCHIVE_REQUEST_STALE_AFTER
        )


class Approval(models.Model):
    """审批 — an internal approval recorded on the step it approves: who, opinion, when."""

    class Step(models.TextChoices):
        FILING = "filing", _("立案审批")
        FILING_EXTENSION = "filing_extension", _("延长立案期限")
        NOT_FILING = "not_filing", _("不予立案审批")
        PRESERVATION = "preservation", _("先行登记保存审批")
        DECISION_EXTENSION = "decision_extension", _("延长办案期限")
        DECISION = "decision", _("处罚决定审批")
        WITHDRAWAL = "withdrawal", _("销案审批")
        CLOSING = "closing", _("结案审批")
        DEFERRAL = "deferral", _("延期、分期缴纳审批")
        SEIZURE = "seizure", _("查封扣押审批")
        SEIZURE_EXTENSION = "seizure_extension", _("查封扣押延期审批")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals", null=True, blank=True)
    step = models.CharField(_("审批事项"), max_length=24, choices=Step.choices)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("审批人"))
    opinion = models.CharField(_("审批意见"), max_length=500)
    approved_at = models.DateTimeField(_("审批时间"))

    class Meta:
        verbose_name = _("审批")
        verbose_name_plural = _("审批")
        ordering = ["approved_at", "id"]


class Suspension(models.Model):
    """A period that stops the decision clock: hearing, monitoring, appraisal, service, public notice (2010 办法 art 55)."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("听证")
        MONITORING = "monitoring", _("监测")
        APPRAISAL = "appraisal", _("鉴定")
        SERVICE = "service", _("送达")
        NOTICE = "notice", _("公告")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("事由"), max_length=16, choices=Kind.choices)
    started_on = models.DateField(_("起"))
    ended_on = models.DateField(_("止"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]


class Preservation(models.Model):
    """先行登记保存 — evidence registered for preservation; a decision is due within 7 working days."""

    class Decision(models.TextChoices):
        PRESERVE = "preserve", _("继续保存（转为查封扣押等）")
        APPRAISE = "appraise", _("送检鉴定")
        SEAL = "seal", _("依法采取查封、扣押")
        RELEASE = "release", _("解除先行登记保存")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preservations")
    items = models.TextField(_("物品清单"))
    registered_on = models.DateField(_("登记保存日"))
    decide_by = models.DateField(_("处理决定期限"))
    decision = models.CharField(_("处理决定"), max_length=16, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("处理决定日"), null=True, blank=True)

    class Meta:
        ordering = ["registered_on", "id"]


class CollectiveDiscussion(models.Model):
    """案件集体讨论 — the heads' deliberation on a complex or major case, with its minutes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="discussions")
    held_on = models.DateField(_("讨论日期"))
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("参加人"))
    opinions = models.TextField(_("讨论意见"))
    conclusion = models.TextField(_("结论"))
    extension_days = models.PositiveSmallIntegerField(_("决定延长办案期限（日）"), default=0)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.conclusion[:40]}"


class Transfer(models.Model):
    """移送管辖: a clue sent to the agency competent for the place of the act (《行政处罚法》第二十二条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("移送机关"))
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("受移送机关"))
    reason = models.TextField(_("移送理由"))
    transferred_on = models.DateField(_("移送日期"))
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )

    class Meta:
        verbose_name = _("移送管辖")
        verbose_name_plural = _("移送管辖")
        ordering = ["transferred_on", "id"]


class LateRecord(models.Model):
    """补录 — an act recorded after the day it was done: the date typed, the day it was recorded and why.

    A late record never opens a gate that was already shut on the day it was recorded (the services check both
    days); the case page lists these, and the act's ledger entry carries its two dates.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="late_records")
    move = models.CharField(_("事项"), max_length=40)
    what = models.CharField(_("日期"), max_length=60)
    acted_on = models.DateField(_("实际发生日"))
    recorded_on = models.DateField(_("录入日"))
    reason = models.CharField(_("补录理由"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )

    class Meta:
        verbose_name = _("补录记录")
        verbose_name_plural = _("补录记录")
        ordering = ["recorded_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(acted_on__lt=models.F("recorded_on")), name="late_record_is_late")
        ]
