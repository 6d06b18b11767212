"""Input forms of 行政执法监督: the desk's filters, a new notice, and the moves of a notice. The services check
everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.core.forms import DateInput, version_field
from sanxiang.supervision.flags import KINDS
from sanxiang.supervision.models import Notice
from sanxiang.supervision.selectors import supervised_agencies

TEXT = forms.Textarea(attrs={"rows": 5})


class AgencyFilter(forms.Form):
    """A filter by one of the agencies the user supervises, chosen by name (the value is its code)."""

    agency = forms.ChoiceField(label=_("机关"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = supervised_agencies(user).order_by("path").values_list("code", "name")
        self.fields["agency"].choices = [("", _("全部"))] + list(agencies)


class DeskFilter(AgencyFilter):
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部"))] + [(key, kind.label) for key, kind in KINDS.items()], required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class NoticeFilter(AgencyFilter):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Notice.Status.choices], required=False)
    kind = forms.ChoiceField(label=_("文书类别"), choices=[("", _("全部")), *Notice.Kind.choices], required=False)
    overdue = forms.BooleanField(label=_("只看逾期未报送的"), required=False)


class StatisticsFilter(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


def agency_filter(user, code: str):
    """An agency the user supervises, by its code (anything else is no filter)."""
    return supervised_agencies(user).filter(code=code).first() if code else None


class IssueForm(forms.Form):
    """下达监督文书 to an agency the user supervises; `records` are the desk's flags it is about ("kind:id")."""

    agency = forms.ModelChoiceField(label=_("被监督机关"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(label=_("文书类别"), choices=Notice.Kind.choices)
    subject = forms.CharField(label=_("事由"), max_length=200)
    findings = forms.CharField(label=_("发现的问题"), widget=TEXT, max_length=5000)
    requirement = forms.CharField(label=_("监督意见和整改要求"), widget=TEXT, max_length=5000)
    due_on = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=DateInput,
        help_text=_("不填写的，按规则自下达之日起计算默认期限。"),
    )
    records = forms.MultipleChoiceField(
        label=_("所涉记录"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("%(value)s 不是所选机关在监督台上的提示记录，不能列为所涉记录。")},
    )

    def __init__(self, *args, user, flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = supervised_agencies(user).order_by("path")
        self.flags = {f"{flag.kind}:{flag.record_id}": flag for flag in flags}
        self.fields["records"].choices = [
            (key, f"{KINDS[flag.kind].label}：{flag.agency_name} {flag.label}") for key, flag in self.flags.items()
        ]
        if not self.flags:  # nothing to offer, but a record named anyway is refused rather than dropped
            self.fields["records"].widget = forms.MultipleHiddenInput()
            self.initial.pop("records", None)

    def chosen_records(self) -> list[tuple[str, int, str]]:
        return [
            (self.flags[key].kind, self.flags[key].record_id, self.flags[key].label)
            for key in self.cleaned_data.get("records") or ()
        ]


class VersionedForm(forms.Form):
    """A move's form: the version of the notice the user saw (required), so that two people acting at once get a
    conflict rather than the second one's move taken on what the first one changed."""

    version = version_field(_("监督文书"))


class RespondForm(VersionedForm):
    response = forms.CharField(label=_("整改情况"), widget=TEXT, max_length=5000)
    evidence_note = forms.CharField(
        label=_("佐证材料说明"),
        max_length=500,
        required=False,
        help_text=_("如整改后的公示记录、文书编号、现场照片等及其存放位置。"),
    )


class ReturnForm(VersionedForm):
    reason = forms.CharField(label=_("退回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(VersionedForm):
    note = forms.CharField(label=_("办结说明"), max_length=500, required=False)
