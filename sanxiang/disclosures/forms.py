"""Input forms of the pre-disclosure (事前公开) moves; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import version_field
from sanxiang.disclosures.models import Disclosure

BODY = forms.Textarea(attrs={"rows": 14})


class VersionedForm(forms.Form):
    """Carries the version of the item the user saw, so that two people acting at once get a conflict."""

    version = version_field(_("事项"))


class NewItemForm(forms.Form):
    category = forms.ChoiceField(label=_("公开类别"), choices=Disclosure.Category.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("内容"), widget=BODY, help_text=_("纯文本；空行分段；网址前后留空格即自动成为链接。")
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0, required=False)


class CollectForm(VersionedForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=BODY)
    note = forms.CharField(
        label=_("修改说明"), max_length=300, required=False, help_text=_("已发布过的事项必填，随新版本一并公开。")
    )


class WithdrawForm(VersionedForm):
    reason = forms.CharField(label=_("撤下原因"), max_length=300, help_text=_("仅工作人员可见。"))
