from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The second factor's rows, in their own module, are the app's models too.
from sanxiang.agencies.models.second_factor import OtpEnrolment, SecurityKey  # noqa: F401
from sanxiang.agencies.models.training import ExamResult, TrainingKind, TrainingRecord  # noqa: F401
from sanxiang.core.identifiers import validate_uscc


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


# What an agency's decisions name, entered by the agency itself (agency_set_decision_details).
DECISION_DETAILS = (
    "reconsideration_body",
    "court",
    "payment_bank",
    "payment_account_name",
    "payment_account_number",
    "payment_online",
)

# The level a parent must have, by the child's level.
PARENT_LEVEL = {AgencyLevel.CITY: AgencyLevel.PROVINCE, AgencyLevel.COUNTY: AgencyLevel.CITY}


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgencyQuerySet:
        """The user's own agency and every agency below it (the province sees all its cities and counties)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.agency_id is None:
            return self.none()
        return self.filter(path__startswith=user.agency.path)


class Agency(models.Model):
    """执法机关 — an environmental enforcement bureau: the province department, a city bureau or a county branch."""

    code = models.CharField(
        _("机关代码"), max_length=12, unique=True, help_text=_("所辖行政区划代码，如哈尔滨市为 230100")
    )
    name = models.CharField(_("名称"), max_length=100, unique=True)
    abbreviation = models.CharField(_("机关代字"), max_length=10, help_text=_("文书编号中的机关代字，如“哈环”"))
    level = models.CharField(_("层级"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级机关")
    )
    # Codes from the top down ("/230000/230100/"), so "this agency and everything below it" is one prefix match.
    path = models.CharField(max_length=255, unique=True, editable=False)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    website = models.URLField(_("网站"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # What every decision of the agency names (《行政处罚法》第五十九条、第六十七条; 《行政强制法》第二十四条): where
    # to apply for reconsideration, which court hears a suit, how a fine is paid (罚缴分离). Each agency enters its
    # own: a 派出机构 or a court under centralised jurisdiction is not what the level alone suggests (domain.md §17).
    reconsideration_body = models.CharField(
        _("行政复议机关"),
        max_length=100,
        blank=True,
        help_text=_(
            "一般为本机关的本级人民政府；市生态环境局按行政区划设立的分局，也可以由分局所在地的人民政府管辖"
            "（《行政复议法》（2023）第二十四条）。请按本机关的实际情况填写，可写两个机关，如“哈尔滨市人民政府或者"
            "哈尔滨市道里区人民政府”。"
        ),
    )
    court = models.CharField(
        _("行政诉讼管辖法院"),
        max_length=100,
        blank=True,
        help_text=_(
            "由最初作出行政行为的行政机关所在地人民法院管辖；高级人民法院确定跨行政区域集中管辖的，按其规定"
            "（《行政诉讼法》第十四条、第十八条）。"
        ),
    )
    payment_bank = models.CharField(_("罚款代收银行"), max_length=100, blank=True)
    payment_account_name = models.CharField(_("收款账户名称"), max_length=100, blank=True)
    payment_account_number = models.CharField(_("收款账号"), max_length=40, blank=True)
    payment_online = models.CharField(
        _("电子缴款方式"),
        max_length=300,
        blank=True,
        help_text=_(
            "如：通过非税收入电子缴款系统，凭《非税收入缴款通知书》上的缴款码缴纳。银行账户和电子缴款至少填一种。"
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法机关")
        verbose_name_plural = _("执法机关")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level=AgencyLevel.PROVINCE, parent__isnull=True))
                | (~models.Q(level=AgencyLevel.PROVINCE) & models.Q(parent__isnull=False)),
                name="agency_only_province_is_root",
            ),
            # A bank account is named whole or not at all: a decision may not send a fine to half an account.
            models.CheckConstraint(
                condition=models.Q(payment_bank="", payment_account_name="", payment_account_number="")
                | (
                    ~models.Q(payment_bank="")
                    & ~models.Q(payment_account_name="")
                    & ~models.Q(payment_account_number="")
                ),
                name="agency_payment_account_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lineage(self) -> list[str]:
        """The codes from this agency up to the province, nearest first (how local rules and catalogues inherit)."""
        return self.path.strip("/").split("/")[::-1]

    def is_within(self, other: Agency) -> bool:
        """True when this agency is `other` or lies below it."""
        return self.path.startswith(other.path)

    @property
    def payment_channel(self) -> str:
        """How a fine of this agency is paid, in the words of its decisions ("" when none is entered)."""
        ways = []
        if self.payment_bank:
            ways.append(
                _("缴至%(bank)s（户名：%(name)s；账号：%(number)s）")
                % {"bank": self.payment_bank, "name": self.payment_account_name, "number": self.payment_account_number}
            )
        if self.payment_online:
            ways.append(self.payment_online)
        return str(_("；或者")).join(str(way) for way in ways)


class ServiceWindow(models.Model):
    """政务服务窗口岗位信息 — what the seed requires each service window to display (§三(一)2(3))."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="service_windows", verbose_name=_("机关"))
    name = models.CharField(_("窗口名称"), max_length=100)
    location = models.CharField(_("地点"), max_length=200)
    opening_hours = models.CharField(_("办公时间"), max_length=200)
    posts = models.TextField(_("岗位及工作人员职责"))
    sample_forms = models.TextField(_("申请材料示范文本"), blank=True)
    progress_query = models.CharField(_("办理进度查询"), max_length=300)
    consultation = models.CharField(_("咨询服务"), max_length=300)
    complaint = models.CharField(_("投诉举报途径"), max_length=300)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        ordering = ["agency", "order", "id"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.name}"


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    REVIEWER = "reviewer", _("法制审核人员")
    HEAD = "head", _("负责人")
    PUBLICITY_CLERK = "publicity_clerk", _("公示管理员")
    ADMIN = "admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    SUPERVISOR = "supervisor", _("执法监督人员")


