"""API v1 for legal review: the queue, reviews with their rounds, submission of a case or a licence application,
every review action, statistics, and an agency's catalogue of major decisions (法制审核目录清单), kept by its system
administrators as on the page. A review names the case it is about, or the application (number, licence type and
applicant); the fields of the other are null.

Action bodies are validated by the workbench's forms; the opinion takes its nine points as an object
`items: {code: {result, comment}}`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.selectors import MANAGE, agency_get_for_user
from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import NewestFirst, Paged
from sanxiang.cases.selectors import case_get_for_user
from sanxiang.licensing.selectors import application_get_for_user
from sanxiang.review import selectors, services
from sanxiang.review.actions import WORKFLOW
from sanxiang.review.catalogue import catalogue_for, reviewed_powers
from sanxiang.review.forms import RuleForm, SubmitForm
from sanxiang.review.models import ITEM_CODES, Review, ReviewRule


class RoundOut(serializers.Serializer):
    number = serializers.IntegerField()
    submitted_by = serializers.CharField(source="submitted_by.full_name")
    submitted_at = serializers.DateTimeField()
    statement = serializers.CharField()
    response = serializers.CharField()
    due_on = serializers.DateField()
    due_provisional = serializers.BooleanField()
    extended = serializers.BooleanField()
    extension_reason = serializers.CharField()
    reviewer = serializers.CharField(source="reviewer.full_name", allow_null=True, default=None)
    prechecks = serializers.DictField()
    materials = serializers.DictField()
    items = serializers.DictField()
    outcome = serializers.CharField()
    corrections = serializers.CharField()
    opinion = serializers.CharField()
    opinion_document = serializers.CharField(source="opinion_document.number", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)


class QueueOut(RoundOut):
    review = serializers.IntegerField(source="review_id")
    case = serializers.CharField(source="review.case.number", allow_null=True, default=None)
    application = serializers.CharField(source="review.application.number", allow_null=True, default=None)
    licence_type = serializers.CharField(source="review.application.licence_type.name", allow_null=True, default=None)
    party = serializers.CharField(source="review.party_name", help_text="当事人，或许可申请的申请人")
    precheck_counts = serializers.DictField()
    materials = None  # the queue is a list: the materials are read with the review


class CoordinationOut(serializers.Serializer):
    round = serializers.IntegerField(source="round.number")
    contested_by = serializers.CharField(source="contested_by.full_name")
    reason = serializers.CharField()
    contested_at = serializers.DateTimeField()
    decision = serializers.CharField()
    note = serializers.CharField()
    collective_discussion_on = serializers.DateField(source="discussion.held_on", allow_null=True, default=None)
    decided_by = serializers.CharField(source="decided_by.full_name", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)


class ReviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.CharField(source="case.number", allow_null=True, default=None)
    application = serializers.IntegerField(source="application_id", allow_null=True)
    application_number = serializers.CharField(source="application.number", allow_null=True, default=None)
    licence_type = serializers.CharField(source="application.licence_type.name", allow_null=True, default=None)
    applicant = serializers.CharField(source="application.applicant_name", allow_null=True, default=None)
    agency = serializers.CharField(source="agency.name")
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ReviewDetailOut(ReviewOut):
    rounds = RoundOut(many=True, source="rounds.all")
    coordinations = CoordinationOut(many=True, source="coordinations.all")
    actions = serializers.SerializerMethodField()

    def get_actions(self, review) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], review)]


class ReviewListApi(Paged, APIView):
    """Reviews of the caller's agencies, newest first."""

    pagination_class = NewestFirst

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=Review.Status.choices, required=False)

    @extend_schema(parameters=[Filter], responses=ReviewOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.page(
            request, selectors.reviews_for_user(request.user, status=query.validated_data.get("status", "")), ReviewOut
        )


class QueueApi(APIView):
    """The reviewer's queue: the latest round of each review waiting for an opinion, earliest due first."""

    @extend_schema(responses=QueueOut(many=True))
    def get(self, request):
        return Response(QueueOut(selectors.queue_for_user(request.user), many=True).data)


class ReviewDetailApi(APIView):
    @extend_schema(responses=ReviewDetailOut)
    def get(self, request, review_id: int):
        review = selectors.review_get_for_user(user=request.user, review_id=review_id)
        return Response(ReviewDetailOut(review, context={"user": request.user}).data)


class SubmitApi(APIView):
    """送审: the handling unit sends the case, affirming its materials are true, accurate and complete."""

    @extend_schema(request=schema_of(SubmitForm), responses={201: ReviewDetailOut})
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        data = validated(SubmitForm(request.data))
        review = services.review_submit(actor=request.user, case=case, affirmed=data["affirmed"])
        return Response(ReviewDetailOut(review, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class SubmitApplicationApi(APIView):
    """送审 of a major licence decision: the application's officers or a head send it, affirming its materials."""

    @extend_schema(request=schema_of(SubmitForm), responses={201: ReviewDetailOut})
    def post(self, request, application_id: int):
        application = application_get_for_user(user=request.user, application_id=application_id)
        data = validated(SubmitForm(request.data))
        review = services.review_submit_application(
            actor=request.user, application=application, affirmed=data["affirmed"]
        )
        return Response(ReviewDetailOut(review, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


def _flatten_items(request, action):
    """The opinion's `items` object as the form's item_<code> / comment_<code> fields."""
    data = request.data
    if action.name != "opinion":
        return data
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        raise ValidationError({"items": "请以对象形式提交九项审核内容：{代码: {result, comment}}。"})
    flat = {key: value for key, value in data.items() if key != "items"}
    for code in ITEM_CODES:
        entry = items.get(code) if isinstance(items.get(code), dict) else {}
        flat[f"item_{code}"], flat[f"comment_{code}"] = entry.get("result", ""), entry.get("comment", "")
    return flat


class OpinionBody(serializers.Serializer):
    items = serializers.DictField(
        child=serializers.DictField(), help_text="{代码: {result: conforms|problem|n/a, comment}}"
    )
    outcome = serializers.ChoiceField(choices=["agree", "problems"])
    opinion = serializers.CharField()
    corrections = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False)


def action_patterns() -> list:
    """POST reviews/{id}/{action} for every step of a review; the opinion takes its nine points as an object."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=selectors.review_get_for_user,
        key="review_id",
        detail=ReviewDetailOut,
        prefix="reviews",
        name="review",
        operation="reviews",
        bodies={"opinion": OpinionBody},
        reshape=_flatten_items,
    )


class StatisticsOut(serializers.Serializer):
    agency = serializers.CharField()
    year = serializers.IntegerField()
    reviews = serializers.IntegerField()
    open = serializers.IntegerField()
    agreed = serializers.IntegerField()
    overruled = serializers.IntegerField()
    first_round_pass_rate = serializers.FloatField(allow_null=True)
    average_rounds = serializers.FloatField(allow_null=True)
    median_workdays = serializers.FloatField(allow_null=True)


class StatisticsApi(APIView):
    """Review statistics of one agency (with the agencies below it) for one year."""

    class Query(serializers.Serializer):
        year = serializers.IntegerField(required=False, min_value=2019, max_value=2100)

    @extend_schema(parameters=[Query], responses=StatisticsOut)
    def get(self, request, agency_id: int):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        agency = agency_get_for_user(user=request.user, agency_id=agency_id)
        year = query.validated_data.get("year", timezone.localdate().year)
        return Response(StatisticsOut({"agency": agency.name, **selectors.statistics_for(agency, year=year)}).data)


class RulePowerOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ReviewRuleOut(serializers.Serializer):
    id = serializers.IntegerField()
    catalogue = serializers.CharField(source="agency_code", help_text="制定该目录清单的机关代码")
    kind = serializers.ChoiceField(choices=ReviewRule.Kind.choices)
    value = serializers.CharField(help_text="金额（元）或处罚种类；其他情形为空")
    description = serializers.CharField()
    citation = serializers.CharField()
    power = RulePowerOut(
        allow_null=True,
        help_text="该目录事项挂接的行政处罚、行政强制或（作出该项行政许可决定的）行政许可事项；未挂接时为 null",
    )


class ReviewCatalogueApi(APIView):
    """The lines of the catalogue the agency applies — its own, or the nearest above it — or a new line (its system
    administrators, or those above). The first line added makes the inherited list the agency's own copy, whose
    lines have new ids."""

    @extend_schema(responses=ReviewRuleOut(many=True))
    def get(self, request, agency_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id)
        return Response(ReviewRuleOut(catalogue_for(agency), many=True).data)

    @extend_schema(request=schema_of(RuleForm), responses={201: ReviewRuleOut})
    def post(self, request, agency_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id, action=MANAGE)
        data = validated(RuleForm(request.data, powers=reviewed_powers(agency)))
        rule = services.review_rule_add(actor=request.user, agency=agency, **data)
        return Response(ReviewRuleOut(rule).data, status=status.HTTP_201_CREATED)


class ReviewRuleRemoveApi(APIView):
    """Remove a line of the agency's own catalogue; an inherited line is refused (400): the agency adds a line of
    its own first, which copies the list."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, agency_id: int, rule_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id, action=MANAGE)
        rule = selectors.review_rule_get(agency=agency, rule_id=rule_id)
        services.review_rule_remove(actor=request.user, agency=agency, rule_id=rule.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
