"""API v1 for 当场处罚: decide on the spot from a phone, list the decisions with their 备案, file and acknowledge."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.models import Role
from sanxiang.agencies.selectors import staff_for_user
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.cases import selectors, services
from sanxiang.cases.models import OnSitePenalty
from sanxiang.cases.onsite_forms import OnSiteAcknowledgeForm, OnSiteFilingForm, OnSiteForm


class OnSitePenaltyOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    party = serializers.CharField(source="party.name")
    kind = serializers.CharField()
    fine = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    decided_at = serializers.DateTimeField()
    place = serializers.CharField()
    status = serializers.CharField()
    filing_due = serializers.DateField(allow_null=True)
    filing_due_provisional = serializers.BooleanField()
    filed_on = serializers.DateField(allow_null=True)
    filed_late = serializers.BooleanField()
    filing_late_reason = serializers.CharField()
    acknowledged_on = serializers.DateField(allow_null=True)
    sound = serializers.BooleanField(allow_null=True)
    acknowledgement = serializers.CharField()
    steps = serializers.SerializerMethodField()

    def get_steps(self, penalty) -> list[str]:
        """The 备案 steps the caller may take now."""
        return [step for step, allowed in selectors.onsite_steps(self.context["user"], penalty).items() if allowed]


class OnSitePenaltyApi(Paged, APIView):
    """当场处罚 in the caller's scope (newest first, `status` to filter), or decide one on the spot: a warning, or a
    fine within the simple-procedure limit."""

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=OnSitePenalty.Status.choices, required=False)

    @extend_schema(parameters=[Filter], responses=OnSitePenaltyOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        penalties = selectors.onsite_penalties_for_user(request.user, status=query.validated_data.get("status", ""))
        return self.page(request, penalties, OnSitePenaltyOut, context={"user": request.user})

    @extend_schema(request=schema_of(OnSiteForm), responses={201: OnSitePenaltyOut})
    def post(self, request):
        data = validated(
            OnSiteForm(
                request.data,
                parties=selectors.parties_for_user(request.user),
                officers=staff_for_user(request.user, role=Role.OFFICER),
            )
        )
        penalty = services.onsite_penalty_decide(actor=request.user, agency=data["party"].agency, **data)
        return Response(OnSitePenaltyOut(penalty, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class _OnSiteStepApi(APIView):
    """One 备案 step on a decision in the caller's scope; the service says whether the caller may take it."""

    form = OnSiteFilingForm
    service = staticmethod(services.onsite_penalty_file)

    def post(self, request, penalty_id: int):
        penalty = selectors.onsite_penalty_get_for_user(user=request.user, penalty_id=penalty_id)
        penalty = self.service(actor=request.user, penalty=penalty, **validated(self.form(request.data)))
        return Response(OnSitePenaltyOut(penalty, context={"user": request.user}).data)


@extend_schema_view(post=extend_schema(request=schema_of(OnSiteFilingForm), responses=OnSitePenaltyOut))
class OnSiteFileApi(_OnSiteStepApi):
    """报备案: one of the deciding officers files the decision with the agency (a reason when past the period)."""


@extend_schema_view(post=extend_schema(request=schema_of(OnSiteAcknowledgeForm), responses=OnSitePenaltyOut))
class OnSiteAcknowledgeApi(_OnSiteStepApi):
    """The head acknowledges a filed decision: without objection, or with the problem and what is to be done."""

    form = OnSiteAcknowledgeForm
    service = staticmethod(services.onsite_penalty_acknowledge)
