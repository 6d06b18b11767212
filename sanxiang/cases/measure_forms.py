"""Input forms of the measures beside the procedure: 查封扣押, 复议/诉讼, 责令改正, and the decisions derived from a case
(按日连续处罚, 限产停产, 责令停业、关闭)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Role, User
from sanxiang.cases.forms import DATE, DATETIME, TEXT, ActionForm, LateForm, StaffChoice
from sanxiang.cases.models import Challenge, Closure, CorrectionOrder, ProductionMeasure, Seizure


class SeizeForm(LateForm):
    kind = forms.ChoiceField(label=_("措施"), choices=Seizure.Kind.choices)
    items = forms.CharField(label=_("设施、设备、物品清单"), widget=TEXT)
    place = forms.CharField(label=_("地点"), max_length=200)
    reasons = forms.CharField(label=_("理由（造成或者可能造成严重污染的事实）"), widget=TEXT)
    officers = StaffChoice(
        label=_("实施的执法人员（至少两名）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    officers.role = Role.OFFICER
    days = forms.IntegerField(label=_("期限（日）"), min_value=1, max_value=60, initial=30)
    emergency = forms.BooleanField(
        label=_("情况紧急，已当场实施（须在 24 小时内经法制审核并由负责人补办批准，否则解除）"), required=False
    )
    started_at = forms.DateTimeField(label=_("当场实施时间"), widget=DATETIME, required=False)


class SeizureForm(LateForm):
    seizure = forms.ModelChoiceField(label=_("查封、扣押"), queryset=Seizure.objects.none())
    reason = forms.CharField(label=_("理由"), widget=TEXT)
    days = forms.IntegerField(label=_("延长（日）"), min_value=1, max_value=60, required=False)
    day = forms.DateField(label=_("解除日期"), widget=DATE, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            self.fields["seizure"].queryset = case.seizures.filter(released_on__isnull=True)


class ChallengeForm(LateForm):
    kind = forms.ChoiceField(label=_("救济途径"), choices=Challenge.Kind.choices)
    body = forms.CharField(label=_("复议机关、人民法院"), max_length=100)
    reference = forms.CharField(label=_("案号"), max_length=80, required=False)
    day = forms.DateField(label=_("申请（起诉）日期"), widget=DATE)


class ChallengeOutcomeForm(LateForm):
    challenge = forms.ModelChoiceField(label=_("复议、诉讼"), queryset=Challenge.objects.none())
    day = forms.DateField(label=_("决定（判决）日期"), widget=DATE)
    outcome = forms.ChoiceField(label=_("结果"), choices=Challenge.Outcome.choices)
    note = forms.CharField(
        label=_("结果说明"),
        widget=TEXT,
        required=False,
        help_text=_(
            "变更、撤销、确认违法或无效的，公示的决定信息将自动撤回并公开说明理由（《行政处罚法》第四十八条）。"
        ),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            self.fields["challenge"].queryset = case.challenges.filter(decided_on__isnull=True)


class CorrectionForm(LateForm):
    content = forms.CharField(label=_("责令改正内容"), widget=TEXT)
    day = forms.DateField(label=_("送达日期"), widget=DATE)
    correct_by = forms.DateField(
        label=_("改正期限"), widget=DATE, help_text=_("改正的最后一日：当事人应于此日（含当日）前改正。")
    )


class DailyPenaltyForm(LateForm):
    order = forms.ModelChoiceField(label=_("责令改正决定"), queryset=CorrectionOrder.objects.none())
    day = forms.DateField(label=_("复查日期"), widget=DATE)
    investigators = StaffChoice(
        label=_("承办人（复查的两名持证执法人员）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    investigators.role = Role.OFFICER

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            self.fields["order"].queryset = case.correction_orders.all()


class ProductionForm(ActionForm):
    kind = forms.ChoiceField(label=_("措施"), choices=ProductionMeasure.Kind.choices)
    months = forms.IntegerField(label=_("限制生产期限（月）"), min_value=1, max_value=6, required=False)
    reason = forms.CharField(label=_("适用情形和事实"), widget=TEXT)
    investigators = StaffChoice(
        label=_("承办人（至少两名持证执法人员）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    investigators.role = Role.OFFICER


class ClosureForm(ActionForm):
    kind = forms.ChoiceField(label=_("措施"), choices=Closure.Kind.choices)
    ground = forms.ChoiceField(label=_("情节严重的情形"), choices=Closure.Ground.choices)
    reason = forms.CharField(label=_("事实"), widget=TEXT)
    investigators = StaffChoice(
        label=_("承办人（至少两名持证执法人员）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    investigators.role = Role.OFFICER


class GovernmentApprovalForm(LateForm):
    government = forms.CharField(label=_("批准机关（有批准权的人民政府）"), max_length=100)
    number = forms.CharField(label=_("批准文号"), max_length=60)
    day = forms.DateField(label=_("批准日期"), widget=DATE)
