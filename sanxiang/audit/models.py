"""The security audit log (安全审计日志): logins, tokens, downloads, exports and administrative changes.

Rows are only ever added (database triggers refuse UPDATE and DELETE, except the purge of rows past retention).
Unlike the ledger, which proves what happened to the records, this log answers who came in, from where, and what
they took away — 等保 GB/T 22239-2019 8.1.4.3 安全审计.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOCKOUT = "lockout", _("登录锁定")
    LOGOUT = "logout", _("退出登录")
    OTP_VERIFY = "otp_verify", _("二次验证")
    TOKEN_CREATE = "token_create", _("签发 API 令牌")
    TOKEN_REVOKE = "token_revoke", _("撤销 API 令牌")
    TOKEN_USE = "token_use", _("使用 API 令牌（每日首次）")
    DOCUMENT_DOWNLOAD = "document_download", _("下载文书")
    EVIDENCE_VIEW = "evidence_view", _("查看证据")
    EVIDENCE_DOWNLOAD = "evidence_download", _("下载证据")
    EVIDENCE_EXPORT = "evidence_export", _("导出证据")
    OPENDATA_EXPORT = "opendata_export", _("导出双公示开放数据")
    ARCHIVE_EXPORT = "archive_export", _("导出归档案卷")
    ADMIN_CHANGE = "admin_change", _("管理变更")
    AUDIT_EXPORT = "audit_export", _("导出审计日志")
    AUDIT_PURGE = "audit_purge", _("清理过期审计日志")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class Channel(models.TextChoices):
    WEB = "web", _("工作台")
    API = "api", _("API")
    CLI = "cli", _("命令行")
    SYSTEM = "system", _("系统")


class AuditEvent(models.Model):
    """安全审计事件 — one security-relevant event: when, what, whether it succeeded, who (the account and the user
    name as typed), in which agency, from which address and program, about which object."""

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices)
    outcome = models.CharField(_("结果"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS)
    channel = models.CharField(_("途径"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    # No database constraint: the log outlives the account, and a constraint's cascade would be an UPDATE/DELETE.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    agency_code = models.CharField(_("机关代码"), max_length=12, blank=True, db_index=True)
    remote_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("安全审计事件")
        verbose_name_plural = _("安全审计日志")
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "time"]), models.Index(fields=["username", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.kind} {self.outcome} {self.username}"
