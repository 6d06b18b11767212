"""API v1 for inspection approvals (行政检查审批): the approvals in the caller's scope, a new request, each step of
the approval's Workflow (approve, refuse, ratify, unratify, join, begin), and the supervision view of caps — under
the same gates as the workbench (403 outside the step's roles, 404 outside the caller's scope, 400 with the rule)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.inspections import approval_selectors, approvals
from sanxiang.inspections.approval_actions import WORKFLOW
from sanxiang.inspections.approval_forms import RequestForm
from sanxiang.inspections.approvals import APPROVAL


class OverCapOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    tier = serializers.CharField()
    count = serializers.IntegerField(help_text="本年已计入的检查次数")
    cap = serializers.IntegerField(help_text="年度检查频次上限")
    citation = serializers.CharField()


class ApprovalRowOut(serializers.Serializer):
    """An approval in a list (its steps are on its own endpoint)."""

    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    party = serializers.IntegerField(source="party_id")
    source = serializers.CharField()
    reason = serializers.CharField()
    planned_from = serializers.DateField()
    planned_to = serializers.DateField()
    status = serializers.CharField()
    items = serializers.SerializerMethodField()
    officers = serializers.SerializerMethodField()
    exceeds_cap = serializers.BooleanField()
    over_cap = OverCapOut(many=True)
    cap_reason = serializers.CharField()
    ratify_due_on = serializers.DateField(allow_null=True)
    joint = serializers.IntegerField(source="joint_id", allow_null=True, help_text="综合查一次的编号")
    code = serializers.CharField(allow_null=True, help_text="扫码入企的检查码（批准后）")
    inspection = serializers.IntegerField(source="inspection_id", allow_null=True)
    task = serializers.IntegerField(source="task_id", allow_null=True, help_text="所依据的检查任务")
    version = serializers.IntegerField()

    def get_items(self, approval) -> list[str]:
        return [item.code for item in approval.items.all()]

    def get_officers(self, approval) -> list[int]:
        return [officer.pk for officer in approval.officers.all()]


class ApprovalOut(ApprovalRowOut):
    """An approval with the steps the caller may take now."""

    actions = serializers.SerializerMethodField()

    def get_actions(self, approval) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], approval)]


class ApprovalsApi(Paged, APIView):
    """The approvals in the caller's scope, newest first (GET, `status` filters); a request for the caller's own
    agency (POST, an officer or head): the enterprise, items and officers by id, source, reason and period."""

    pagination_class = NewestFirst

    @extend_schema(
        parameters=[OpenApiParameter("status", str, description="审批状态")], responses=ApprovalRowOut(many=True)
    )
    def get(self, request):
        rows = approval_selectors.approvals_for_user(request.user, status=request.query_params.get("status", ""))
        return self.page(request, rows.prefetch_related("items", "officers"), ApprovalRowOut)

    @extend_schema(request=schema_of(RequestForm), responses={201: ApprovalOut})
    def post(self, request):
        agency = request.user.agency
        if agency is None or not APPROVAL.permits(request.user, agency, "request"):
            raise PermissionDenied(APPROVAL.forbidden("request"))
        data = validated(RequestForm(request.data, user=request.user))
        approval = approvals.approval_request(actor=request.user, agency=agency, **data)
        return Response(ApprovalOut(approval, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class ApprovalDetailApi(APIView):
    @extend_schema(responses=ApprovalOut)
    def get(self, request, approval_id: int):
        approval = approval_selectors.approval_get_for_user(user=request.user, approval_id=approval_id)
        return Response(ApprovalOut(approval, context={"user": request.user}).data)


class TallyOut(serializers.Serializer):
    party = serializers.IntegerField(source="party_id")
    name = serializers.CharField(source="party.name")
    uscc = serializers.CharField(source="party.uscc")
    tier = serializers.CharField(source="party.tier")
    total = serializers.IntegerField(help_text="本年检查次数（各机关合计）")
    over_cap = serializers.IntegerField(help_text="超出年度上限的检查次数")
    agencies = serializers.DictField(child=serializers.IntegerField(), help_text="各机关的检查次数")


class SupervisionApi(APIView):
    """执法监督: the enterprises most inspected in a year in the caller's scope, those over a cap first (supervisors)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="年度，默认今年"),
            OpenApiParameter("over_cap", bool, description="只看超出上限的"),
        ],
        responses=TallyOut(many=True),
    )
    def get(self, request):
        if not approval_selectors.is_supervisor(request.user):
            raise PermissionDenied("只有执法监督人员可以查看检查频次监督情况。")
        year = request.query_params.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        over = request.query_params.get("over_cap", "") in ("1", "true")
        rows = approval_selectors.supervision_view(request.user, year=year, over_cap_only=over)
        return Response(TallyOut(rows, many=True).data)


def action_patterns() -> list:
    """POST approvals/{id}/{approve|refuse|ratify|unratify|join|begin}."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=approval_selectors.approval_get_for_user,
        key="approval_id",
        detail=ApprovalOut,
        prefix="approvals",
        name="approval",
        operation="approvals",
    )
