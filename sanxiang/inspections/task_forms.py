"""Input forms of 检查任务; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import User
from sanxiang.cases.models import Case, EmergencyGround
from sanxiang.core.forms import DateInput, DateTimeInput, version_field
from sanxiang.inspections.approval_models import Approval
from sanxiang.inspections.plan_models import Draw, Result
from sanxiang.inspections.selectors import inspectors
from sanxiang.inspections.task_models import Task

SOURCES = [(code, label) for code, label in Task.Source.choices if code != Task.Source.RANDOM]


class TaskForm(forms.Form):
    """Carries the version of the task the user saw, so that two people acting at once get a conflict. Every form of
    the task's workflow takes the task."""

    version = version_field(_("任务"))

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task


class TaskCreateForm(forms.Form):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    source = forms.ChoiceField(label=_("任务来源"), choices=SOURCES)
    description = forms.CharField(label=_("任务说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("完成期限"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("交办文号"), max_length=60, required=False, help_text=_("上级交办的任务必填。"))
    reporter_name = forms.CharField(
        label=_("举报人姓名"), max_length=50, required=False, help_text=_("仅信访举报任务；只有本机关负责人可以查看。")
    )
    reporter_contact = forms.CharField(label=_("举报人联系方式"), max_length=100, required=False)


class DispatchForm(TaskForm):
    officers = forms.ModelMultipleChoiceField(
        label=_("执法人员"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少两名，须持有今日有效的执法证。"),
    )
    due_on = forms.DateField(label=_("完成期限"), widget=DateInput())

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        if task is not None:  # the inspector directory of the task's agency: a valid certificate today
            holders = inspectors(task.agency, today=timezone.localdate()).values("holder")
            self.fields["officers"].queryset = User.objects.filter(pk__in=holders).order_by("full_name", "pk")
            self.fields["officers"].label_from_instance = lambda user: user.full_name or user.username


class StartForm(TaskForm):
    """The inspection begins on the approval of the task's enterprise (行政检查审批), or in an emergency on its
    ground, to be approved afterwards (inspections.emergencies.admit decides)."""

    approval = forms.ModelChoiceField(
        label=_("行政检查审批"),
        queryset=Approval.objects.none(),
        required=False,
        help_text=_("选择负责人已批准的本企业检查审批；紧急情况可不选，改选紧急事由。"),
    )
    emergency_ground = forms.ChoiceField(
        label=_("紧急事由"), choices=[("", "—"), *EmergencyGround.choices], required=False
    )
    emergency_note = forms.CharField(label=_("紧急情况说明"), max_length=300, required=False)
    place = forms.CharField(label=_("检查地点"), max_length=200, required=False, help_text=_("不填为企业住所。"))
    started_at = forms.DateTimeField(label=_("开始时间"), required=False, widget=DateTimeInput())
    late_reason = forms.CharField(label=_("补录理由"), max_length=300, required=False)

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        if task is not None:
            approved = Approval.objects.filter(agency=task.agency, party=task.party, status=Approval.Status.APPROVED)
            self.fields["approval"].queryset = approved.order_by("planned_from")
            self.fields["approval"].label_from_instance = lambda approval: (
                f"{approval.planned_from:%Y-%m-%d}至{approval.planned_to:%Y-%m-%d} {approval.reason}"
            )


class CloseForm(TaskForm):
    result = forms.ChoiceField(label=_("检查结果"), choices=Result.choices)
    note = forms.CharField(
        label=_("责令改正情况"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("责令改正的，写明改正内容和期限。"),
    )
    case = forms.ModelChoiceField(
        label=_("案件"),
        queryset=Case.objects.none(),
        required=False,
        help_text=_("立案查处的，选择由本次检查开启的案件。"),
    )

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        if task is not None and task.inspection_id is not None:
            self.fields["case"].queryset = Case.objects.filter(inspection_id=task.inspection_id).order_by("pk")
            self.fields["case"].label_from_instance = lambda case: case.number or case.title


class CancelForm(TaskForm):
    reason = forms.CharField(label=_("撤销理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class FromDrawForm(forms.Form):
    draw = forms.ModelChoiceField(label=_("双随机抽取"), queryset=Draw.objects.none())

    def __init__(self, *args, draws=None, **kwargs):
        super().__init__(*args, **kwargs)
        if draws is not None:
            self.fields["draw"].queryset = draws
        self.fields["draw"].label_from_instance = lambda draw: draw.plan.title
