"""API v1 for publicity: the staff's records with their versions and every action, and the public's search,
decision and on-time rates (the same data the portal shows, and nothing more). OpenDataApi is the base of the
endpoints anyone may read (a partner platform with its token)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.models import Agency
from sanxiang.api.actions import action_endpoints
from sanxiang.api.views import OpenDataApi
from sanxiang.publicity import selectors
from sanxiang.publicity.actions import WORKFLOW
from sanxiang.publicity.models import Kind, Publication


class PublicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.name")
    kind = serializers.CharField()
    source = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    party_name = serializers.CharField()
    violation = serializers.CharField()
    decided_on = serializers.DateField()
    due_on = serializers.DateField()
    due_provisional = serializers.BooleanField()
    status = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    display_until = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class DeskRowOut(PublicationOut):
    workdays = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()

    def to_representation(self, row):
        return PublicationOut(row.publication).data | {"workdays": row.workdays, "overdue": row.overdue}


class SpanOut(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    kind = serializers.CharField()
    note = serializers.CharField(required=False)


class VersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    original = serializers.CharField()
    masks = SpanOut(many=True)
    warnings = SpanOut(many=True)
    public_text = serializers.CharField()
    public_sha256 = serializers.CharField()
    reason = serializers.CharField()
    prepared_by = serializers.CharField(source="prepared_by.full_name", allow_null=True, default=None)
    confirmed_by = serializers.CharField(source="confirmed_by.full_name", allow_null=True, default=None)
    published_at = serializers.DateTimeField(allow_null=True)
    ledger_index = serializers.IntegerField(allow_null=True)


class PublicationDetailOut(PublicationOut):
    summary = serializers.DictField()
    credit_class = serializers.CharField()
    withheld_reason = serializers.CharField()
    withdrawal_reason = serializers.CharField()
    versions = VersionOut(many=True, source="versions.all")
    actions = serializers.SerializerMethodField()

    def get_actions(self, publication) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], publication)]


class DeskApi(APIView):
    """The timeliness desk: the caller's agencies' records, overdue drafts first, with working days taken."""

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Publication.Status.choices, required=False)

    @extend_schema(parameters=[Filter], responses=DeskRowOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.desk(request.user, today=timezone.localdate(), status=query.validated_data.get("status", ""))
        return Response(DeskRowOut(rows, many=True).data)


class PublicationDetailApi(APIView):
    @extend_schema(responses=PublicationDetailOut)
    def get(self, request, publication_id: int):
        publication = selectors.publication_get_for_user(user=request.user, publication_id=publication_id)
        return Response(PublicationDetailOut(publication, context={"user": request.user}).data)


def action_patterns() -> list:
    """POST publications/{id}/{action} for every step of a publication."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=selectors.publication_get_for_user,
        key="publication_id",
        detail=PublicationDetailOut,
        prefix="publications",
        name="publication",
        operation="publications",
    )


# ---- public ----


class DecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.name")
    kind = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    party_name = serializers.CharField()
    violation = serializers.CharField()
    decided_on = serializers.DateField()
    published_on = serializers.DateField()


class DecisionSearchApi(OpenDataApi):
    """Search published decisions (Chinese full text; one- and two-character queries work), newest first; pass
    the last id as `before` for the next page."""

    class Query(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)
        party = serializers.CharField(required=False, allow_blank=True, max_length=100)
        agency = serializers.SlugRelatedField(
            slug_field="code", queryset=Agency.objects.filter(is_active=True), required=False
        )
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
        kind = serializers.ChoiceField(choices=Kind.choices, required=False)
        violation = serializers.CharField(required=False, allow_blank=True, max_length=200)
        before = serializers.IntegerField(required=False, min_value=1)

    @extend_schema(parameters=[Query], responses=DecisionOut(many=True))
    def get(self, request):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        results = selectors.public_search(
            text=data.get("q", ""),
            party=data.get("party", ""),
            agency=data.get("agency"),
            year=data.get("year"),
            kind=data.get("kind", ""),
            violation=data.get("violation", ""),
            before=data.get("before"),
        )
        return Response(DecisionOut(results, many=True).data)


class PublicVersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    public_text = serializers.CharField()
    public_sha256 = serializers.CharField()
    reason = serializers.CharField()
    published_at = serializers.DateTimeField()
    ledger_index = serializers.IntegerField()


class DecisionDetailOut(DecisionOut):
    status = serializers.CharField()
    display_until = serializers.DateField(allow_null=True)
    summary = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    def get_summary(self, publication) -> dict:
        return dict(selectors.public_summary(selectors.public_version(publication).summary))

    def get_versions(self, publication) -> list[dict]:
        return PublicVersionOut(selectors.public_versions(publication), many=True).data


class WithdrawalOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    status = serializers.CharField()
    withdrawn_at = serializers.DateTimeField()
    withdrawal_reason = serializers.CharField()


class DecisionDetailApi(OpenDataApi):
    """One published decision: its 双公示 items and every published version; a withdrawn one answers its notice
    (status "withdrawn", no party, no text)."""

    @extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="PublicDecision",
            serializers=[DecisionDetailOut, WithdrawalOut],
            resource_type_field_name=None,
        )
    )
    def get(self, request, publication_id: int):
        publication = selectors.public_get(publication_id)
        if publication.status == Publication.Status.WITHDRAWN:
            return Response(WithdrawalOut(publication).data)
        return Response(DecisionDetailOut(publication).data)


class RatesOut(serializers.Serializer):
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class KindRatesOut(RatesOut):
    kind = serializers.CharField(help_text="penalty（行政处罚）或 licence（行政许可）")
    label = serializers.CharField()


class ComplianceOut(RatesOut):
    agency = serializers.CharField(source="agency.name")
    code = serializers.CharField(source="agency.code")
    kinds = KindRatesOut(many=True, help_text="行政处罚、行政许可决定（7个工作日内公示）分列的数量和按时率")


class ComplianceApi(OpenDataApi):
    """Per agency (with those below it): decisions due, published on time, late, and still missing in a year, in all
    and for penalty and licence decisions apart (`kinds`)."""

    class Query(serializers.Serializer):
        year = serializers.IntegerField(required=False, min_value=2019, max_value=2100)

    @extend_schema(parameters=[Query], responses=ComplianceOut(many=True))
    def get(self, request):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        rows = selectors.compliance(
            Agency.objects.filter(is_active=True).order_by("path"),
            today=today,
            year=query.validated_data.get("year", today.year),
        )
        return Response(ComplianceOut(rows, many=True).data)
