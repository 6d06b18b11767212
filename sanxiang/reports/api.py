"""The reports' part of API v1: the annual reports and their steps, and an agency's figures for a year from the
same definitions as the report, each with the records behind it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.pagination import Paged
from sanxiang.reports import selectors, services
from sanxiang.reports.actions import REPORT_WORKFLOW
from sanxiang.reports.models import AnnualReport


class ReportOut(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "agency",
            "agency_name",
            "year",
            "edition",
            "status",
            "figures",
            "data_sha256",
            "definitions_version",
            "narrative",
            "generated_at",
            "approved_at",
            "published_at",
            "version",
        ]


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度")


class ReportsApi(Paged, APIView):
    """The annual reports of the agencies in the caller's scope; POST generates one for an ended year."""

    class Filter(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, help_text="只列该年度")

    class GenerateIn(serializers.Serializer):
        agency = serializers.IntegerField(help_text="机关 id")
        year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="已结束的年度")

    @extend_schema(parameters=[Filter], responses=ReportOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = AnnualReport.objects.filter(agency__in=selectors.reporting_agencies(request.user)).select_related(
            "agency"
        )
        if "year" in query.validated_data:
            rows = rows.filter(year=query.validated_data["year"])
        return self.page(request, rows, ReportOut)

    @extend_schema(request=GenerateIn, responses={201: ReportOut})
    def post(self, request):
        body = self.GenerateIn(data=request.data)
        body.is_valid(raise_exception=True)
        agency = selectors.agency_for_reports(user=request.user, agency_id=body.validated_data["agency"])
        report = services.report_generate(actor=request.user, agency=agency, year=body.validated_data["year"])
        return Response(ReportOut(report).data, status=status.HTTP_201_CREATED)


class ReportDetailApi(APIView):
    @extend_schema(responses=ReportOut)
    def get(self, request, report_id: int):
        return Response(ReportOut(selectors.report_get_for_user(user=request.user, report_id=report_id)).data)


class FigureOut(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(help_text="件数为整数；金额、比率为字符串（两位、四位小数）；无分母的比率为 null")
    unit = serializers.CharField()


class FiguresApi(APIView):
    """An agency's figures for a year as of today (with its branches), from the report's definitions."""

    @extend_schema(parameters=[YearQuery], responses=FigureOut(many=True))
    def get(self, request, agency_id: int):
        query = YearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        agency = selectors.agency_for_reports(user=request.user, agency_id=agency_id)
        values = selectors.live_figures(agency, query.validated_data["year"])
        lines = [
            {"key": line.key, "section": section, "label": line.label, "value": values.get(line.key), "unit": line.unit}
            for section, rows in selectors.sections(values)
            for line in rows
        ]
        return Response(FigureOut(lines, many=True).data)


class RecordOut(serializers.Serializer):
    label = serializers.CharField()
    date = serializers.CharField(allow_null=True)
    party = serializers.CharField()
    amount = serializers.CharField(allow_null=True)
    url = serializers.CharField(help_text="工作台页面地址")


class DrillOut(serializers.Serializer):
    results = RecordOut(many=True)
    after = serializers.CharField(help_text="下一页的游标（作为 after 参数传回）；空字符串表示没有下一页")


class DrillQuery(YearQuery):
    after = serializers.CharField(required=False, default="", help_text="上一页返回的游标")


class DrillApi(APIView):
    """The records one figure counts, newest first, 50 a page after the cursor `after` (no count: the figure is the
    count)."""

    @extend_schema(parameters=[DrillQuery], responses=DrillOut)
    def get(self, request, agency_id: int, key: str):
        query = DrillQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        agency = selectors.agency_for_reports(user=request.user, agency_id=agency_id)
        measure, records = selectors.drilldown(agency=agency, year=query.validated_data["year"], key=key)
        page, following = selectors.page_after(measure, records, query.validated_data["after"])
        rows = [
            {
                "label": row.label,
                "date": row.date.isoformat() if row.date else None,
                "party": row.party,
                "amount": None if row.amount is None else str(row.amount),
                "url": row.url,
            }
            for row in selectors.rows_of(measure, page)
        ]
        return Response(DrillOut({"results": rows, "after": following}).data)


def action_patterns() -> list:
    """POST reports/{id}/{edit|approve|publish}."""
    return action_endpoints(
        workflow=REPORT_WORKFLOW,
        gate=selectors.report_get_for_user,
        key="report_id",
        detail=ReportOut,
        prefix="reports",
        name="report",
        operation="reports",
    )
