"""Forms of the powers catalogue; the services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import DateInput
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import IN_FORCE, WITHDRAWN


class PowerFilter(forms.Form):
    agency = forms.ModelChoiceField(label=_("实施机关"), queryset=None, required=False, empty_label=_("全部"))
    kind = forms.ChoiceField(label=_("事项类型"), choices=[("", _("全部")), *PowerKind.choices], required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[(IN_FORCE, _("现行")), (WITHDRAWN, _("已取消")), ("all", _("全部"))],
        required=False,
    )
    q = forms.CharField(label=_("编码、名称或依据"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class PowerForm(forms.Form):
    """A power as the catalogue lists it; the agency and code only when it is new (cases and entries name them)."""

    agency = forms.ModelChoiceField(label=_("实施机关"), queryset=None)
    code = Power._meta.get_field("code").formfield()
    kind = forms.ChoiceField(label=_("事项类型"), choices=PowerKind.choices)
    name = Power._meta.get_field("name").formfield()
    basis = Power._meta.get_field("basis").formfield(widget=forms.Textarea(attrs={"rows": 4}))
    unit = Power._meta.get_field("unit").formfield()
    published_on = forms.DateField(label=_("公布日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"], self.fields["code"]
        else:
            self.fields["agency"].queryset = agencies


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("取消理由"),
        max_length=300,
        help_text=_("如“所依据的条例已修订，该职权取消”；记入执法全过程记录并公开。"),
    )
