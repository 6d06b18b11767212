"""Workbench pages for cases, parties and inspections (thin: parse, call one service, render)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.models import Role
from sanxiang.agencies.selectors import staff_for_user
from sanxiang.cases import deadlines, gates, hooks, selectors, services
from sanxiang.cases.actions import WORKFLOW, begin_require, begins
from sanxiang.cases.forms import CaseOpenForm, late_reason_field
from sanxiang.cases.models import EmergencyGround, Inspection, SignatureStatus, Stage
from sanxiang.cases.services.seizures import seizure_state
from sanxiang.core.actions import action_post
from sanxiang.core.forms import DateTimeInput, key_param, run_service
from sanxiang.documents.selectors import documents_for, is_act_officer
from sanxiang.ledger.vocabulary import roles_text


class CaseFilter(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("案号、案由或当事人"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("案由、当事人名称中的连续字词，或案号中的年份、序号（整段数字）。"),
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("阶段"), choices=[("", gettext_lazy("全部"))] + Stage.choices, required=False
    )


PAGE = 50


def case_list(request):
    """Newest first, 50 at a time; "earlier" pages continue below the last id (no count over all cases)."""
    filters = CaseFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    page = selectors.case_page(
        request.user,
        stage=data.get("stage", ""),
        text=data.get("q", ""),
        before=key_param(request.GET.get("before", "")),
        size=PAGE,
    )
    query = request.GET.copy()
    query["before"] = page.next_before or ""
    context = {
        "page": page.rows,
        "filters": filters,
        "more": page.next_before is not None,
        "next_query": query.urlencode(),
        "begins": begins(request.user),
    }
    template = "cases/_case_rows.html" if request.headers.get("HX-Request") else "cases/case_list.html"
    return render(request, template, context)


def case_open(request):
    begin_require(request.user, "case")
    parties = selectors.parties_for_user(request.user)
    inspections = selectors.inspections_for_user(request.user).filter(status=Inspection.Status.COMPLETED)
    initial = {}
    inspection_id = key_param(request.GET.get("inspection", ""))
    if request.method == "GET" and inspection_id is not None:
        inspection = selectors.inspection_get_for_user(user=request.user, inspection_id=inspection_id)
        initial = CaseOpenForm.initial_from(inspection)
    form = CaseOpenForm(request.POST or None, parties=parties, inspections=inspections, initial=initial)
    if request.method == "POST":
        case = run_service(
            form, lambda data: services.case_open(actor=request.user, agency=data["party"].agency, **data)
        )
        if case:
            messages.success(request, _("已登记案源。请在十五日内决定是否立案。"))
            return redirect("cases:case-detail", case.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("登记案源")})


def case_detail(request, case_id: int, *, bound: tuple[str, forms.Form] | None = None, status: int = 200):
    """The case with its clock, its legal review, the steps the user may take now, its documents and history."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    today = timezone.localdate()
    state = WORKFLOW.state(case)  # read once for the steps this user may take and those waiting for others
    context = {
        "case": case,
        "review_panel": hooks.review().panel(request.user, case),
        "panels": [panel for panel in hooks.case_panels(user=request.user, case=case) if panel],
        "actions": WORKFLOW.forms(
            request.user, case, initial={"version": case.version, "day": today}, bound=bound, state=state
        ),
        "steps": selectors.case_steps(case),
        "waiting": [
            (action.label, roles_text(action.roles)) for action in WORKFLOW.waiting_on_others(request.user, case, state)
        ],
        "due": deadlines.next_due(case, today=today),
        "documents": documents_for(case),
        "approvals": case.approvals.select_related("approver"),
        "investigators": case.investigators.all(),
        "preservations": case.preservations.all(),
        "late_records": case.late_records.select_related("recorded_by"),
        "challenges": case.challenges.all(),
        "derived": case.derived.all(),
        "closure_citation": gates.CLOSURE_CITATION,
        "transfers": case.transfers.select_related("from_agency", "to_agency"),
        "seizures": [(seizure, seizure_state(seizure)) for seizure in case.seizures.all()],
        "clock": deadlines.decision_clock(case, today=today) if not case.decided_on else None,
        "service": deadlines.service_words(case) if case.served_on else "",
        "party_reading": gates.amounts_as_organisation(case.party, case.agency)[1],
        "powers": selectors.case_powers(case),
        "today": today,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@require_POST
def case_action(request, case_id: int, action: str):
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return action_post(request, WORKFLOW, case, action, page=case_detail)


def _now():
    """The default of a time on site: this minute, as the officer's phone would say it."""
    return timezone.localtime().replace(second=0, microsecond=0)


class InspectionStartForm(forms.Form):
    party = forms.ModelChoiceField(label=gettext_lazy("检查对象"), queryset=None)
    place = forms.CharField(label=gettext_lazy("检查地点"), max_length=200)
    started_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=DateTimeInput(), initial=_now)
    officers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("执法人员（至少两名，须出示执法证）"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    emergency_ground = forms.ChoiceField(
        label=gettext_lazy("紧急事由"),
        choices=EmergencyGround.choices,
        help_text=gettext_lazy("本页用于紧急情况先行检查，事后补办审批；普通检查请在“检查审批”中从已批准的审批开始。"),
    )
    emergency_note = forms.CharField(label=gettext_lazy("紧急情况说明"), max_length=300)
    late_reason = late_reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = selectors.parties_for_user(user)
        self.fields["officers"].queryset = staff_for_user(user, role=Role.OFFICER)
        self.fields["officers"].label_from_instance = lambda staff: staff.full_name
        self.fields["officers"].initial = [user.pk]  # the officer recording it is on site; the second one is picked


class InspectionCompleteForm(forms.Form):
    ended_at = forms.DateTimeField(label=gettext_lazy("结束时间"), widget=DateTimeInput(), initial=_now)
    findings = forms.CharField(label=gettext_lazy("检查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    violation_found = forms.BooleanField(label=gettext_lazy("发现涉嫌违法行为"), required=False)
    signature = forms.ChoiceField(label=gettext_lazy("签名情况"), choices=SignatureStatus.choices)
    signature_note = forms.CharField(label=gettext_lazy("拒签或见证情况"), required=False)
    late_reason = late_reason_field()


def inspection_list(request):
    page = Paginator(selectors.inspections_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/inspection_list.html", {"page": page, "begins": begins(request.user)})


def inspection_start(request):
    begin_require(request.user, "inspection")
    form = InspectionStartForm(request.POST or None, user=request.user)
    if request.method == "POST":
        inspection = run_service(
            form, lambda data: services.inspection_start(actor=request.user, agency=data["party"].agency, **data)
        )
        if inspection:
            return redirect("cases:inspection-detail", inspection.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("紧急情况先行检查")})


def inspection_detail(request, inspection_id: int):
    inspection = selectors.inspection_get_for_user(user=request.user, inspection_id=inspection_id)
    form = InspectionCompleteForm(request.POST or None)
    if request.method == "POST":
        done = run_service(
            form, lambda data: services.inspection_complete(actor=request.user, inspection=inspection, **data)
        )
        if done:
            messages.success(request, _("检查已完成，现场检查笔录已生成。"))
            return redirect("cases:inspection-detail", inspection.pk)
    context = {
        "inspection": inspection,
        "form": form,
        "documents": documents_for(inspection),
        "officers": inspection.inspectionofficer_set.select_related("officer", "certificate"),
        "completes": is_act_officer(request.user, inspection.officers.all()),
        "begins": begins(request.user),
    }
    return render(request, "cases/inspection_detail.html", context)
