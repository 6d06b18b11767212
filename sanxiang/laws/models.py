import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.core.models import Rule
from sanxiang.laws.citations import STATE_PREFIX
from sanxiang.laws.numerals import article_label


class InstrumentKind(models.TextChoices):
    LAW = "law", _("法律")
    ADMINISTRATIVE_REGULATION = "administrative_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    DEPARTMENT_RULE = "department_rule", _("部门规章")
    LOCAL_RULE = "local_rule", _("地方政府规章")
    NORMATIVE_DOCUMENT = "normative_document", _("规范性文件")


class InForce(models.TextChoices):
    """Where a version stands on a given day."""

    IN_FORCE = "in_force", _("现行有效")
    REPEALED = "repealed", _("已失效")
    NOT_YET = "not_yet", _("尚未施行")


class Instrument(models.Model):
    """法律法规 — one version of a law, regulation, rule or normative document, with the days it is in force.

    Each revision is its own row (行政处罚法 1996, 2009, 2017 and 2021 share the short name 行政处罚法): a citation
    is read against the version in force on the day of the act it is about.
    """

    kind = models.CharField(_("类别"), max_length=32, choices=InstrumentKind.choices)
    title = models.CharField(_("标题"), max_length=200, help_text=_("不含书名号，如“中华人民共和国行政处罚法”"))
    short_names = models.CharField(
        _("简称"), max_length=300, blank=True, help_text=_("引用时使用的名称，以分号（；）分隔，如“行政处罚法；处罚法”")
    )
    issuer = models.CharField(_("制定机关"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("如“生态环境部令第30号”"))
    version_label = models.CharField(_("版本"), max_length=40, help_text=_("如“2021年修订”"))
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("最后有效的一日；现行有效的留空"))
    source_name = models.CharField(_("官方来源"), max_length=100)
    source_url = models.URLField(_("官方来源网址"))
    confidence = models.CharField(_("可信度"), max_length=2, choices=Rule.Confidence.choices)
    note = models.TextField(_("说明"), blank=True, help_text=_("日期、文号的核对出处和未确认之处"))

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["title", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["title", "version_label"], name="instrument_version_once"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="instrument_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》（{self.version_label}）"

    @property
    def names(self) -> list[str]:
        """Every name a citation may use for it: the title, the title without 中华人民共和国, its short names."""
        names = [self.title, self.title.removeprefix(STATE_PREFIX)]
        names += [name.strip() for name in self.short_names.split("；") if name.strip()]
        return list(dict.fromkeys(names))

    def status_on(self, day: dt.date) -> str:
        if day < self.effective_from:
            return InForce.NOT_YET
        if self.effective_to is not None and day > self.effective_to:
            return InForce.REPEALED
        return InForce.IN_FORCE


class Article(models.Model):
    """法条 — one article of one version: a paraphrase written here (never the statute's words), and the official
    text when an agency has imported it from the national database's download, with where it came from."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="articles", verbose_name=_("法律法规")
    )
    number = models.PositiveSmallIntegerField(_("条"))
    paraphrase = models.TextField(_("要旨"), blank=True, help_text=_("本平台撰写的内容提要，不是法条原文"))
    official_text = models.TextField(_("官方文本"), blank=True)
    text_source = models.CharField(_("官方文本来源文件"), max_length=200, blank=True)
    text_sha256 = models.CharField(_("来源文件 SHA-256"), max_length=64, blank=True)
    text_imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="article_once_per_instrument"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="article_number_positive"),
        ]

    def __str__(self) -> str:
        return f"《{self.instrument.title}》{self.label}"

    @property
    def label(self) -> str:
        return article_label(self.number)
