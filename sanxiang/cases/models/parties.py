from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.core.identifiers import validate_resident_id, validate_uscc
from sanxiang.core.models import ChoiceLabels


class PartyKind(models.TextChoices):
    LEGAL_PERSON = "legal_person", _("法人")
    OTHER_ORGANISATION = "other_organisation", _("其他组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    NATURAL_PERSON = "natural_person", _("自然人")


class Tier(models.TextChoices):
    """分级分类 — the supervision tier of an enterprise, which sets how often it may be drawn and inspected
    (docs/domain.md §13): key units more often, the 正面清单 (positive list) mostly off-site."""

    KEY = "key", _("重点监管")
    GENERAL = "general", _("一般监管")
    POSITIVE = "positive", _("正面清单")


ORGANISATIONS = {PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANISATION, PartyKind.INDIVIDUAL_BUSINESS}


class PartyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency__in=Agency.objects.visible_to(user))


class Party(ChoiceLabels, models.Model):
    """当事人（监管对象）— an enterprise or person the agency supervises.

    ID numbers, addresses, phone numbers and legal representatives' names are personal data (PERSONAL_FIELDS):
    they never enter the ledger, which records only a digest of the whole record.
    """

    PERSONAL_FIELDS = ("id_number", "legal_representative", "address", "phone")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="parties", verbose_name=_("登记机关"))
    kind = models.CharField(_("类别"), max_length=24, choices=PartyKind.choices)
    name = models.CharField(_("名称（姓名）"), max_length=120)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    id_number = models.CharField(_("居民身份证号码"), max_length=18, blank=True, validators=[validate_resident_id])
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    address = models.CharField(_("住所（地址）"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    key_polluter = models.BooleanField(_("重点排污单位"), default=False)
    division = models.CharField(
        _("所在区划代码"), max_length=6, blank=True, help_text=_("县级行政区划代码（GB/T 2260），如 230102 道里区")
    )
    permit_number = models.CharField(_("排污许可证编号"), max_length=40, blank=True)
    tier = models.CharField(_("分级分类"), max_length=10, choices=Tier.choices, default=Tier.GENERAL)
    is_minor = models.BooleanField(_("未成年人"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["name"]
        indexes = [models.Index(fields=["agency", "name"], name="party_agency_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind in ORGANISATIONS

    @property
    def code(self) -> str:
        return self.uscc if self.is_organisation else self.id_number

    def clean(self):
        if self.is_organisation and not self.uscc:
            raise ValidationError({"uscc": _("法人、其他组织和个体工商户须填写统一社会信用代码。")})
        if not self.is_organisation and self.uscc:
            raise ValidationError({"uscc": _("自然人不填写统一社会信用代码。")})
