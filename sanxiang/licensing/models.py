"""行政许可: the licence types an agency decides (with their materials, periods and rules, as data), the applications
made to it, the periods excluded from their clocks, and the licences granted.

The procedure of 《中华人民共和国行政许可法》 (2019) is the machine of an application (services.APPLICATION) and of
a licence (services.LICENCE); the clocks are computed in clocks.py from the rules of core (docs/domain.md §21).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Party
from sanxiang.documents.models import Document
from sanxiang.powers.models import Power

LAW = "《中华人民共和国行政许可法》"


class Category(models.TextChoices):
    """许可类别 as the 双公示 licence layout names them (docs/domain.md §15.2)."""

    ORDINARY = "普通", _("普通")
    FRANCHISE = "特许", _("特许")
    RECOGNITION = "认可", _("认可")
    APPROVAL = "核准", _("核准")
    REGISTRATION = "登记", _("登记")
    OTHER = "其他", _("其他")


UNIT_WORDS = {"working_days": _("个工作日"), "calendar_days": _("日")}


class HearingRule(models.TextChoices):
    """When a hearing applies (《行政许可法》第四十六条、第四十七条)."""

    NONE = "none", _("不适用听证")
    PUBLIC_INTEREST = "art46", _("涉及公共利益的，由行政机关决定听证（第四十六条）")
    INTERESTS = "art47", _("直接涉及申请人与他人之间重大利益关系的，告知听证权利（第四十七条）")


class LicenceTypeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def in_force(self):
        return self.filter(withdrawn_on__isnull=True)


class LicenceType(models.Model):
    """许可事项 — one kind of licence an agency decides, with everything its 办事指南 publishes."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licence_types", verbose_name=_("机关"))
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=120)
    power = models.ForeignKey(
        Power, on_delete=models.PROTECT, null=True, blank=True, related_name="licence_types", verbose_name=_("执法事项")
    )
    category = models.CharField(_("许可类别"), max_length=4, choices=Category.choices, default=Category.ORDINARY)
    basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("许可条件"), blank=True)
    certificate_name = models.CharField(_("许可证书名称"), max_length=80, blank=True)
    # The period to decide (第四十二条: 20 working days unless a law or regulation sets another) with its source.
    decision_days = models.PositiveSmallIntegerField(_("法定办理时限"), default=20)
    decision_unit = models.CharField(
        _("时限单位"),
        max_length=16,
        choices=[("working_days", _("工作日")), ("calendar_days", _("日"))],
        default="working_days",
    )
    decision_citation = models.CharField(_("办理时限依据"), max_length=300)
    promised_days = models.PositiveSmallIntegerField(_("承诺办理时限（工作日）"), null=True, blank=True)
    extendable = models.BooleanField(_("可延长十个工作日"), default=True)
    hearing = models.CharField(_("听证"), max_length=8, choices=HearingRule.choices, default=HearingRule.NONE)
    expert_review = models.BooleanField(_("需要专家评审、检验检测"), default=False)
    site_check = models.BooleanField(_("需要现场核查"), default=False)
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), null=True, blank=True)
    renewable = models.BooleanField(_("可以延续"), default=False)
    # 第五十条: 30 days before expiry unless a law, regulation or rule says otherwise; blank = the national rule.
    renewal_days_before = models.PositiveSmallIntegerField(_("延续申请提前天数"), null=True, blank=True)
    fee = models.CharField(_("收费"), max_length=120, default="不收费")
    window = models.CharField(_("办理地点"), max_length=200, blank=True)
    online = models.BooleanField(_("可网上申请"), default=True)
    withdrawn_on = models.DateField(_("停止办理日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = LicenceTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("许可事项")
        verbose_name_plural = _("许可事项")
        ordering = ["agency", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="licence_type_code_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_words(self) -> str:
        """The period's unit as a sentence says it: 个工作日 or 日."""
        return str(UNIT_WORDS[self.decision_unit])

    @property
    def period(self) -> str:
        """The period to decide in words, e.g. "20个工作日", "30日"."""
        return f"{self.decision_days}{self.unit_words}"


class Material(models.Model):
    """申请材料 — one item of a type's list, with the sample form the service window shows (申请材料示范文本)."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("材料编号"), max_length=10)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必须提交"), default=True)
    copies = models.CharField(_("份数和形式"), max_length=60, default="原件1份")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    sample = models.TextField(_("示范文本"), blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["licence_type", "code"]
        constraints = [models.UniqueConstraint(fields=["licence_type", "code"], name="material_code_once")]

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def open(self):
        return self.filter(status__in=Application.OPEN)


class Application(models.Model):
    """许可申请 — one application from receipt to its decision and service.

    The applicant's contact, address and ID number are personal data (PERSONAL_FIELDS): they never enter the ledger,
    the public progress page or an open-data file.
    """

    PERSONAL_FIELDS = ("applicant_id_number", "contact_name", "phone", "email", "applicant_address")

    class Kind(models.TextChoices):
        NEW = "new", _("新申请")
        CHANGE = "change", _("变更")
        RENEWAL = "renewal", _("延续")

    class Channel(models.TextChoices):
        WINDOW = "window", _("窗口")
        ONLINE = "online", _("网上")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收，待受理")
        SUPPLEMENT = "supplement", _("待补正材料")
        ACCEPTED = "accepted", _("已受理，审查中")
        PAUSED = "paused", _("听证、专家评审等，期限中止")
        GRANTED = "granted", _("准予许可")
        REFUSED = "refused", _("不予许可")
        REJECTED = "rejected", _("不予受理")
        WITHDRAWN = "withdrawn", _("申请人撤回申请")

    OPEN = (Status.RECEIVED, Status.SUPPLEMENT, Status.ACCEPTED, Status.PAUSED)
    DECIDED = (Status.GRANTED, Status.REFUSED)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licence_applications")
    licence_type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("申请类别"), max_length=8, choices=Kind.choices, default=Kind.NEW)
    licence = models.ForeignKey(
        "Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("原许可"),
    )
    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    channel = models.CharField(_("申请方式"), max_length=8, choices=Channel.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="licence_applications"
    )
    applicant_name = models.CharField(_("申请人"), max_length=120)
    applicant_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    applicant_id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    applicant_address = models.CharField(_("住所"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=40)
    email = models.EmailField(_("电子邮箱"), blank=True)
    project = models.CharField(_("项目名称"), max_length=200)
    request = models.TextField(_("申请事项"))
    materials = models.JSONField(_("已提交材料"), default=list)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField(_("接收材料日期"))
    accept_due_on = models.DateField(_("受理期限"))
    supplement_items = models.JSONField(_("需补正材料"), default=list)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("逾期未告知，视为受理"), default=False)
    decision_due_on = models.DateField(_("决定期限"), null=True, blank=True)
    due_provisional = models.BooleanField(default=False)
    paused_days = models.PositiveSmallIntegerField(_("扣除的期间"), default=0)
    extended = models.BooleanField(_("已延长"), default=False)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="licence_applications", verbose_name=_("审查人员")
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    deemed_granted = models.BooleanField(_("逾期未决定，视为准予延续"), default=False)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decision_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    service_due_on = models.DateField(_("送达期限"), null=True, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("许可申请")
        verbose_name_plural = _("许可申请")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-received_on", "-id"], name="application_window"),
            # the window's whole list, newest first, for a city and its branches: read in order, no sort of them all
            models.Index(fields=["-received_on", "-id"], name="application_received"),
            models.Index(fields=["status", "accept_due_on"], name="application_accept_due"),
            models.Index(fields=["status", "decision_due_on"], name="application_decision_due"),
            # decided and not yet served: the third kind of overdue the window's list looks for
            models.Index(
                fields=["service_due_on"], condition=models.Q(served_on__isnull=True), name="application_unserved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.licence_type.name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_organisation(self) -> bool:
        return bool(self.applicant_uscc)


class Pause(models.Model):
    """A period not counted in the decision period (第四十五条): a hearing, an expert review, a test — told to the
    applicant in writing when it begins, and ended by its result."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("听证")
        EXPERT = "expert", _("专家评审")
        TESTING = "testing", _("检验、检测、鉴定")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(_("事由"), max_length=8, choices=Kind.choices)
    started_on = models.DateField(_("开始日期"))
    expected_days = models.PositiveSmallIntegerField(_("预计所需时间（工作日）"))
    reason = models.TextField(_("说明"))
    notice = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # a hearing: the applicant's request within its period (第四十七条), and the hearing held within its own
    request_due_on = models.DateField(_("申请听证期限"), null=True, blank=True)
    requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_due_on = models.DateField(_("组织听证期限"), null=True, blank=True)
    held_on = models.DateField(_("举行听证日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    result = models.TextField(_("结果"), blank=True)
    days = models.PositiveSmallIntegerField(_("扣除的工作日"), default=0)

    class Meta:
        verbose_name = _("不计入期限的期间")
        verbose_name_plural = _("不计入期限的期间")
        ordering = ["application", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(ended_on__isnull=True), name="one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_kind_display()}"


class Examination(models.Model):
    """审查 — what the officers found: the materials checked, a site check by at least two officers (第三十四条),
    or the opinions of interested parties heard (第三十六条)."""

    class Kind(models.TextChoices):
        MATERIALS = "materials", _("材料审查")
        SITE = "site", _("现场核查")
        OPINIONS = "opinions", _("听取利害关系人意见")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="examinations")
    kind = models.CharField(_("审查方式"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("审查人员"))
    findings = models.TextField(_("审查情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审查记录")
        verbose_name_plural = _("审查记录")
        ordering = ["application", "held_on", "id"]


class LicenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Licence(models.Model):
    """行政许可 — a licence granted, from its decision to its end (撤回、撤销、注销 or expiry)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        EXPIRED = "expired", _("有效期届满")
        RECALLED = "recalled", _("已撤回")
        REVOKED = "revoked", _("已撤销")
        CANCELLED = "cancelled", _("已注销")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licences")
    licence_type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="licences")
    # The application the platform granted it on; none for a licence granted before the platform (存量许可), registered
    # with its original decision so that changes, renewals and its end run here.
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="granted_licence"
    )
    decision_number = models.CharField(_("许可决定文书号"), max_length=80, blank=True)
    decided_on = models.DateField(_("许可决定日期"), null=True, blank=True)
    number = models.CharField(_("许可编号"), max_length=40)
    holder_name = models.CharField(_("被许可人"), max_length=120)
    holder_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    content = models.TextField(_("许可内容"))
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.TextField(_("终止理由"), blank=True)
    end_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        ordering = ["-valid_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="licence_number_once")]
        indexes = [models.Index(fields=["status", "valid_to"], name="licence_expiry")]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"


class Notification(models.Model):
    """What the applicant was told, by which channel (短信 / 电子邮件), and whether it went: the outbox of notify.py."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notifications")
    event = models.CharField(_("事项"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=8)
    text = models.TextField(_("内容"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["application", "created_at", "id"]
