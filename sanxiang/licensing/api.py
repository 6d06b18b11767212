"""API v1 for 行政许可: for staff, the licence types in their scope, the window's list of applications, an application
received at the window, an application with its clocks, materials, pauses, examinations and documents, each step of
its Workflow, and the licences with theirs — under the same gates as the workbench (404 outside the caller's scope,
403 outside a step's roles, 409 for a stale version, 400 with the rule's article and code for a refused step).

For anyone: an agency's 办事指南, the progress of an application by its number (the facts of the portal's page, never
the applicant's name, contact or ID number) and an online application, rate-limited per address with the portal's
form (api.throttling.LicenceApplicationRateThrottle).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.documents.selectors import documents_for
from sanxiang.licensing import clocks, selectors, services
from sanxiang.licensing.actions import APPLICATION_WORKFLOW, LICENCE_WORKFLOW
from sanxiang.licensing.forms import ApplicationForm, ExamineForm
from sanxiang.licensing.models import Application, Licence, LicenceType


class MaterialOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField(help_text="是否必须提交")
    copies = serializers.CharField(help_text="份数和形式")
    note = serializers.CharField()
    sample = serializers.CharField(help_text="示范文本")


class LicenceTypeOut(serializers.Serializer):
    """A licence type as its 办事指南 publishes it."""

    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    code = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField(help_text="许可类别：普通、特许、认可、核准、登记、其他")
    basis = serializers.CharField(help_text="设定依据")
    conditions = serializers.CharField(help_text="许可条件")
    certificate_name = serializers.CharField()
    decision_days = serializers.IntegerField(help_text="法定办理时限")
    decision_unit = serializers.CharField(help_text="working_days（工作日）或 calendar_days（日）")
    decision_citation = serializers.CharField(help_text="办理时限的依据")
    promised_days = serializers.IntegerField(allow_null=True, help_text="承诺办理时限（工作日）")
    extendable = serializers.BooleanField(help_text="经负责人批准可延长十个工作日（《行政许可法》第四十二条）")
    hearing = serializers.CharField(help_text="none 不适用 / art46 第四十六条 / art47 第四十七条")
    expert_review = serializers.BooleanField()
    site_check = serializers.BooleanField()
    validity_years = serializers.IntegerField(allow_null=True, help_text="有效期（年），null 为长期")
    renewable = serializers.BooleanField()
    renewal_days_before = serializers.SerializerMethodField(
        help_text="延续申请应在有效期届满多少日前提出（《行政许可法》第五十条；本事项另有规定的按其规定），不可延续的为 null"
    )
    fee = serializers.CharField()
    window = serializers.CharField(help_text="办理地点")
    online = serializers.BooleanField(help_text="是否可网上申请")
    withdrawn_on = serializers.DateField(allow_null=True, help_text="停止办理日期")
    materials = MaterialOut(many=True)

    def get_renewal_days_before(self, licence_type) -> int | None:
        return clocks.renewal_days(licence_type, licence_type.agency) if licence_type.renewable else None


class TypesApi(Paged, APIView):
    """The licence types of the agencies in the caller's scope, with their materials (withdrawn ones too)."""

    @extend_schema(responses=LicenceTypeOut(many=True))
    def get(self, request):
        rows = selectors.types_for_user(request.user).prefetch_related("materials")
        return self.page(request, rows, LicenceTypeOut)


class ClocksOut(serializers.Serializer):
    """The periods of an application (《行政许可法》第三十二条、第四十二条、第四十四条、第四十五条、第五十条)."""

    received_on = serializers.DateField(help_text="接收材料日期")
    accept_due_on = serializers.DateField(help_text="受理期限（5个工作日）")
    accepted_on = serializers.DateField(allow_null=True)
    deemed_accepted = serializers.BooleanField(help_text="逾期未告知，视为受理（第三十二条）")
    decision_due_on = serializers.DateField(allow_null=True, help_text="决定期限")
    due_provisional = serializers.BooleanField(help_text="决定期限落在日历未确定的年份，暂定")
    paused_days = serializers.IntegerField(help_text="不计入期限的期间（第四十五条）")
    extended = serializers.BooleanField(help_text="已延长（第四十二条）")
    extension_reason = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    deemed_granted = serializers.BooleanField(help_text="逾期未决定，视为准予延续（第五十条）")
    service_due_on = serializers.DateField(allow_null=True, help_text="送达期限（第四十四条）")
    served_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)


