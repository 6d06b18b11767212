from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Case
from sanxiang.documents.models import Document
from sanxiang.licensing.models import Licence


class Kind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    COERCIVE = "coercive", _("行政强制")
    CORRECTION = "correction", _("责令改正")
    PRODUCTION = "production", _("限产停产")
    LICENCE = "licence", _("行政许可")


class CreditClass(models.TextChoices):
    """The class of a penalty as credit information (信用修复管理办法, from 2026-04-01): it sets the display period."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class PublicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def showing(self, today):
        """Published and within the display period — even before the nightly job has marked the expired ones."""
        return self.filter(
            models.Q(display_until__isnull=True) | models.Q(display_until__gte=today),
            status=Publication.Status.PUBLISHED,
        )

    def public(self, today):
        """What the portal may show: the decisions showing, and the stubs of withdrawn ones."""
        return self.showing(today) | self.filter(status=Publication.Status.WITHDRAWN)


class Publication(models.Model):
    """公示记录 — one enforcement decision to be published (事后公开), from its due date to its end on the portal.

    The original text stays on the staff side; the portal shows only the versions a second person confirmed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("待公示")
        WITHHELD = "withheld", _("依法不予网上公开")
        PUBLISHED = "published", _("已公示")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("公示期满")

    class Source(models.TextChoices):
        CASE = "case", _("本平台办案")
        MANUAL = "manual", _("手工录入")
        IMPORT = "import", _("外部系统导入")
        LICENSING = "licence", _("本平台许可")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="publications", verbose_name=_("机关"))
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.CASE)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="publications")
    # A licence decided here: its grant, each change and each renewal is a publication of its own (its decision's
    # number); a recall or revocation withdraws them all.
    licence = models.ForeignKey(
        Licence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("行政许可"),
    )
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("决定书文号"), max_length=80)
    title = models.CharField(_("决定名称"), max_length=80)
    party_name = models.CharField(_("行政相对人名称"), max_length=200)
    party_kind = models.CharField(_("行政相对人类别"), max_length=24)
    # The 统一社会信用代码 of the published summary (an organisation's, public), copied at each publication so that
    # an enterprise's feed and its subscribers are found by an index, not by reading every summary.
    party_uscc = models.CharField(_("行政相对人统一社会信用代码"), max_length=18, blank=True)
    violation = models.CharField(_("违法行为类型"), max_length=200, blank=True)
    decided_on = models.DateField(_("决定日期"), db_index=True)
    due_on = models.DateField(_("应公示日期"))
    due_provisional = models.BooleanField(default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    withheld_reason = models.CharField(_("不予网上公开的理由"), max_length=300, blank=True)
    credit_class = models.CharField(_("失信程度"), max_length=8, choices=CreditClass.choices, blank=True)
    published_on = models.DateField(_("首次公示日期"), null=True, blank=True)
    display_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    changed_on = models.DateField(_("决定被变更、撤销之日"), null=True, blank=True)
    withdraw_due_on = models.DateField(_("应撤回日期"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    ended_on = models.DateField(_("停止公示日期"), null=True, blank=True)
    end_reason = models.CharField(_("停止公示原因"), max_length=300, blank=True)
    summary = models.JSONField(_("双公示信息项"), default=dict)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示记录")
        verbose_name_plural = _("公示记录")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-decided_on", "-id"], name="publication_public_recent"),
            models.Index(fields=["agency", "status", "-decided_on"], name="publication_agency_status"),
            models.Index(fields=["status", "due_on"], name="publication_due"),
            models.Index(fields=["party_uscc", "status"], name="publication_party_uscc"),
            models.Index(fields=["kind", "status"], name="publication_kind_status"),
            models.Index(fields=["status", "-withdrawn_at"], name="publication_withdrawn_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "number"], name="publication_number_once"),
            # the licence a record is about, exactly when the platform's licensing made it
            models.CheckConstraint(
                condition=models.Q(source="licence", licence__isnull=False, kind="licence")
                | (~models.Q(source="licence") & models.Q(licence__isnull=True)),
                name="publication_licence_from_licensing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"


class PublicationVersion(models.Model):
    """One text of a publication: the original (staff only), its masks, and the derived public text with its hash.

    The first version is the decision as made; a correction is a new version with a public reason. A version
    reaches the portal only after someone other than the person who prepared its masks confirmed them.
    """

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    original = models.TextField(_("原文"))
    masks = models.JSONField(_("遮盖范围"), default=list)
    warnings = models.JSONField(_("待人工判断的内容"), default=list)
    summary = models.JSONField(_("双公示信息项"), default=dict)
    public_text = models.TextField(_("公开文本"))
    public_sha256 = models.CharField(_("公开文本 SHA-256"), max_length=64)
    reason = models.TextField(_("更正理由"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处理人"),
    )
    prepared_at = models.DateTimeField(_("处理时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("复核人"),
    )
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("PDF 文件 SHA-256"), max_length=64, blank=True)  # a rendering, made on first view

    class Meta:
        verbose_name = _("公示版本")
        verbose_name_plural = _("公示版本")
        ordering = ["publication", "number"]
        indexes = [models.Index(fields=["-published_at"], name="version_published_recent")]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="publication_version_once")]

    def __str__(self) -> str:
        return f"{self.publication} v{self.number}"


class Topic(models.TextChoices):
    """What a subscription follows."""

    ENTERPRISE = "enterprise", _("企业")
    AGENCY = "agency", _("执法机关")
    KIND = "kind", _("决定类别")


class Subscription(models.Model):
    """订阅 — someone's e-mail address following the decisions published about one enterprise (its 统一社会信用代码), by
    one agency (and the agencies under it) or of one kind. Nothing is sent to the address but the confirmation
    until its owner confirms (double opt-in); the unsubscribe token ends it in one click, without an account.

    Not ledgered: the address is personal data of a member of the public, and the ledger is append-only and
    published in part — an address written there could never be erased (the address is erased at cancellation
    instead, 《个人信息保护法》第四十七条). What the notices are about is in the ledger already (each publication's
    public entries)."""

    email = models.EmailField(_("电子邮箱"), blank=True)  # emptied when the subscription is cancelled
    topic = models.CharField(_("订阅内容"), max_length=10, choices=Topic.choices)
    target = models.CharField(_("统一社会信用代码、机关代码或决定类别"), max_length=20)
    confirm_token = models.CharField(max_length=64, unique=True, editable=False)
    unsubscribe_token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    requested_at = models.DateTimeField(_("最近一次发送确认邮件的时间"))  # the confirmation link runs from here
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("退订时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "target", "confirmed_at"], name="subscription_followers")]
        constraints = [
            # One open subscription of an address to one thing: asking again resends the confirmation instead.
            models.UniqueConstraint(
                fields=["email", "topic", "target"],
                condition=models.Q(cancelled_at__isnull=True),
                name="subscription_open_once",
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True) & ~models.Q(email="")
                | models.Q(cancelled_at__isnull=False, email=""),
                name="subscription_address_until_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.target}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.cancelled_at is None


class SubscriptionNotice(models.Model):
    """One message to one subscriber: the confirmation request, or a decision published, corrected or withdrawn —
    the outbox the background worker sends from (publicity.notify), recording when it went or why not."""

    class Event(models.TextChoices):
        CONFIRM = "confirm", _("确认订阅")
        PUBLISHED = "published", _("公示")
        CORRECTED = "corrected", _("更正")
        WITHDRAWN = "withdrawn", _("撤回")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("事项"), max_length=10, choices=Event.choices)
    subject = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("订阅通知")
        verbose_name_plural = _("订阅通知")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="subscription_notice_outbox")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event="confirm", publication__isnull=True)
                | (~models.Q(event="confirm") & models.Q(publication__isnull=False)),
                name="subscription_notice_about_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
