"""API v1 for the monitoring clues: the exceedances in the caller's scope (each naming its values, averaging, limit
and source, and its task), the detection runs with what they did not count, and a case's 第四十一条审核 with each
of its steps (POST monitoring/checks/{id}/{step}) under the same gates as the workbench."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.monitoring import clue_selectors, pollutants
from sanxiang.monitoring.clue_actions import WORKFLOW
from sanxiang.monitoring.models import Exceedance
from sanxiang.monitoring.party import party_url


class ExceedanceOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    point = serializers.IntegerField(source="point_id")
    party_name = serializers.CharField(source="point.party.name")
    outlet_code = serializers.CharField(source="point.outlet_code")
    mn = serializers.CharField(source="device.mn")
    pollutant = serializers.CharField()
    pollutant_name = serializers.SerializerMethodField()
    averaging = serializers.CharField(help_text="hour 小时均值 / day 日均值")
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    average = serializers.DecimalField(max_digits=16, decimal_places=4)
    limit_value = serializers.DecimalField(max_digits=12, decimal_places=4)
    limit_unit = serializers.CharField()
    limit_source = serializers.CharField()
    valid_count = serializers.IntegerField(help_text="计入的有效分钟数（小时均值）或有效小时数（日均值）")
    excluded = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="未计入的分钟数，按原因：flag 标志无效 / mark 标记时段 / skew 时钟偏差 / device 设备未审核",
    )
    status = serializers.CharField(help_text="found 已发现 / tasked 已转检查任务 / in_case 已作为案件证据")
    task = serializers.IntegerField(source="task_id", allow_null=True)
    case = serializers.IntegerField(source="case_id", allow_null=True)
    found_at = serializers.DateTimeField()

    def get_pollutant_name(self, exceedance) -> str:
        return pollutants.name_of(exceedance.pollutant)


class RunOut(serializers.Serializer):
    id = serializers.IntegerField(source="run.id")
    day = serializers.DateField(source="run.day")
    finished_at = serializers.DateTimeField(source="run.finished_at")
    hours_checked = serializers.IntegerField(source="run.hours_checked")
    hours_valid = serializers.IntegerField(source="run.hours_valid")
    days_valid = serializers.IntegerField(source="run.days_valid")
    findings = serializers.IntegerField(source="run.findings")
    excluded_minutes = serializers.DictField(child=serializers.IntegerField(), source="run.excluded_minutes")
    excluded_hours = serializers.DictField(child=serializers.IntegerField(), source="run.excluded_hours")
    withheld = serializers.ListField(
        child=serializers.DictField(), help_text="依规未计入、因而未认定的疑似超标（仅本人可见的点位）"
    )


class CheckOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    status = serializers.SerializerMethodField(help_text="open 审核中 / complete 已完成（按尚缺事项即时判断）")
    missing = serializers.SerializerMethodField(help_text="尚缺的审核事项")
    only_monitoring = serializers.SerializerMethodField(
        help_text="本案证据是否仅有在线监控数据（是则审核完成前不能决定）"
    )
    manifest = serializers.IntegerField(source="manifest_id", allow_null=True, help_text="哈希清单的证据 id")
    records_reviewed_on = serializers.DateField(allow_null=True)
    records_conform = serializers.BooleanField(allow_null=True)
    records_opinion = serializers.CharField()
    party_told_on = serializers.DateField(allow_null=True)
    party_told_how = serializers.CharField()
    statement_invited_on = serializers.DateField(allow_null=True)
    party_url = serializers.SerializerMethodField(
        help_text="当事人查询地址（告知当事人时生成，随告知书交当事人；第四十一条第三款），未告知时为 null"
    )
    version = serializers.IntegerField()
    actions = serializers.SerializerMethodField()

    def get_party_url(self, check) -> str | None:
        return party_url(check)

    def get_missing(self, check) -> list[str]:
        return clue_selectors.missing(check)

    def get_status(self, check) -> str:
        # read now, not the stored state: a device's review or a point's publication can change after the last step
        return "open" if self.get_missing(check) else "complete"

    def get_only_monitoring(self, check) -> bool:
        return clue_selectors.monitoring_only(check.case)

    def get_actions(self, check) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], check)]


class CluesApi(Paged, APIView):
    """The exceedances of the agencies the caller may see, newest first (`status` filters)."""

    pagination_class = NewestFirst

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Exceedance.Status.choices, required=False)

    @extend_schema(parameters=[Filter], responses=ExceedanceOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = clue_selectors.exceedances_for_user(request.user, status=query.validated_data.get("status", ""))
        return self.page(request, rows.select_related("agency"), ExceedanceOut)


class ClueDetailApi(APIView):
    @extend_schema(responses=ExceedanceOut)
    def get(self, request, exceedance_id: int):
        return Response(
            ExceedanceOut(clue_selectors.exceedance_get_for_user(user=request.user, exceedance_id=exceedance_id)).data
        )


class RunsApi(APIView):
    """The latest detection runs."""

    @extend_schema(responses=RunOut(many=True))
    def get(self, request):
        return Response(RunOut(clue_selectors.runs_for_user(request.user), many=True).data)


class CaseCheckApi(APIView):
    """The 第四十一条审核 of a case (404 when the case has none or the caller may not see it)."""

    @extend_schema(responses=CheckOut)
    def get(self, request, case_id: int):
        check = clue_selectors.check_for_case(user=request.user, case_id=case_id)
        return Response(CheckOut(check, context={"user": request.user, "request": request}).data)


class CheckApi(APIView):
    @extend_schema(responses=CheckOut)
    def get(self, request, check_id: int):
        check = clue_selectors.check_get_for_user(user=request.user, check_id=check_id)
        return Response(CheckOut(check, context={"user": request.user, "request": request}).data)


def action_patterns() -> list:
    """POST monitoring/checks/{id}/{review_records|tell_party|invite_statement|reissue_party_key}."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=clue_selectors.check_get_for_user,
        key="check_id",
        detail=CheckOut,
        prefix="monitoring/checks",
        name="monitoring-check",
        operation="monitoring_checks",
    )
