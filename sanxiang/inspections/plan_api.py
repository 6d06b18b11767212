"""API v1 for 双随机 plans: for anyone, an agency's committed plans, a plan's committed JSON and its published draw;
for staff, the plans in scope, a new plan, each move of the plan's Workflow (update, approve, draw, publish,
close), the drawn targets, a target's result, and recusals — under the same gates as the workbench (403 outside the
move's roles, 404 outside the caller's scope, 409 for a stale version, 400 with the rule for a refused move)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.selectors import agency_public
from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged, StrictPageSize
from sanxiang.api.views import PublicApi
from sanxiang.inspections import draw_results, draws, plan_selectors
from sanxiang.inspections.plan_actions import WORKFLOW
from sanxiang.inspections.plan_forms import DeclareForm, KinshipForm, PlanForm, ResultForm, plan_fields
from sanxiang.inspections.plan_views import committed_json


class CommitmentOut(serializers.Serializer):
    digest = serializers.CharField(help_text="计划 JSON 的 SHA-256")
    ledger_index = serializers.IntegerField(help_text="承诺的公开账本条目序号")
    approved_on = serializers.DateField()
    population = serializers.IntegerField()
    officers = serializers.IntegerField()


class DrawOut(serializers.Serializer):
    checkpoint_size = serializers.IntegerField(help_text="随机种子检查点的条目数")
    seed = serializers.CharField(help_text="随机种子：该检查点的根哈希（十六进制）")
    algorithm = serializers.CharField()
    result_digest = serializers.CharField()
    lapsed = serializers.ListField(child=serializers.CharField(), help_text="抽取时已失效、未参加抽取的执法证编号")
    shortfalls = serializers.IntegerField(help_text="可选执法人员不足两名的对象数")
    performed_at = serializers.DateTimeField()
    ledger_index = serializers.IntegerField()


class CountsOut(serializers.Serializer):
    targets = serializers.IntegerField(default=0)
    inspected = serializers.IntegerField(default=0)
    no_problem = serializers.IntegerField(default=0)
    ordered_to_correct = serializers.IntegerField(default=0)
    case_opened = serializers.IntegerField(default=0)


class PlanBaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    title = serializers.CharField()
    status = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()


class PublicPlanOut(PlanBaseOut):
    commitment = CommitmentOut()
    draw = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField(help_text="已公示的抽查结果统计（含零项）")

    @extend_schema(responses=DrawOut(allow_null=True))
    def get_draw(self, plan) -> dict | None:
        draw = getattr(plan, "draw", None)
        return DrawOut(draw).data if draw is not None else None

    @extend_schema(responses=CountsOut)
    def get_results(self, plan) -> dict:
        return CountsOut({key: plan.published_counts.get(key, 0) for key in CountsOut().fields}).data


class PlanOut(PlanBaseOut):
    """A plan as its agency's staff see it, with the moves the caller may make now."""

    items = serializers.SerializerMethodField()
    divisions = serializers.ListField(child=serializers.CharField())
    industries = serializers.ListField(child=serializers.CharField())
    percents = serializers.SerializerMethodField(help_text="各层抽查比例（已批准的为冻结值）")
    version = serializers.IntegerField(help_text="计划的版本号：修改、批准、抽取、公示和结束时作为 version 提交")
    actions = serializers.SerializerMethodField()

    def get_items(self, plan) -> list[str]:
        return sorted(item.code for item in plan.items.all())

    def get_percents(self, plan) -> dict[str, str]:
        return plan_selectors.effective_percents(plan)

    def get_actions(self, plan) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], plan)]


class PublicPlansApi(PublicApi):
    """An agency's committed plans (approved, drawn or closed) with their published result counts, zeros included."""

    @extend_schema(responses=PublicPlanOut(many=True))
    def get(self, request, code: str):
        agency = agency_public(code)
        return Response(PublicPlanOut(plan_selectors.public_plans(agency), many=True).data)


class PublicPlanJsonApi(PublicApi):
    """The committed plan JSON, byte for byte (its SHA-256 is the commitment's digest): the plan, the enterprises in
    scope with their tiers, the officer pool and the recusals — all the draw needs but the seed."""

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    def get(self, request, plan_id: int):
        return committed_json(plan_selectors.public_plan(plan_id).commitment)


class TargetOut(serializers.Serializer):
    rank = serializers.IntegerField()
    tier = serializers.CharField()
    uscc = serializers.CharField()
    score = serializers.CharField()
    officers = serializers.ListField(
        child=serializers.CharField(), help_text="两名执法人员的执法证编号；不足两名时为空"
    )


class DrawExportOut(serializers.Serializer):
    algorithm = serializers.CharField()
    plan_digest = serializers.CharField()
    checkpoint = serializers.DictField(help_text="随机种子检查点：size 和 root（十六进制）")
    lapsed = serializers.ListField(child=serializers.CharField())
    targets = TargetOut(many=True)


class PublicDrawApi(PublicApi):
    """The draw as published — what tools/verify_draw.py prints from the plan JSON and the seed checkpoint."""

    @extend_schema(responses=DrawExportOut)
    def get(self, request, plan_id: int):
        plan = plan_selectors.public_plan(plan_id)
        if not hasattr(plan, "draw"):
            raise Http404
        return Response(plan_selectors.draw_export(plan))


