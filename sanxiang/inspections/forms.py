"""Forms of the inspection items, their frequencies and the working rules; the services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Tier
from sanxiang.core.forms import DateInput
from sanxiang.inspections.models import InspectionItem, InspectionRules, Method
from sanxiang.powers.forms import CatalogueFilter


class ItemFilter(CatalogueFilter):
    q = forms.CharField(label=_("编码、名称或检查对象"), required=False)


def _field(name: str, **options):
    return InspectionItem._meta.get_field(name).formfield(**options)


class ItemForm(forms.Form):
    """An item as the list publishes it, under one of the 行政检查 powers in force of the agencies the user keeps
    (the item belongs to the power's agency); its code only when it is new."""

    code = _field("code")
    power = forms.ModelChoiceField(label=_("执法事项（行政检查）"), queryset=None)
    name = _field("name")
    basis = _field("basis", widget=forms.Textarea(attrs={"rows": 3}))
    subject = _field("subject")
    method = forms.ChoiceField(label=_("检查方式"), choices=Method.choices)
    random = forms.BooleanField(label=_("纳入双随机抽查"), required=False, initial=True)
    published_on = forms.DateField(label=_("公布日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, powers, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power"].queryset = powers.select_related("agency")
        self.fields["power"].label_from_instance = lambda power: f"{power.agency.name}：{power.code} {power.name}"
        if not new:
            del self.fields["code"]


class FrequencyForm(forms.Form):
    tier = forms.ChoiceField(label=_("分级分类"), choices=Tier.choices)
    draw_percent = forms.DecimalField(label=_("年度抽查比例（%）"), min_value=0, max_value=100, decimal_places=2)
    yearly_cap = forms.IntegerField(label=_("每年检查次数上限"), min_value=1)
    citation = forms.CharField(label=_("依据"), max_length=300, help_text=_("设定抽查比例和频次的文件及条款"))


class RulesForm(forms.ModelForm):
    adopted_on = forms.DateField(label=_("印发日期"), widget=DateInput())

    class Meta:
        model = InspectionRules
        fields = ["title", "document_number", "adopted_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}


class AgencyChoice(forms.Form):
    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, required=False, empty_label=None)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
