"""Forms of the powers catalogue; the services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import DateInput
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import IN_FORCE, WITHDRAWN

ALL = "all"


class CatalogueFilter(forms.Form):
    """The filter of a catalogue's list (powers, inspection items): by agency, and by status — in force unless
    asked otherwise; each list adds the words `q` searches and its own `choices`, passed on as they are."""

    choices: tuple[str, ...] = ()

    agency = forms.ModelChoiceField(label=_("实施机关"), queryset=None, required=False, empty_label=_("全部"))
    status = forms.ChoiceField(
        label=_("状态"), choices=[(IN_FORCE, _("现行")), (WITHDRAWN, _("已取消")), (ALL, _("全部"))], required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def query(self) -> dict:
        """The list's selector arguments; a bad value filters by nothing but the default status (in force)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or IN_FORCE
        extra = {name: data.get(name, "") for name in self.choices}
        return {
            "agency": data.get("agency"),
            "status": "" if status == ALL else status,
            "search": data.get("q", ""),
        } | extra


class PowerFilter(CatalogueFilter):
    kind = forms.ChoiceField(label=_("事项类型"), choices=[("", _("全部")), *PowerKind.choices], required=False)
    q = forms.CharField(label=_("编码、名称或依据"), required=False)

    choices = ("kind",)
    field_order = ["agency", "kind", "status", "q"]


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
