"""API v1 for cases: list, detail, open, and every procedural step as an explicit action endpoint.

Action bodies are validated by the same forms the workbench uses; the schema of each is derived from its form.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.cases import hooks, selectors, services
from sanxiang.cases.actions import WORKFLOW
from sanxiang.cases.forms import CaseOpenForm
from sanxiang.cases.models import Inspection, Stage


class PartyOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    industry = serializers.CharField()
    key_polluter = serializers.BooleanField()
    division = serializers.CharField()
    permit_number = serializers.CharField()
    tier = serializers.CharField()


class ChallengeOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    body = serializers.CharField()
    reference = serializers.CharField()
    filed_on = serializers.DateField()
    decided_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    note = serializers.CharField()


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    party = PartyOut()
    stage = serializers.CharField()
    kind = serializers.CharField()
    origin = serializers.IntegerField(source="origin_id", allow_null=True)
    source = serializers.CharField()
    discovered_on = serializers.DateField()
    filed_on = serializers.DateField(allow_null=True)
    proposed_kinds = serializers.ListField(child=serializers.CharField())
    proposed_fine = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    hearing_offered = serializers.BooleanField()
    review_required = serializers.BooleanField()
    review_reasons = serializers.ListField(child=serializers.DictField())
    outcome = serializers.CharField()
    decided_kinds = serializers.ListField(child=serializers.CharField())
    decided_fine = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    decision_number = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    next_due_on = serializers.DateField(allow_null=True)
    next_due_kind = serializers.CharField()
    next_due_provisional = serializers.BooleanField()
    version = serializers.IntegerField()


class CaseDetailOut(CaseOut):
    served_on = serializers.DateField(allow_null=True)
    service_method = serializers.CharField()
    service_notice_on = serializers.DateField(allow_null=True)
    paid_on = serializers.DateField(allow_null=True)
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    surcharge_owed = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    surcharge_paid_on = serializers.DateField(allow_null=True)
    challenges = ChallengeOut(many=True, source="challenges.all")
    actions = serializers.SerializerMethodField()
    legal_review = serializers.SerializerMethodField()

    def get_legal_review(self, case) -> dict:
        """The latest review and, while the decision is barred, why (empty once it may be made)."""
        return hooks.review().summary(case)

    def get_actions(self, case) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], case)]


class CaseListApi(Paged, APIView):
    """Cases in the caller's scope (newest first), or open a new clue."""

    pagination_class = NewestFirst

    class Filter(serializers.Serializer):
        stage = serializers.ChoiceField(choices=Stage.choices, required=False)
        q = serializers.CharField(
            required=False,
            max_length=100,
            help_text="案号、案由或当事人名称中的字词（数字和字母整段匹配）；列出最新的 200 个匹配",
        )

    @extend_schema(parameters=[Filter], responses=CaseOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        cases = selectors.cases_for_user(
            request.user, stage=query.validated_data.get("stage", ""), search=query.validated_data.get("q", "")
        )
        return self.page(request, cases, CaseOut)

    @extend_schema(request=schema_of(CaseOpenForm), responses={201: CaseDetailOut})
    def post(self, request):
        inspections = selectors.inspections_for_user(request.user).filter(status=Inspection.Status.COMPLETED)
        data = validated(
            CaseOpenForm(request.data, parties=selectors.parties_for_user(request.user), inspections=inspections)
        )
        case = services.case_open(actor=request.user, agency=data["party"].agency, **data)
        return Response(CaseDetailOut(case, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailOut)
    def get(self, request, case_id: int):
        case = selectors.case_get_for_user(user=request.user, case_id=case_id)
        return Response(CaseDetailOut(case, context={"user": request.user}).data)


def action_patterns() -> list:
    """POST cases/{id}/{action} for every step of the procedure."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=selectors.case_get_for_user,
        key="case_id",
        detail=CaseDetailOut,
        prefix="cases",
        name="case",
        operation="cases",
    )
