"""API v1 for 检查任务 — the officer's phone: the tasks in the caller's scope (or their own), a new task, the tasks
of a draw, a task, and each move of its Workflow (dispatch, start, close, cancel), under the same gates as the
workbench (403 outside the move's roles, 404 outside the caller's scope, 409 for a stale version, 400 with the rule
for a refused move). A reporter appears only in a head's answer."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.inspections import task_selectors, task_services
from sanxiang.inspections.plan_selectors import party_by_uscc
from sanxiang.inspections.task_actions import WORKFLOW
from sanxiang.inspections.task_forms import FromDrawForm, TaskCreateForm
from sanxiang.inspections.task_models import Task


class ReporterOut(serializers.Serializer):
    name = serializers.CharField()
    contact = serializers.CharField()


class TaskOut(serializers.Serializer):
    """A task as its agency's staff see it, with the moves the caller may make now; the reporter for heads only."""

    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    party = serializers.IntegerField(source="party_id")
    party_name = serializers.CharField(source="party.name")
    uscc = serializers.CharField(source="party.uscc")
    source = serializers.CharField(
        help_text="random 双随机抽查 / complaint 信访举报 / assigned 上级交办 / monitoring 监测线索"
    )
    draw_target = serializers.IntegerField(source="draw_target_id", allow_null=True)
    reference = serializers.CharField(help_text="上级交办的交办文号")
    description = serializers.CharField()
    division = serializers.CharField(help_text="企业所在区划代码")
    due_on = serializers.DateField(allow_null=True)
    officers = serializers.SerializerMethodField()
    status = serializers.CharField(
        help_text="new 待派发 / dispatched 已派发 / in_progress 检查中 / done 已办结 / cancelled 已撤销"
    )
    inspection = serializers.IntegerField(source="inspection_id", allow_null=True)
    result = serializers.CharField(
        help_text="no_problem 未发现问题 / ordered_to_correct 责令改正 / case_opened 立案查处"
    )
    result_note = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    cancel_reason = serializers.CharField()
    version = serializers.IntegerField(help_text="任务的版本号：派发、开始检查、办结和撤销时作为 version 提交")
    reporter = serializers.SerializerMethodField(help_text="举报人：仅本机关负责人可见，其他人为 null")
    actions = serializers.SerializerMethodField()

    def get_officers(self, task) -> list[int]:
        return sorted(officer.pk for officer in task.officers.all())

    @extend_schema(responses=ReporterOut(allow_null=True))
    def get_reporter(self, task) -> dict | None:
        reporter = task_selectors.reporter_for(self.context["user"], task)
        return ReporterOut(reporter).data if reporter is not None else None

    def get_actions(self, task) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], task)]


class TasksApi(Paged, APIView):
    """The tasks in the caller's scope, newest first (GET; `mine=true` only the caller's own); a new task of the
    caller's own agency (POST, an officer or head), on an enterprise by its credit code."""

    pagination_class = NewestFirst

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Task.Status.choices, required=False, help_text="只列该状态的任务")
        area = serializers.RegexField(r"^\d{2,6}$", required=False, help_text="区划代码或其前缀（2 至 6 位数字）")
        mine = serializers.BooleanField(required=False, default=False, help_text="true：只列派给我的任务")

    @extend_schema(parameters=[Filter], responses=TaskOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = task_selectors.tasks_for_user(
            request.user,
            status=query.validated_data.get("status", ""),
            area=query.validated_data.get("area", ""),
            mine=query.validated_data["mine"],
        )
        return self.page(request, rows, TaskOut, context={"user": request.user})

    @extend_schema(request=schema_of(TaskCreateForm), responses={201: TaskOut})
    def post(self, request):
        agency = request.user.agency
        if agency is None:
            raise Http404
        data = validated(TaskCreateForm(request.data))
        task = task_services.task_create(
            actor=request.user,
            agency=agency,
            party=party_by_uscc(request.user, data["uscc"]),
            source=data["source"],
            description=data["description"],
            due_on=data["due_on"],
            reference=data["reference"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
        )
        task = task_selectors.task_get_for_user(user=request.user, task_id=task.pk)
        return Response(TaskOut(task, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    @extend_schema(responses=TaskOut)
    def get(self, request, task_id: int):
        task = task_selectors.task_get_for_user(user=request.user, task_id=task_id)
        return Response(TaskOut(task, context={"user": request.user}).data)


class TasksFromDrawApi(APIView):
    """按抽取结果生成检查任务: a head makes one task for each drawn target of a draw (its id) waiting to be
    inspected, dispatched to the drawn pair; once per draw."""

    @extend_schema(request=schema_of(FromDrawForm), responses={201: TaskOut(many=True)})
    def post(self, request):
        data = validated(FromDrawForm(request.data, draws=task_selectors.draws_for_user(request.user)))
        tasks = task_services.tasks_from_draw(actor=request.user, draw=data["draw"])
        rows = task_selectors.tasks_for_user(request.user).filter(pk__in=[task.pk for task in tasks])
        return Response(TaskOut(rows, many=True, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


def action_patterns() -> list:
    """POST tasks/{id}/{dispatch|start|close|cancel}."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=task_selectors.task_get_for_user,
        key="task_id",
        detail=TaskOut,
        prefix="tasks",
        name="task",
        operation="tasks",
    )
