from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What a token may do, on top of what its holder's roles allow."""

    READ = "read", _("只读")
    WRITE = "write", _("读写")
    # The credit and ministry platforms that take the open data (双公示): they read it and nothing else.
    PARTNER = "partner", _("对接平台")


class ApiToken(models.Model):
    """API 令牌 — a bearer token for a mobile device or a partner system. Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100, help_text=_("如“执法记录仪同步”“信用平台对接”"))
    prefix = models.CharField(_("前缀"), max_length=12, help_text=_("令牌前几位，便于辨认"))
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("范围"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=TokenScope.values), name="token_scope_known")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
