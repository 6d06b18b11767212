"""Input forms of the clue list and of the 第四十一条审核 steps; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import DateInput, version_field
from sanxiang.monitoring.models import Exceedance


class ClueFilter(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Exceedance.Status.choices], required=False)


class CheckForm(forms.Form):
    """Carries the version of the checklist the user saw (two people recording at once get a conflict)."""

    version = version_field(_("审核"))

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check


class ReviewRecordsForm(CheckForm):
    reviewed_on = forms.DateField(label=_("审核日期"), widget=DateInput())
    conform = forms.BooleanField(
        label=_("记录真实、清晰、完整、准确，符合要求"),
        required=False,
        help_text=_("不勾选即为经审核不符合要求：该数据不得作为行政处罚的证据（《行政处罚法》第四十一条第二款）。"),
    )
    opinion = forms.CharField(label=_("审核意见"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class TellPartyForm(CheckForm):
    told_on = forms.DateField(label=_("告知日期"), widget=DateInput())
    how = forms.CharField(label=_("告知方式"), max_length=100, help_text=_("如：短信告知并在门户提供数据查询"))


class ReissuePartyKeyForm(CheckForm):
    reason = forms.CharField(
        label=_("更换原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("原查询地址随即失效；请把新地址重新告知当事人。"),
    )


class InviteStatementForm(CheckForm):
    invited_on = forms.DateField(label=_("告知陈述申辩权利日期"), widget=DateInput())
