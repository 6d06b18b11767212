"""The enterprise's forms of 扫码入企 (the portal's page and API v1 read the same ones): a rating, a complaint, each
with the 统一社会信用代码 that proves the writer is the inspected enterprise; and the supervisors' filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.inspections.feedback_models import ComplaintCategory
from sanxiang.inspections.feedback_selectors import supervised_agencies

STARS = [(n, "★" * n) for n in range(5, 0, -1)]


class _Enterprise(forms.Form):
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=18, help_text=_("被检查企业的统一社会信用代码，用于核实身份，不会公开")
    )


class RatingForm(_Enterprise):
    stars = forms.TypedChoiceField(label=_("评分"), choices=STARS, coerce=int, help_text=_("1 至 5 星"))
    comment = forms.CharField(label=_("评价意见"), max_length=500, required=False, widget=forms.Textarea)


class ComplaintForm(_Enterprise):
    category = forms.ChoiceField(label=_("投诉类别"), choices=ComplaintCategory.choices)
    text = forms.CharField(label=_("投诉内容"), max_length=1000, widget=forms.Textarea)
    contact = forms.CharField(label=_("联系方式（选填）"), max_length=100, required=False)


class SupervisionFilter(forms.Form):
    agency = forms.CharField(label=_("机关代码"), max_length=12, required=False)
    stars = forms.TypedChoiceField(label=_("评分"), choices=[("", _("全部"))] + STARS, coerce=int, required=False)
    category = forms.ChoiceField(
        label=_("投诉类别"), choices=[("", _("全部")), *ComplaintCategory.choices], required=False
    )


def supervision_filters(user, params) -> dict:
    """The filters of the supervision page and API, read from the query (an agency by its code, among those the
    user supervises; anything else is no filter)."""
    form = SupervisionFilter(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    code = data.get("agency") or ""
    agency = supervised_agencies(user).filter(code=code).first() if code else None
    return {"form": form, "agency": agency, "stars": data.get("stars") or None, "category": data.get("category", "")}
