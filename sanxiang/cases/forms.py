"""Input forms of the case actions; the workbench renders them and the API validates request bodies with them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency, Role, User
from sanxiang.cases import gates
from sanxiang.cases.discretion import factors_for
from sanxiang.cases.models import (
    CaseKind,
    Outcome,
    PenaltyKind,
    Preservation,
    Source,
    Suspension,
    Violation,
)
from sanxiang.cases.services import SERVICE_METHODS
from sanxiang.cases.services.derived import DERIVED_BASIS
from sanxiang.cases.services.notice import WAIVERS
from sanxiang.core.forms import DateInput, DateTimeInput
from sanxiang.core.rules import deadline, rule

DATE = DateInput()
DATETIME = DateTimeInput()
TEXT = forms.Textarea(attrs={"rows": 3})


class StaffChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class OneStaff(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ActionForm(forms.Form):
    """Every action form carries the case version the user saw, so a concurrent change is a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is User and staff is not None:
                role = getattr(field, "role", None)
                field.queryset = staff.with_role(role).distinct() if role else staff


def late_reason_field() -> forms.CharField:
    """An act with a date: a date before today is a 补录 and needs its reason (the services check it)."""
    return forms.CharField(label=_("补录理由（日期早于今天时必填）"), max_length=300, required=False)


def act_place_field() -> forms.CharField:
    return forms.CharField(label=_("违法行为发生地"), max_length=200)


def act_division_field() -> forms.RegexField:
    """The place's 行政区划代码, which decides the competent agency."""
    return forms.RegexField(
        label=_("发生地行政区划代码"),
        regex=r"^\d{6}$",
        help_text=_("6 位行政区划代码，如道里区 230102。管辖按违法行为发生地确定（《行政处罚法》第二十二条）。"),
        error_messages={"invalid": _("行政区划代码为 6 位数字。")},
    )


class ActPlaceForm(ActionForm):
    act_place = act_place_field()
    act_division = act_division_field()


class LateForm(ActionForm):
    late_reason = late_reason_field()


