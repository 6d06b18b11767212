"""Forms of the regulated-entity directory (监管对象名录库): a party's record, its correction, the directory's search,
and the violations hung on a penalty power; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import PartyKind, Tier, Violation


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PartyKind.choices)
    name = forms.CharField(label=_("名称（姓名）"), max_length=120)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    id_number = forms.CharField(label=_("居民身份证号码"), max_length=18, required=False)
    legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=50, required=False)
    address = forms.CharField(label=_("住所（地址）"), max_length=200)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    industry = forms.CharField(label=_("行业"), max_length=60, required=False)
    key_polluter = forms.BooleanField(label=_("重点排污单位"), required=False)
    division = forms.CharField(
        label=_("所在区划代码"), max_length=6, required=False, help_text=_("县级行政区划代码，如 230102 道里区")
    )
    permit_number = forms.CharField(label=_("排污许可证编号"), max_length=40, required=False)
    tier = forms.ChoiceField(
        label=_("分级分类"), choices=Tier.choices, initial=Tier.GENERAL, help_text=_("双随机抽查的频次按此确定")
    )
    # Fields an API client written before the directory does not send: left out, the record keeps what it holds
    # (a new party: none, and 一般监管).
    DIRECTORY_FIELDS = ("division", "permit_number", "tier")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DIRECTORY_FIELDS:
            if self.is_bound and name not in self.data:
                del self.fields[name]


class PartyCorrectForm(PartyForm):
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=300,
        help_text=_("如“营业执照变更”“登记时录入错误”；记入执法全过程记录，请勿写入身份证号码、住址等个人信息。"),
    )


class DirectoryFilter(forms.Form):
    q = forms.CharField(
        label=_("名称、信用代码或许可证编号"),
        required=False,
        max_length=100,
        help_text=_("名称中的连续字词；信用代码和许可证编号须完整输入。列出最近登记的 200 个匹配。"),
    )
    agency = forms.ModelChoiceField(label=_("登记机关"), queryset=None, required=False, empty_label=_("全部"))
    division = forms.RegexField(
        label=_("区划代码"), regex=r"^\d{2,6}$", required=False, help_text=_("前几位即可：2301 哈尔滨市，230102 道里区")
    )
    tier = forms.ChoiceField(label=_("分级分类"), choices=[("", _("全部")), *Tier.choices], required=False)
    industry = forms.CharField(label=_("行业"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class PowerViolationsForm(forms.Form):
    violations = forms.ModelMultipleChoiceField(
        label=_("该事项处罚的违法行为"),
        queryset=Violation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
