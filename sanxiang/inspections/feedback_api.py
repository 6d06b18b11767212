"""API v1 of 扫码入企: anyone looks up a code (what its portal page shows); the inspected enterprise rates and
complains with the code and its 统一社会信用代码 (rate-limited per address); supervisors above the inspecting unit list
ratings and complaints, each with whether it still matches its ledger entry (404 to everyone else)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.api.throttling import FeedbackRateThrottle
from sanxiang.api.views import PublicApi
from sanxiang.inspections import feedback, feedback_selectors
from sanxiang.inspections.feedback_forms import ComplaintForm, RatingForm, supervision_filters


class CheckItemOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    basis = serializers.CharField()


class CheckOfficerOut(serializers.Serializer):
    name = serializers.CharField()
    certificate = serializers.CharField(source="number")
    valid_today = serializers.BooleanField()


class CheckOut(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    party_name = serializers.CharField()
    planned_from = serializers.DateField(source="approval.planned_from")
    planned_to = serializers.DateField(source="approval.planned_to")
    status = serializers.CharField(source="approval.status")
    status_label = serializers.CharField(source="status", help_text="审批状态，如“已批准，待检查”")
    approved = serializers.BooleanField()
    completed = serializers.BooleanField(help_text="检查是否已结束（结束后方可评价、投诉）")
    items = CheckItemOut(many=True)
    officers = CheckOfficerOut(many=True)
    may_rate = serializers.BooleanField()
    may_complain = serializers.BooleanField()


class PublicCheckApi(PublicApi):
    """扫码入企: what the code of a 行政检查通知书 shows (404 for an unknown code, with nothing else)."""

    @extend_schema(responses=CheckOut)
    def get(self, request, code: str):
        return Response(CheckOut(feedback_selectors.check_public(feedback_selectors.approval_by_code(code))).data)


class _Submit(PublicApi):
    throttle_classes = [FeedbackRateThrottle]


class RatingSubmitApi(_Submit):
    """The inspected enterprise rates the completed inspection once (1–5 stars)."""

    @extend_schema(request=schema_of(RatingForm), responses={201: None})
    def post(self, request, code: str):
        approval = feedback_selectors.approval_by_code(code)
        feedback.rating_submit(approval=approval, **validated(RatingForm(request.data)))
        return Response(status=status.HTTP_201_CREATED)


class ComplaintSubmitApi(_Submit):
    """The inspected enterprise complains about the completed inspection (a few times at most per code)."""

    @extend_schema(request=schema_of(ComplaintForm), responses={201: None})
    def post(self, request, code: str):
        approval = feedback_selectors.approval_by_code(code)
        feedback.complaint_submit(approval=approval, **validated(ComplaintForm(request.data)))
        return Response(status=status.HTTP_201_CREATED)


class _FeedbackOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="approval.agency.code")
    agency_name = serializers.CharField(source="approval.agency.name")
    party_name = serializers.CharField(source="approval.party.name")
    created_at = serializers.DateTimeField()
    intact = serializers.SerializerMethodField(help_text="内容是否仍与账本记录的摘要一致")

    def get_intact(self, row) -> bool:
        return self.context["intact"][row.pk]


class RatingOut(_FeedbackOut):
    stars = serializers.IntegerField()
    comment = serializers.CharField()


class ComplaintOut(_FeedbackOut):
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    text = serializers.CharField()
    contact = serializers.CharField()


FILTERS = [
    OpenApiParameter("agency", str, description="机关代码（含其下级机关）"),
    OpenApiParameter("stars", int, description="评分（仅评价）"),
    OpenApiParameter("category", str, description="投诉类别（仅投诉）"),
]


class _SupervisionList(Paged, APIView):
    def listed(self, request, rows, serializer):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        context = {"intact": feedback_selectors.intact(page)}
        return paginator.get_paginated_response(serializer(page, many=True, context=context).data)


class SupervisionRatingsApi(_SupervisionList):
    """执法监督: the enterprises' ratings of the agencies below the supervisor's (404 to anyone else)."""

    @extend_schema(parameters=FILTERS, responses=RatingOut(many=True))
    def get(self, request):
        feedback_selectors.supervision_require(request.user)
        filters = supervision_filters(request.user, request.query_params)
        rows = feedback_selectors.ratings_for(request.user, agency=filters["agency"], stars=filters["stars"])
        return self.listed(request, rows, RatingOut)


class SupervisionComplaintsApi(_SupervisionList):
    """执法监督: the enterprises' complaints about inspections of the agencies below the supervisor's."""

    @extend_schema(parameters=FILTERS, responses=ComplaintOut(many=True))
    def get(self, request):
        feedback_selectors.supervision_require(request.user)
        filters = supervision_filters(request.user, request.query_params)
        rows = feedback_selectors.complaints_for(request.user, agency=filters["agency"], category=filters["category"])
        return self.listed(request, rows, ComplaintOut)
