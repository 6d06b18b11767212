"""Forms of the licence types (许可事项) and their materials (申请材料目录); services.types checks everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.licensing.models import LicenceType, Material
from sanxiang.licensing.services.types import TYPE_FIELDS
from sanxiang.powers.forms import WithdrawForm

ROWS = {"rows": 3}


def _type_field(name: str, **kwargs):
    return LicenceType._meta.get_field(name).formfield(**kwargs)


class TypeForm(forms.Form):
    """A type as the 办事指南 publishes it; the agency and code only when it is new (applications name them)."""

    agency = forms.ModelChoiceField(label=_("实施机关"), queryset=None, empty_label=_("请选择机关"))
    code = _type_field("code")
    name = _type_field("name")
    power = forms.ModelChoiceField(
        label=_("执法事项"),
        queryset=None,
        required=False,
        empty_label=_("（不挂接）"),
        help_text=_("本机关执法事项库中的行政许可事项；列入重大执法决定法制审核目录的，决定前须经法制审核。"),
    )
    category = _type_field("category")
    basis = _type_field("basis", widget=forms.Textarea(attrs=ROWS))
    conditions = _type_field("conditions", widget=forms.Textarea(attrs=ROWS))
    certificate_name = _type_field("certificate_name")
    decision_days = _type_field("decision_days")
    decision_unit = _type_field("decision_unit")
    decision_citation = _type_field(
        "decision_citation", help_text=_("如《中华人民共和国行政许可法》第四十二条，或规定本事项期限的专门法律条文。")
    )
    promised_days = _type_field("promised_days")
    extendable = _type_field("extendable")
    hearing = _type_field("hearing")
    expert_review = _type_field("expert_review")
    site_check = _type_field("site_check")
    validity_years = _type_field("validity_years", help_text=_("不填为长期有效。"))
    renewable = _type_field("renewable")
    renewal_days_before = _type_field(
        "renewal_days_before", help_text=_("不填为《行政许可法》第五十条规定的有效期届满30日前。")
    )
    fee = _type_field("fee")
    window = _type_field("window")
    online = _type_field("online")

    def __init__(self, *args, powers, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power"].queryset = powers
        self.fields["power"].label_from_instance = lambda power: f"{power.code} {power.name}"
        if agencies is None:
            del self.fields["agency"], self.fields["code"]
        else:
            self.fields["agency"].queryset = agencies

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in TYPE_FIELDS}


def _material_field(name: str, **kwargs):
    return Material._meta.get_field(name).formfield(**kwargs)


class MaterialForm(forms.Form):
    """One line of the list; a line left blank is not a material."""

    code = _material_field("code")
    name = _material_field("name")
    required = _material_field("required")
    copies = _material_field("copies")
    note = _material_field("note")
    sample = _material_field("sample", widget=forms.Textarea(attrs={"rows": 2}))


MaterialFormSet = forms.formset_factory(MaterialForm, extra=2, can_delete=True)


def material_lines(formset) -> list[dict]:
    """The list the service replaces the type's with: every line filled in and not marked for deletion."""
    return [
        {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def material_initial(licence_type: LicenceType) -> list[dict]:
    return list(licence_type.materials.values("code", "name", "required", "copies", "note", "sample"))


class TypeWithdrawForm(WithdrawForm):
    reason = forms.CharField(
        label=_("停止办理的理由"),
        max_length=300,
        help_text=_("如“该事项已取消或下放”；记入执法全过程记录并公开。办理中的申请按原事项办结。"),
    )