class ApplicationRowOut(serializers.Serializer):
    """An application in the window's list."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="申请编号")
    agency = serializers.CharField(source="agency.code")
    licence_type = serializers.CharField(source="licence_type.code")
    licence_type_name = serializers.CharField(source="licence_type.name")
    kind = serializers.CharField(help_text="new 新申请 / change 变更 / renewal 延续")
    channel = serializers.CharField(help_text="window 窗口 / online 网上")
    applicant_name = serializers.CharField()
    project = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_on = serializers.DateField()
    accept_due_on = serializers.DateField()
    decision_due_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class PauseOut(serializers.Serializer):
    kind = serializers.CharField(help_text="hearing 听证 / expert 专家评审 / testing 检验、检测、鉴定")
    started_on = serializers.DateField()
    expected_days = serializers.IntegerField()
    reason = serializers.CharField()
    request_due_on = serializers.DateField(allow_null=True, help_text="申请听证期限")
    requested_on = serializers.DateField(allow_null=True)
    hearing_due_on = serializers.DateField(allow_null=True, help_text="组织听证期限")
    held_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    result = serializers.CharField()
    days = serializers.IntegerField(help_text="扣除的期间")


class ExaminationOut(serializers.Serializer):
    kind = serializers.CharField(help_text="materials 材料审查 / site 现场核查 / opinions 听取利害关系人意见")
    held_on = serializers.DateField()
    officers = serializers.SerializerMethodField()
    findings = serializers.CharField()
    recorded_by = serializers.IntegerField(source="recorded_by_id")

    def get_officers(self, examination) -> list[int]:
        return sorted(officer.pk for officer in examination.officers.all())


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    doc_type = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    issued_on = serializers.DateField()


class ApplicationOut(ApplicationRowOut):
    """An application as the window sees it: the applicant's contact (staff only), the clocks, the materials handed
    in and missing, what stands in the way of a decision, and the steps the caller may take now."""

    applicant_uscc = serializers.CharField()
    applicant_id_number = serializers.CharField()
    applicant_address = serializers.CharField()
    contact_name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    request = serializers.CharField()
    licence = serializers.CharField(source="licence.number", allow_null=True, help_text="变更、延续的原许可编号")
    granted_licence = serializers.SerializerMethodField(help_text="准予许可后的许可（编号）")
    clocks = ClocksOut(source="*")
    materials = serializers.ListField(child=serializers.CharField(), help_text="已提交材料的编号")
    missing = serializers.SerializerMethodField(help_text="尚未提交的必须材料的编号")
    supplement_items = serializers.ListField(child=serializers.CharField(), help_text="已一次告知补正的材料")
    pauses = PauseOut(many=True)
    examinations = ExaminationOut(many=True)
    documents = serializers.SerializerMethodField()
    decision_refusal = serializers.SerializerMethodField(help_text="不能作出决定的原因（可以决定或不在审查中时为空）")
    decision_reason = serializers.CharField()
    actions = serializers.SerializerMethodField()

    def get_granted_licence(self, application) -> int | None:
        return Licence.objects.filter(application=application).values_list("pk", flat=True).first()

    def get_missing(self, application) -> list[str]:
        return [material.code for material in services.missing_materials(application)]

    @extend_schema_field(DocumentOut(many=True))
    def get_documents(self, application) -> list[dict]:
        rows = documents_for(application)
        licence = Licence.objects.filter(application=application).first()
        if licence is not None:
            rows += documents_for(licence)
        return DocumentOut(sorted(rows, key=lambda document: document.pk), many=True).data

    def get_decision_refusal(self, application) -> str:
        if application.status != Application.Status.ACCEPTED:
            return ""
        return services.decision_refusal(application)

    def get_actions(self, application) -> list[str]:
        return [action.name for action in APPLICATION_WORKFLOW.offered(self.context["user"], application)]


class WindowFilter(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("open", _("办理中")), *Application.Status.choices], required=False, help_text="只列该状态的申请"
    )
    overdue = serializers.BooleanField(required=False, default=False, help_text="true：只列已过决定期限仍在审查的申请")
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text="申请编号（XK 开头）或申请人名称"
    )


class TypeChoiceForm(forms.Form):
    """The type an application received at the window is for: one in force in the caller's scope."""

    licence_type = forms.ModelChoiceField(
        label=_("许可事项"),
        queryset=LicenceType.objects.none(),
        error_messages={"required": _("请选择许可事项（编号）。"), "invalid_choice": _("没有这个可以办理的许可事项。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licence_type"].queryset = LicenceType.objects.visible_to(user).in_force()


SubmitBody = type(
    "LicensingSubmitBody",
    (schema_of(ApplicationForm),),
    {"licence_type": serializers.IntegerField(help_text="许可事项的编号（id）")},
)


class ApplicationsApi(Paged, APIView):
    """The window's list (许可申请台账) of the agencies in the caller's scope, newest first, filtered by status,
    overdue and a number or applicant (GET); an application received at the window by its staff (POST)."""

    pagination_class = NewestFirst

    @extend_schema(parameters=[WindowFilter], responses=ApplicationRowOut(many=True))
    def get(self, request):
        query = WindowFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.window_list(
            request.user,
            status=query.validated_data.get("status", ""),
            query=query.validated_data.get("q", "").strip(),
            overdue=query.validated_data["overdue"],
        )
        return self.page(request, rows, ApplicationRowOut)

    @extend_schema(request=SubmitBody, responses={201: ApplicationOut})
    def post(self, request):
        licence_type = validated(TypeChoiceForm(request.data, user=request.user))["licence_type"]
        form = ApplicationForm(request.data, licence_type=licence_type)
        validated(form)
        application = services.application_submit(
            actor=request.user,
            licence_type=licence_type,
            channel=Application.Channel.WINDOW,
            **form.service_arguments(),
        )
        return Response(_detail(request, application.pk), status=status.HTTP_201_CREATED)


def _detail(request, application_id: int) -> dict:
    application = selectors.application_get_for_user(user=request.user, application_id=application_id)
    return ApplicationOut(application, context={"user": request.user}).data


class ApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationOut)
    def get(self, request, application_id: int):
        return Response(_detail(request, application_id))


class LicenceOut(serializers.Serializer):
    """A licence granted, with the steps the caller may take now (撤回、撤销、注销)."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="许可编号")
    agency = serializers.CharField(source="agency.code")
    licence_type = serializers.CharField(source="licence_type.code")
    application = serializers.CharField(source="application.number", help_text="原申请编号")
    holder_name = serializers.CharField()
    holder_uscc = serializers.CharField()
    content = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True, help_text="有效期至，null 为长期")
    status = serializers.CharField(
        help_text="valid 有效 / expired 届满 / recalled 撤回 / revoked 撤销 / cancelled 注销"
    )
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()
    version = serializers.IntegerField()
    actions = serializers.SerializerMethodField()

    def get_actions(self, licence) -> list[str]:
        return [action.name for action in LICENCE_WORKFLOW.offered(self.context["user"], licence)]


class LicencesApi(Paged, APIView):
    """The licences of the agencies in the caller's scope, newest first."""

    pagination_class = NewestFirst

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Licence.Status.choices, required=False, help_text="只列该状态的许可")

    @extend_schema(parameters=[Filter], responses=LicenceOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = Licence.objects.visible_to(request.user).select_related("agency", "licence_type", "application")
        if query.validated_data.get("status"):
            rows = rows.filter(status=query.validated_data["status"])
        return self.page(request, rows, LicenceOut, context={"user": request.user})


class LicenceDetailApi(APIView):
    @extend_schema(responses=LicenceOut)
    def get(self, request, licence_id: int):
        licence = selectors.licence_get_for_user(user=request.user, licence_id=licence_id)
        return Response(LicenceOut(licence, context={"user": request.user}).data)


def action_patterns() -> list:
    """POST licensing/applications/{id}/{step} and licensing/licences/{id}/{recall|revoke|cancel}."""
    examine = type(
        "LicensingExamineBody",
        (schema_of(ExamineForm),),
        {"officers": serializers.ListField(child=serializers.IntegerField(), required=False, help_text="审查人员")},
    )
    return [
        *action_endpoints(
            workflow=APPLICATION_WORKFLOW,
            gate=selectors.application_get_for_user,
            key="application_id",
            detail=ApplicationOut,
            prefix="licensing/applications",
            name="licensing-application",
            operation="licensing_applications",
            bodies={"examine": examine},
        ),
        *action_endpoints(
            workflow=LICENCE_WORKFLOW,
            gate=selectors.licence_get_for_user,
            key="licence_id",
            detail=LicenceOut,
            prefix="licensing/licences",
            name="licensing-licence",
            operation="licensing_licences",
            # the three forms share one class name (licensing.forms._ground_form): a component each, by its step
            bodies={
                action.name: type(f"Licensing{action.name.title()}Body", (schema_of(action.form),), {})
                for action in LICENCE_WORKFLOW
            },
        ),
    ]
