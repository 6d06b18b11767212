"""Input forms of 双随机 plans, results and recusals; the services check everything again."""

from __future__ import annotations

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Inspection, Tier
from sanxiang.cases.selectors import inspections_for_user
from sanxiang.core.forms import DateInput, version_field
from sanxiang.inspections.models import InspectionItem
from sanxiang.inspections.plan_models import Result
from sanxiang.inspections.plan_selectors import items_for_plan

SEPARATORS = re.compile(r"[\s,，、;；]+")


class VersionedForm(forms.Form):
    """Carries the version of the plan the user saw, so that two people acting at once get a conflict. Every form of
    the plan's workflow takes the plan's agency (the items it may name)."""

    version = version_field(_("计划"))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)


def _words(text: str) -> list[str]:
    return [word for word in SEPARATORS.split(text or "") if word]


def _percent(tier) -> forms.DecimalField:
    return forms.DecimalField(
        label=format_lazy("{}{}", tier, _("抽查比例（%）")),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
        help_text=_("不填则取所选检查事项对该类企业规定的最高抽查比例。"),
    )


class PlanFields(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    period_start = forms.DateField(label=_("抽查开始日期"), widget=DateInput())
    period_end = forms.DateField(label=_("抽查结束日期"), widget=DateInput())
    items = forms.ModelMultipleChoiceField(
        label=_("检查事项"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本机关已公布、纳入双随机抽查的检查事项。"),
    )
    divisions = forms.CharField(
        label=_("区划范围"),
        required=False,
        max_length=300,
        help_text=_("行政区划代码或其前缀，空格分隔，如“230102 230103”；不填为本机关及下级机关登记的全部企业。"),
    )
    industries = forms.CharField(
        label=_("行业范围"), required=False, max_length=600, help_text=_("行业名称，空格或顿号分隔；不填为全部行业。")
    )

    percent_key = _percent(Tier.KEY.label)
    percent_general = _percent(Tier.GENERAL.label)
    percent_positive = _percent(Tier.POSITIVE.label)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items_for_plan(agency) if agency is not None else InspectionItem.objects.none()

    def clean(self):
        data = super().clean()
        data["divisions"] = _words(data.get("divisions", ""))
        data["industries"] = _words(data.get("industries", ""))
        data["percents"] = {tier: data.pop(f"percent_{tier}", None) for tier in Tier.values}
        return data


def plan_fields(data: dict) -> dict:
    """The keyword arguments of plan_create and plan_update from a plan form's cleaned data."""
    names = ("title", "period_start", "period_end", "items", "divisions", "industries", "percents")
    return {name: data[name] for name in names}


class PlanForm(PlanFields):
    """A new plan."""


class PlanUpdateForm(PlanFields, VersionedForm):
    """A draft changed."""


class CloseForm(VersionedForm):
    note = forms.CharField(
        label=_("结束说明"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("尚有抽查对象未检查的，须写明原因。"),
    )


class ResultForm(forms.Form):
    """登记抽查结果: the completed inspection of the target, and what it found."""

    inspection = forms.ModelChoiceField(label=_("现场检查"), queryset=Inspection.objects.none())
    result = forms.ChoiceField(label=_("抽查结果"), choices=Result.choices)

    def __init__(self, *args, target=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if target is not None and user is not None:
            # Only inspections the user may see: another agency's is neither offered nor told apart from none.
            self.fields["inspection"].queryset = inspections_for_user(user).filter(
                party__uscc=target.uscc, status=Inspection.Status.COMPLETED, draw_target__isnull=True
            )


class DeclareForm(forms.Form):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, min_length=18)
    reason = forms.CharField(label=_("情况说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class KinshipForm(DeclareForm):
    officer = forms.ModelChoiceField(label=_("执法人员"), queryset=None)

    field_order = ["officer", "uscc", "reason"]

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
