"""API v1 for 行政执法监督: the notices the caller reads (a supervisor's to the agencies below, a head's addressed to
their agency), one notice, a new notice (下达), and each move of the notice's Workflow — acknowledge, respond,
accept, return, close — under the same gates as the workbench (404 outside the caller's scope, 403 outside the
roles or agencies the move allows, 400 with a code for a refused move, 409 for a stale version); the desk's counts
and the statistics for supervisors."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.supervision import selectors, services
from sanxiang.supervision.actions import WORKFLOW
from sanxiang.supervision.forms import IssueForm, agency_filter
from sanxiang.supervision.models import Notice


class NoticeRecordOut(serializers.Serializer):
    kind = serializers.CharField()
    record_id = serializers.IntegerField()
    label = serializers.CharField()


class NoticeOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notice.Kind.choices)
    status = serializers.ChoiceField(choices=Notice.Status.choices)
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    issuing_agency = serializers.CharField(source="issuing_agency.code")
    subject = serializers.CharField()
    due_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    first_responded_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="已过整改期限仍未报送整改情况")
    version = serializers.IntegerField(help_text="文书的版本号：各项操作时作为 version 提交")

    def get_overdue(self, notice) -> bool:
        return notice.is_overdue(timezone.localdate())


class NoticeDetailOut(NoticeOut):
    findings = serializers.CharField()
    requirement = serializers.CharField()
    response = serializers.CharField()
    evidence_note = serializers.CharField()
    return_reason = serializers.CharField()
    returns = serializers.IntegerField()
    closing_note = serializers.CharField()
    records = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(NoticeRecordOut(many=True))
    def get_records(self, notice) -> list:
        return NoticeRecordOut(notice.records.all(), many=True).data

    def get_actions(self, notice) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], notice)]


class NoticeListApi(Paged, APIView):
    """Notices the caller reads, newest first; 下达 a new one (supervisors of an agency above the addressed one)."""

    pagination_class = NewestFirst

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Notice.Status.choices, required=False)
        kind = serializers.ChoiceField(choices=Notice.Kind.choices, required=False)
        agency = serializers.CharField(max_length=12, required=False)
        overdue = serializers.BooleanField(required=False)

    @extend_schema(parameters=[Filter], responses=NoticeOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = selectors.notices_for_user(
            request.user,
            today=timezone.localdate(),
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            agency=agency_filter(request.user, data.get("agency", "")),
            overdue=data.get("overdue", False),
        )
        return self.page(request, rows, NoticeOut)

    @extend_schema(request=schema_of(IssueForm), responses={201: NoticeDetailOut})
    def post(self, request):
        selectors.supervision_require(request.user)
        today = timezone.localdate()
        body = request.data if hasattr(request.data, "get") else {}
        agency = agency_filter(request.user, str(body.get("agency") or ""))
        flags = selectors.flags_for_agency(request.user, agency, today=today, year=today.year)
        form = IssueForm(body, user=request.user, flags=flags)
        data = validated(form)
        notice = services.notice_issue(
            actor=request.user,
            agency=data["agency"],
            kind=data["kind"],
            subject=data["subject"],
            findings=data["findings"],
            requirement=data["requirement"],
            due_on=data["due_on"],
            records=form.chosen_records(),
        )
        out = NoticeDetailOut(notice, context={"user": request.user})
        return Response(out.data, status=status.HTTP_201_CREATED)


class NoticeDetailApi(APIView):
    @extend_schema(responses=NoticeDetailOut)
    def get(self, request, notice_id: int):
        notice = selectors.notice_get_for_user(user=request.user, notice_id=notice_id)
        return Response(NoticeDetailOut(notice, context={"user": request.user}).data)


class DeskCardOut(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="类别 → 数量")
    notices_open = serializers.IntegerField()
    notices_overdue = serializers.IntegerField()


class DeskApi(APIView):
    """执法监督台: per supervised agency, the number of each kind of flag and its open and overdue notices."""

    class Filter(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)

    @extend_schema(parameters=[Filter], responses=DeskCardOut(many=True))
    def get(self, request):
        if not selectors.may_supervise(request.user):
            raise Http404
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        cards, _flags = selectors.desk(
            request.user, today=today, year=query.validated_data.get("year") or today.year, listing=False
        )
        return Response(DeskCardOut(cards, many=True).data)


def action_patterns() -> list:
    """POST supervision/notices/{id}/{acknowledge|respond|accept|return|close}."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=selectors.notice_get_for_user,
        key="notice_id",
        detail=NoticeDetailOut,
        prefix="supervision/notices",
        name="supervision-notice",
        operation="supervision_notices",
    )
