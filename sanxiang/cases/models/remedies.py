"""行政复议 and 行政诉讼 against a decision of a case, with their outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models.case import Case


class Challenge(models.Model):
    """A 复议 or 诉讼 against the case's decision: who hears it, when it was brought and decided, and how.

    While it runs the 加处罚款 is not counted (《行政处罚法》第七十三条第三款); the decision is still carried out
    (《行政复议法》第四十二条, 《行政诉讼法》第五十六条). An outcome that changes, revokes, or finds the decision
    unlawful or void withdraws its publication within three working days (《行政处罚法》第四十八条第二款).
    """

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION = "litigation", _("行政诉讼")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("维持（驳回复议申请、驳回诉讼请求）")
        ALTERED = "altered", _("变更")
        REVOKED = "revoked", _("撤销")
        UNLAWFUL = "unlawful", _("确认违法")
        VOID = "void", _("确认无效")
        WITHDRAWN = "withdrawn", _("申请人撤回、终止")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="challenges")
    kind = models.CharField(_("救济途径"), max_length=16, choices=Kind.choices)
    body = models.CharField(_("复议机关、人民法院"), max_length=100)
    reference = models.CharField(_("案号"), max_length=80, blank=True)
    filed_on = models.DateField(_("申请（起诉）日"))
    decided_on = models.DateField(_("决定（判决）日"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(_("结果说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True) | models.Q(decided_on__gte=models.F("filed_on")),
                name="challenge_decided_after_filed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.body}"


# Outcomes after which the published decision must be withdrawn (《行政处罚法》第四十八条第二款: 变更、撤销、
# 确认违法或者确认无效).
WITHDRAWING_OUTCOMES = {
    Challenge.Outcome.ALTERED,
    Challenge.Outcome.REVOKED,
    Challenge.Outcome.UNLAWFUL,
    Challenge.Outcome.VOID,
}
# Outcomes after which nothing of the decision is left to carry out.
ANNULLING_OUTCOMES = {Challenge.Outcome.REVOKED, Challenge.Outcome.VOID}
