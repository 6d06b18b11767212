"""Forms of inspection approvals: the request (行政检查审批表), the head's decision, the emergency's approval
afterwards, joining a 综合查一次, and beginning the inspection on the approval. The services check everything."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Role
from sanxiang.agencies.selectors import staff_for_user
from sanxiang.cases.forms import late_reason_field
from sanxiang.cases.selectors import parties_for_user
from sanxiang.core.forms import DateInput, DateTimeInput
from sanxiang.inspections.approval_models import ApprovalSource
from sanxiang.inspections.approval_selectors import items_for_approval, joint_candidates
from sanxiang.inspections.models import InspectionItem
from sanxiang.inspections.task_models import Task
from sanxiang.inspections.task_selectors import open_tasks

SOURCES = [(value, label) for value, label in ApprovalSource.choices if value != ApprovalSource.EMERGENCY]


def _items_field() -> forms.ModelMultipleChoiceField:
    """The items, by id; the form offers the agency's items in force (its __init__ sets them)."""
    return forms.ModelMultipleChoiceField(
        label=_("检查事项（已公布的检查事项清单）"),
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )


def _offer_items(form: forms.Form, agency, on) -> None:
    form.fields["items"].queryset = items_for_approval(agency, on)
    form.fields["items"].label_from_instance = lambda item: f"{item.code} {item.name}"


class RequestForm(forms.Form):
    party = forms.ModelChoiceField(label=_("检查对象"), queryset=None)
    source = forms.ChoiceField(label=_("任务来源"), choices=SOURCES)
    reason = forms.CharField(label=_("检查事由"), max_length=300)
    planned_from = forms.DateField(label=_("检查期间自"), widget=DateInput(), initial=timezone.localdate)
    planned_to = forms.DateField(label=_("检查期间至"), widget=DateInput(), initial=timezone.localdate)
    items = _items_field()
    officers = forms.ModelMultipleChoiceField(
        label=_("检查人员（至少两名持有效执法证）"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    task = forms.ModelChoiceField(
        label=_("检查任务"),
        queryset=Task.objects.none(),
        required=False,
        help_text=_("投诉举报、上级交办、监测线索来源的检查须选择其检查任务（不受年度检查频次上限限制）。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties_for_user(user)
        _offer_items(self, user.agency, timezone.localdate())
        self.fields["task"].queryset = open_tasks(user)
        self.fields["task"].label_from_instance = lambda task: f"{task.party.name}：{task.description[:40]}"
        self.fields["officers"].queryset = staff_for_user(user, role=Role.OFFICER)
        self.fields["officers"].label_from_instance = lambda staff: staff.full_name
        self.fields["officers"].initial = [user.pk]


class DecideForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)
    cap_reason = forms.CharField(
        label=_("超出年度检查频次上限的理由"),
        max_length=300,
        required=False,
        help_text=_("超出上限时必填，记入账本并报执法监督机构。"),
    )

    def __init__(self, *args, approval=None, **kwargs):
        super().__init__(*args, **kwargs)


class RatifyForm(forms.Form):
    items = _items_field()
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)

    def __init__(self, *args, approval, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_items(self, approval.agency, approval.planned_from)


class RefuseForm(forms.Form):
    note = forms.CharField(label=_("理由"), max_length=300)

    def __init__(self, *args, approval=None, **kwargs):
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=300)

    def __init__(self, *args, approval=None, **kwargs):
        super().__init__(*args, **kwargs)


class JoinForm(forms.Form):
    other = forms.ModelChoiceField(label=_("与之合并的检查"), queryset=None)

    def __init__(self, *args, approval, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = joint_candidates(approval)
        self.fields["other"].label_from_instance = lambda other: (
            f"{other.agency.name} {other.planned_from:%Y-%m-%d}至{other.planned_to:%Y-%m-%d}"
        )


class BeginForm(forms.Form):
    place = forms.CharField(label=_("检查地点"), max_length=200)
    started_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=DateTimeInput(),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    late_reason = late_reason_field()

    def __init__(self, *args, approval, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].initial = approval.party.address