# 三员分立 (GB/T 22239-2019 8.1.4.2 d), 8.1.5): the system, security and audit administrators are three different
# people; an account holds at most one of these roles (the service refuses it, a partial unique index enforces it).
ADMINISTRATOR_ROLES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class ReviewPost(models.TextChoices):
    """Where a legal reviewer sits (黑环发〔2019〕112号 三(三)1: the legal unit, review posts, advisers, 公职律师)."""

    LEGAL_UNIT = "legal_unit", _("法制机构工作人员")
    REVIEW_POST = "review_post", _("法制审核岗位人员")
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    PUBLIC_LAWYER = "public_lawyer", _("公职律师")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        """Staff of the agencies `user` may see."""
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def with_role(self, role: str) -> UserQuerySet:
        return self.filter(role_assignments__role=role)


class StaffManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """工作人员 — a staff account of one agency, holding one or more roles."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("所属机关")
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    job_title = models.CharField(_("职务"), max_length=50, blank=True)
    has_legal_qualification = models.BooleanField(
        _("具有法律职业资格"), default=False, help_text=_("初次从事法制审核须取得（《行政处罚法》第五十八条）")
    )
    legal_qualification_number = models.CharField(_("法律职业资格证书编号"), max_length=40, blank=True)
    review_post = models.CharField(_("法制审核身份"), max_length=16, choices=ReviewPost.choices, blank=True)
    reviewing_since = models.DateField(
        _("开始从事法制审核的日期"),
        null=True,
        blank=True,
        help_text=_("2021年7月15日前已从事法制审核的，不属于初次从事"),
    )
    # API tokens issued before this moment stop working (a reset password revokes what it protected).
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when someone else chose the password (an administrator's reset, a new account): the next login leads
    # straight to the change page and nothing else is reachable until the holder picks their own.
    must_change_password = models.BooleanField(_("须修改密码"), default=False, editable=False)

    objects = StaffManager()

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["agency__path", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def password_change_reason(self, *, now: dt.datetime | None = None) -> str:
        """Why the holder must change their password before anything else: "reset" (someone else set it),
        "expired" (older than PASSWORD_MAX_AGE_DAYS), or "" when nothing is due."""
        if self.must_change_password:
            return "reset"
        days = settings.PASSWORD_MAX_AGE_DAYS
        if days:
            since = self.password_changed_at or self.date_joined
            if since + dt.timedelta(days=days) <= (now or timezone.now()):
                return "expired"
        return ""


class RoleAssignment(models.Model):
    """A role held by a staff member in their agency (执法人员, 法制审核人员, 负责人, 公示管理员, 系统管理员,
    安全管理员, 审计管理员)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user"),
            # 三员分立: one row at most among the three administrator roles, whatever writes the table.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role__in=ADMINISTRATOR_ROLES),
                name="one_administrator_role_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class EnforcementDomain(models.TextChoices):
    ECOLOGY = "ecology", _("生态环境保护综合执法")
    NUCLEAR = "nuclear", _("核与辐射安全监管")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销")
    EXPIRED = "expired", _("已过期")


def status_on(stored_status: str, expires_on: dt.date, day: dt.date) -> str:
    """The status a certificate has on `day`: a valid certificate past its expiry date reads as expired."""
    if stored_status == CertificateStatus.VALID and day > expires_on:
        return CertificateStatus.EXPIRED
    return stored_status


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user) -> CertificateQuerySet:
        """Certificates of the agencies `user` may see."""
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def valid_on(self, day: dt.date) -> CertificateQuerySet:
        return self.filter(status=CertificateStatus.VALID, issued_on__lte=day, expires_on__gte=day)


class Certificate(models.Model):
    """行政执法证 — the enforcement certificate an officer must hold and show (《行政处罚法》第四十二条、第五十五条)."""

    number = models.CharField(_("证件编号"), max_length=30, unique=True)
    holder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("持证人"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("发证时所属机关")
    )
    domain = models.CharField(_("执法领域"), max_length=20, choices=EnforcementDomain.choices)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    # Stored status is valid / suspended / revoked; "expired" is derived from expires_on so it is never stale.
    status = models.CharField(
        _("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_reason = models.CharField(_("状态变更原因"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        ordering = ["agency__path", "number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__gt=models.F("issued_on")), name="certificate_dates"),
            models.CheckConstraint(
                condition=models.Q(status__in=["valid", "suspended", "revoked"]), name="certificate_stored_status"
            ),
            # One live certificate per officer and domain: a renewal extends it, a re-issue follows a revocation.
            models.UniqueConstraint(
                fields=["holder", "domain"],
                condition=~models.Q(status="revoked"),
                name="one_live_certificate_per_domain",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: dt.date) -> str:
        return status_on(self.status, self.expires_on, day)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status == CertificateStatus.VALID and self.issued_on <= day <= self.expires_on
