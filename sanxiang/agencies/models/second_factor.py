"""The second factor of staff logins: the administrator's leave to bind an authenticator app (TOTP, django-otp's
own device), and the security keys (WebAuthn) an account adds itself once signed in with both factors."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin


class OtpEnrolment(models.Model):
    """动态验证码绑定 — an administrator's leave for one account to bind its authenticator app, once and soon.

    Without one, an account that has no confirmed device cannot log in at all: knowing a password never lets anyone
    choose the second factor themselves. The seed lives on the django-otp device (`device`), never here or in the
    ledger."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="otp_enrolments", verbose_name=_("账号")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
    )
    reason = models.CharField(_("原因"), max_length=200)
    issued_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    device = models.ForeignKey(
        "otp_totp.TOTPDevice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("完成绑定时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("动态验证码绑定")
        verbose_name_plural = _("动态验证码绑定")
        ordering = ["-issued_at"]
        constraints = [
            # One open enrolment per account: issuing a new one closes the one before.
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(completed_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_otp_enrolment",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True) | models.Q(cancelled_at__isnull=True),
                name="otp_enrolment_closed_once",
            ),
        ]

    def is_open_at(self, moment: dt.datetime) -> bool:
        return self.completed_at is None and self.cancelled_at is None and moment < self.expires_at


class SecurityKey(TimestampMixin, Device):
    """安全密钥 — a WebAuthn credential (a USB/NFC security key, or a passkey kept by the phone or computer) that
    passes the second step of a login instead of a TOTP code.

    A django-otp device, so the session it verifies is `is_verified()` like one verified by a code, and removing
    the key ends that verification. Only the public key is kept; the private key never leaves the authenticator."""

    # base64url, as browsers name credentials; unique: a credential belongs to one account only.
    credential_id = models.CharField(_("凭据编号"), max_length=1400, unique=True)
    public_key = models.BinaryField(_("公钥"))
    # The authenticator's own use counter: an answer that does not move it forward may come from a cloned key.
    sign_count = models.PositiveBigIntegerField(_("签名计数"), default=0)
    transports = models.JSONField(_("连接方式"), default=list, blank=True)

    class Meta:
        verbose_name = _("安全密钥")
        verbose_name_plural = _("安全密钥")
        ordering = ["created_at", "pk"]

    def verify_token(self, token) -> bool:
        # A key answers a signed challenge (agencies.services.security_keys), never a typed code.
        return False