class FileForm(ActionForm):
    investigators = StaffChoice(
        label=_("承办人（至少两名持证执法人员）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    investigators.role = Role.OFFICER
    opinion = forms.CharField(label=_("审批意见"), max_length=500, initial=_("同意立案"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and case.inspection_id:  # the officers who found it on site, as proposed handlers
            self.fields["investigators"].initial = list(case.inspection.officers.values_list("pk", flat=True))


class TransferForm(ActionForm):
    to_agency = forms.ModelChoiceField(
        label=_("受移送机关（违法行为发生地的机关）"),
        queryset=Agency.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("请选择启用中的机关。")},
    )
    reason = forms.CharField(label=_("移送理由"), widget=TEXT)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=TEXT)


class PreserveForm(ActionForm):
    items = forms.CharField(label=_("登记保存物品清单"), widget=TEXT)
    approver = OneStaff(label=_("批准的负责人"), queryset=User.objects.none())
    approver.role = Role.HEAD


class PreservationDecisionForm(ActionForm):
    preservation = forms.ModelChoiceField(label=_("登记保存"), queryset=Preservation.objects.none())
    decision = forms.ChoiceField(label=_("处理决定"), choices=Preservation.Decision.choices)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            self.fields["preservation"].queryset = case.preservations.filter(decided_on__isnull=True)


class PenaltyFields(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    fine = forms.DecimalField(label=_("罚款（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    confiscation = forms.DecimalField(
        label=_("没收金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )


class SubmitForm(ActionForm, PenaltyFields):
    violation = forms.ModelChoiceField(label=_("违法行为"), queryset=Violation.objects.all(), required=False)
    facts = forms.CharField(label=_("违法事实"), widget=TEXT)
    evidence = forms.CharField(label=_("证据"), widget=TEXT)
    basis = forms.CharField(label=_("处罚依据"), widget=TEXT)
    departure_reason = forms.CharField(label=_("偏离裁量计算结果的理由"), widget=TEXT, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and not self.is_bound and case.kind != CaseKind.PENALTY:
            # A derived case proposes what its law fixes: the computed daily fine, its production measure or closure.
            if case.kind == CaseKind.DAILY_PENALTY:
                self.initial.update(kinds=[PenaltyKind.FINE], fine=case.daily_penalty.amount)
            elif case.kind == CaseKind.CLOSURE:
                self.initial.update(kinds=[gates.CLOSURE_KINDS[case.closure.kind]])
            else:
                self.initial.update(kinds=[gates.PRODUCTION_KINDS[case.production_measures.get().kind]])
            self.initial.update(facts=case.summary, basis=DERIVED_BASIS[case.kind])


class ReviewForm(ActionForm):
    opinion = forms.CharField(label=_("审查意见"), widget=TEXT)
    approve_case = forms.TypedChoiceField(
        label=_("结论"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("同意，移送告知")), ("no", _("退回补充调查"))],
    )


class DateForm(LateForm):
    day = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)


class WaiverForm(LateForm):
    day = forms.DateField(label=_("放弃日期"), widget=DATE, initial=timezone.localdate)
    scope = forms.ChoiceField(label=_("当事人明确放弃的权利"), choices=list(WAIVERS.items()), initial="all")


class StatementForm(LateForm):
    day = forms.DateField(label=_("收到日期"), widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(label=_("陈述申辩要点"), widget=TEXT)


class ScheduleHearingForm(LateForm):
    presiding = OneStaff(label=_("听证主持人（非本案调查人员）"), queryset=User.objects.none())
    hearing_at = forms.DateTimeField(label=_("听证时间"), widget=DATETIME)
    place = forms.CharField(label=_("听证地点"), max_length=200)
    notice_served_on = forms.DateField(label=_("听证通知送达日"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            # The reading of "举行听证的七日前", shown where the date is chosen.
            notice = rule("hearing.notice_workdays", case.agency)
            earliest = deadline("hearing.notice_workdays", timezone.localdate(), case.agency)
            self.fields["hearing_at"].help_text = _(
                "今天送达听证通知的，最早可于 %(date)s（含当日）举行听证：%(title)s（%(citation)s）。"
            ) % {"date": earliest.date, "title": notice.title, "citation": notice.citation}


class HearingForm(LateForm):
    day = forms.DateField(label=_("听证日期"), widget=DATE, initial=timezone.localdate)
    attended = forms.BooleanField(label=_("当事人到场"), required=False, initial=True)
    record = forms.CharField(label=_("听证笔录"), widget=TEXT)
    report = forms.CharField(label=_("听证报告（处理意见）"), widget=TEXT)


class OutcomeField(forms.Form):
    outcome = forms.ChoiceField(
        label=_("拟处理结果"), choices=[("", _("按处罚种类确定"))] + Outcome.choices, required=False
    )


class ReconsiderForm(ActionForm, PenaltyFields, OutcomeField):
    note = forms.CharField(label=_("复核意见"), widget=TEXT)


class CorrectForm(ActionForm, PenaltyFields, OutcomeField):
    facts = forms.CharField(label=_("违法事实"), widget=TEXT)
    evidence = forms.CharField(label=_("证据"), widget=TEXT)
    basis = forms.CharField(label=_("处罚依据"), widget=TEXT)
    departure_reason = forms.CharField(label=_("偏离裁量计算结果的理由"), widget=TEXT, required=False)
    note = forms.CharField(label=_("补正说明"), widget=TEXT)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and not self.is_bound:
            self.initial.update(
                facts=case.facts,
                evidence=case.evidence,
                basis=case.basis,
                kinds=case.decided_kinds,
                fine=case.decided_fine,
                confiscation=case.decided_confiscation,
                departure_reason=case.departure_reason,
                outcome=case.proposed_outcome,
            )


class DiscussForm(LateForm):
    day = forms.DateField(label=_("讨论日期"), widget=DATE, initial=timezone.localdate)
    participants = StaffChoice(label=_("参加人"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    opinions = forms.CharField(label=_("讨论意见"), widget=TEXT)
    conclusion = forms.CharField(label=_("结论"), widget=TEXT)
    extension_days = forms.IntegerField(
        label=_("决定再延长办案期限（日，可空）"), min_value=0, max_value=30, required=False
    )


class SuspendForm(LateForm):
    kind = forms.ChoiceField(label=_("中止事由"), choices=[c for c in Suspension.Kind.choices if c[0] != "hearing"])
    day = forms.DateField(label=_("中止日期"), widget=DATE, initial=timezone.localdate)


class DecideForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("处理结果"), choices=[choice for choice in Outcome.choices if choice[0] != Outcome.MEASURE]
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and case.kind == CaseKind.SEIZURE:
            # the head approves the seizure as proposed (or, after an emergency, as carried out)
            self.fields["outcome"] = forms.ChoiceField(
                label=_("处理结果"), choices=[(Outcome.MEASURE, Outcome.MEASURE.label)], initial=Outcome.MEASURE
            )
        elif case is not None and not self.is_bound:
            self.initial.setdefault("outcome", case.proposed_outcome)


class ServeForm(LateForm):
    day = forms.DateField(
        label=_("送达日期"),
        widget=DATE,
        help_text=_(
            "直接、留置、电子送达填送达当日；邮寄送达填回执上的收件日期；公告送达填发出公告的日期（经过三十日视为送达，由系统计算）。"
        ),
    )
    method = forms.ChoiceField(label=_("送达方式"), choices=list(SERVICE_METHODS.items()))
    consent_to_electronic = forms.BooleanField(label=_("当事人已签署电子送达确认书"), required=False)


class PaymentForm(LateForm):
    day = forms.DateField(label=_("缴纳日期"), widget=DATE, initial=timezone.localdate)
    amount = forms.DecimalField(label=_("缴纳金额（元）"), max_digits=14, decimal_places=2, min_value=0)


class DeferForm(ActionForm):
    until = forms.DateField(label=_("延期（分期）至"), widget=DATE)
    reason = forms.CharField(label=_("理由"), widget=TEXT)


class CloseForm(ActionForm):
    summary = forms.CharField(label=_("结案情况"), widget=TEXT)


class EmptyForm(ActionForm):
    pass


class CaseOpenForm(forms.Form):
    party = forms.ModelChoiceField(label=_("当事人"), queryset=None)
    title = forms.CharField(label=_("案由"), max_length=200)
    source = forms.ChoiceField(label=_("案件来源"), choices=Source.choices)
    violation = forms.ModelChoiceField(label=_("违法行为"), queryset=Violation.objects.all(), required=False)
    act_date = forms.DateField(label=_("违法行为发生日"), widget=DATE)
    act_place = act_place_field()
    act_division = act_division_field()
    discovered_on = forms.DateField(label=_("发现日期"), widget=DATE)
    summary = forms.CharField(label=_("案情简介"), widget=TEXT, required=False)
    act_continuing = forms.BooleanField(label=_("违法行为有连续或继续状态"), required=False)
    act_ended_on = forms.DateField(label=_("违法行为终了日"), widget=DATE, required=False)
    serious_harm = forms.BooleanField(label=_("涉及公民生命健康安全且有危害后果"), required=False)
    # the completed inspection the clue comes from (据此登记案源), which the case then names
    inspection = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, parties, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["inspection"].queryset = inspections

    @staticmethod
    def initial_from(inspection) -> dict:
        """What a clue found on an inspection carries over from it: the party, the place, the day, the findings."""
        day = timezone.localtime(inspection.ended_at or inspection.started_at).date()
        return {
            "inspection": inspection.pk,
            "party": inspection.party_id,
            "source": Source.INSPECTION,
            "act_date": day,
            "discovered_on": day,
            "act_place": inspection.place,
            "act_division": inspection.agency.code,  # the agency's own area, to be narrowed to the district
            "summary": inspection.findings,
            "title": _("现场检查发现的涉嫌环境违法行为"),
        }


class DiscretionForm(ActionForm):
    """One choice per discretion factor of the agency (built for the case's violation)."""

    violation = forms.ModelChoiceField(label=_("违法行为"), queryset=Violation.objects.all())
    base = forms.DecimalField(label=_("计算基数（按倍数罚款时）"), max_digits=16, decimal_places=2, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is None:
            return
        violation = case.violation or Violation.objects.first()
        self.fields["violation"].initial = violation
        for factor in factors_for(violation, case.agency):
            self.fields[f"factor_{factor.pk}"] = forms.TypedChoiceField(
                label=factor.name,
                coerce=int,
                initial=0,
                choices=[
                    (index, f"{level['label']}（{level['weight']}%）") for index, level in enumerate(factor.levels)
                ],
            )
