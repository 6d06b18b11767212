"""The filters of licensing's lists: the window's applications, the licences and the licence types."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.licensing import selectors
from sanxiang.licensing.models import Application, Licence
from sanxiang.powers.forms import CatalogueFilter

WINDOW_STATUSES = [
    ("", _("全部")),
    (selectors.OPEN, _("办理中")),
    (selectors.DECIDING_SOON, _("3个工作日内须作出决定")),
    (selectors.OVERDUE, _("已超期")),
    *Application.Status.choices,
]


class WindowFilter(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=WINDOW_STATUSES, required=False)
    q = forms.CharField(label=_("申请编号或申请人"), max_length=120, required=False)

    def query(self) -> dict:
        """selectors.window_list's arguments; a bad value filters by nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status", "")
        overdue = status == selectors.OVERDUE
        return {"status": "" if overdue else status, "overdue": overdue, "query": data.get("q", "").strip()}


class LicenceFilter(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Licence.Status.choices], required=False)
    q = forms.CharField(label=_("许可编号或被许可人"), max_length=120, required=False)

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"status": data.get("status", ""), "query": data.get("q", "").strip()}


class TypeFilter(CatalogueFilter):
    q = forms.CharField(label=_("事项编码或名称"), required=False)