class PlansApi(Paged, APIView):
    """The plans of the agencies in the caller's scope (GET); a new draft plan of the caller's own agency (POST, an
    officer or head): items by id, divisions and industries separated by spaces, percents per tier (blank: the
    items' default)."""

    pagination_class = NewestFirst

    @extend_schema(responses=PlanOut(many=True))
    def get(self, request):
        return self.page(request, plan_selectors.plans_for_user(request.user), PlanOut, context={"user": request.user})

    @extend_schema(request=schema_of(PlanForm), responses={201: PlanOut})
    def post(self, request):
        agency = request.user.agency
        if agency is None:
            raise Http404
        draws.PLAN.require(request.user, agency, "create")  # before the form: its items are the agency's
        data = validated(PlanForm(request.data, agency=agency))
        plan = draws.plan_create(actor=request.user, agency=agency, **plan_fields(data))
        return Response(PlanOut(plan, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    @extend_schema(responses=PlanOut)
    def get(self, request, plan_id: int):
        plan = plan_selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
        return Response(PlanOut(plan, context={"user": request.user}).data)


class StaffTargetOut(TargetOut):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    status = serializers.CharField()
    result = serializers.CharField()
    inspection = serializers.IntegerField(source="inspection_id", allow_null=True)
    inspected_on = serializers.DateField(allow_null=True)
    publish_due_on = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    officers = serializers.SerializerMethodField()

    def get_officers(self, target) -> list[str]:
        pair = (target.first_certificate, target.second_certificate)
        return [certificate.number for certificate in pair] if target.first_certificate_id else []


class ByRank(StrictPageSize, CursorPagination):
    ordering = "rank"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class TargetsApi(Paged, APIView):
    """The drawn targets of a plan in rank order, with pairs, results and publication deadlines."""

    pagination_class = ByRank

    @extend_schema(responses=StaffTargetOut(many=True))
    def get(self, request, plan_id: int):
        plan = plan_selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
        rows = plan.targets.select_related("first_certificate", "second_certificate")
        return self.page(request, rows, StaffTargetOut)


class ResultApi(APIView):
    """登记抽查结果: the completed inspection (its id) by the drawn pair, and what it found — by one of the pair or
    a head."""

    @extend_schema(request=schema_of(ResultForm), responses=StaffTargetOut)
    def post(self, request, plan_id: int, target_id: int):
        target = plan_selectors.target_get_for_user(user=request.user, plan_id=plan_id, target_id=target_id)
        data = validated(ResultForm(request.data, target=target, user=request.user))
        target = draw_results.draw_target_record_result(
            actor=request.user, target=target, inspection=data["inspection"], result=data["result"]
        )
        return Response(StaffTargetOut(target).data)


class RecusalOut(serializers.Serializer):
    id = serializers.IntegerField()
    officer = serializers.IntegerField(source="officer_id")
    party = serializers.IntegerField(source="party_id")
    uscc = serializers.CharField(source="party.uscc")
    kind = serializers.CharField()
    reason = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class RecusalsApi(Paged, APIView):
    """回避: the caller's own declarations (an officer) or every recusal of the agency (a head) (GET); an officer's
    own declaration of a conflict with an enterprise, by its credit code (POST)."""

    pagination_class = NewestFirst

    @extend_schema(responses=RecusalOut(many=True))
    def get(self, request):
        return self.page(request, plan_selectors.recusals_for_user(request.user), RecusalOut)

    @extend_schema(request=schema_of(DeclareForm), responses={201: RecusalOut})
    def post(self, request):
        data = validated(DeclareForm(request.data))
        recusal = draw_results.recusal_declare(
            actor=request.user, party=plan_selectors.party_by_uscc(request.user, data["uscc"]), reason=data["reason"]
        )
        return Response(RecusalOut(recusal).data, status=status.HTTP_201_CREATED)


class KinshipApi(APIView):
    """A head records an officer's kinship with someone at an enterprise."""

    @extend_schema(request=schema_of(KinshipForm), responses={201: RecusalOut})
    def post(self, request):
        data = validated(KinshipForm(request.data, officers=plan_selectors.kinship_officers(request.user.agency)))
        recusal = draw_results.recusal_record_kinship(
            actor=request.user,
            officer=data["officer"],
            party=plan_selectors.party_by_uscc(request.user, data["uscc"]),
            reason=data["reason"],
        )
        return Response(RecusalOut(recusal).data, status=status.HTTP_201_CREATED)


def _refuse_a_seed(request, action):
    """The draw takes no seed: one sent is refused rather than quietly ignored."""
    if action.name == "draw" and "seed" in request.data:
        raise ValidationError(
            {"seed": [_("随机种子不能指定：抽取使用计划批准后第一个签名检查点的根哈希，每个计划只抽取一次。")]}
        )
    return request.data


def action_patterns() -> list:
    """POST plans/{id}/{update|approve|draw|publish|close}."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=plan_selectors.plan_get_for_user,
        key="plan_id",
        detail=PlanOut,
        prefix="plans",
        name="plan",
        operation="plans",
        reshape=_refuse_a_seed,
    )
