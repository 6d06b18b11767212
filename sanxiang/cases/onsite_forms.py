"""Forms of 当场处罚 (the decision on the spot) and its 备案; the workbench renders them, the API validates with them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.forms import DATETIME, TEXT, StaffChoice, late_reason_field
from sanxiang.cases.models import OnSitePenalty


class OnSiteForm(forms.Form):
    party = forms.ModelChoiceField(label=_("当事人"), queryset=None)
    officers = StaffChoice(label=_("执法人员（至少两名）"), queryset=None, widget=forms.CheckboxSelectMultiple)
    decided_at = forms.DateTimeField(label=_("决定时间"), widget=DATETIME)
    place = forms.CharField(label=_("地点"), max_length=200)
    facts = forms.CharField(label=_("违法事实"), widget=TEXT)
    basis = forms.CharField(label=_("处罚依据"), max_length=300)
    kind = forms.ChoiceField(label=_("处罚种类"), choices=OnSitePenalty.Kind.choices)
    fine = forms.DecimalField(label=_("罚款（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    late_reason = late_reason_field()

    def __init__(self, *args, parties, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset, self.fields["officers"].queryset = parties, officers


class OnSiteFilingForm(forms.Form):
    late_reason = forms.CharField(label=_("逾期理由（超过报备案期限时必填）"), widget=TEXT, required=False)


class OnSiteAcknowledgeForm(forms.Form):
    sound = forms.TypedChoiceField(
        label=_("备案审查"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("无异议，予以备案")), ("no", _("有异议（写明问题和处理意见）"))],
    )
    opinion = forms.CharField(label=_("负责人意见"), widget=TEXT, required=False)
