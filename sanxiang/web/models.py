from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """站内提醒 — a deadline coming up or passed, sent once to each person who has to act on it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=120)
    title = models.CharField(_("提醒"), max_length=300)
    url = models.CharField(max_length=300)
    due_on = models.DateField(_("期限"))
    overdue = models.BooleanField(_("已逾期"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("站内提醒")
        verbose_name_plural = _("站内提醒")
        ordering = ["read_at", "due_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notify_once")]
