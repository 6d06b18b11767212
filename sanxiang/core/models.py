from functools import cache

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabels:
    """Mixed into a model whose lists show many rows: get_FOO_display() from a dict of the field's choices made
    once. Django's own builds that dict again for every call and hashes each lazily translated label on the way,
    which translates every label of the field: a stage label cost a fifth of a millisecond, ten milliseconds on a
    list of fifty cases."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(value, value), strings_only=True)


class CalendarYear(models.Model):
    """A year of the national holiday schedule (全国年节及纪念日放假安排).

    Only a `confirmed` year is trusted: a deadline that reaches a draft or missing year is provisional.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("录入中")
        CONFIRMED = "confirmed", _("已确认")

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("来源"), max_length=200, help_text=_("如“国务院办公厅关于2027年部分节假日安排的通知”"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2200), name="calendar_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a statutory holiday (法定节假日) or an adjusted working day (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息日")
        WORKDAY = "workday", _("工作日")

    date = models.DateField(_("日期"), primary_key=True)
    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.PROTECT, related_name="days", verbose_name=_("年度")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60, blank=True, help_text=_("如“国庆节”“春节调休”"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class RuleUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("日")
    MONTHS = "months", _("个月")
    YEARS = "years", _("年")
    HOURS = "hours", _("小时")
    MINUTES = "minutes", _("分钟")
    YUAN = "yuan", _("元")
    PERCENT = "percent", _("%")
    COUNT = "count", _("人/次")
    READING = "reading", _("解释（1 是 / 0 否）")


class Rule(models.Model):
    """法定规则 — a deadline, threshold or limit with legal force, kept as data with its citation.

    The national default has an empty agency code; an agency (or a city for its counties) may set its own value,
    e.g. a local 较大数额 for hearings. The most specific value along the agency's hierarchy wins.
    """

    class Confidence(models.TextChoices):
        CHECKED = "C", _("已核对原文")
        SECONDARY = "C2", _("经二手资料核对")
        UNCONFIRMED = "U", _("未确认，需核实")

    key = models.CharField(_("规则"), max_length=60)
    agency_code = models.CharField(_("适用机关代码"), max_length=12, blank=True)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=16, choices=RuleUnit.choices)
    title = models.CharField(_("说明"), max_length=200)
    citation = models.CharField(_("依据"), max_length=300)
    confidence = models.CharField(_("可信度"), max_length=2, choices=Confidence.choices)
    # The range the law leaves an agency's own value (on the national row): a period the party is owed can be
    # lengthened but never shortened below `floor`; a limit on the agency never raised above `ceiling`.
    floor = models.DecimalField(_("法定下限"), max_digits=14, decimal_places=2, null=True, blank=True)
    ceiling = models.DecimalField(_("法定上限"), max_digits=14, decimal_places=2, null=True, blank=True)
    # A calendar-day, month or year period whose last day is a rest day ends on the next working day (domain.md §1),
    # unless the clock's reading (in its title and citation, on the national row) says it ends on its own last day.
    moves_off_rest_day = models.BooleanField(_("届满日遇休息日顺延"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("法定规则")
        verbose_name_plural = _("法定规则")
        ordering = ["key", "agency_code"]
        constraints = [models.UniqueConstraint(fields=["key", "agency_code"], name="rule_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.key}={self.value} {self.get_unit_display()} ({self.citation})"
