"""API v1 for pre-disclosure (事前公开): an agency's published items, for anyone; and for its staff, an item as it
stands (with the version waiting), a new item (采集), and each move of the item's Workflow — review, publish, collect a
new version, withdraw — under the same gates as the workbench (the services check them: 403 outside the agency's
own staff or roles, 404 outside the caller's scope, 409 for a stale version)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.selectors import agency_public
from sanxiang.api.actions import action_endpoints
from sanxiang.api.views import PublicApi
from sanxiang.disclosures import selectors, services
from sanxiang.disclosures.actions import WORKFLOW
from sanxiang.disclosures.forms import NewItemForm


class DisclosureOut(serializers.Serializer):
    id = serializers.IntegerField(source="disclosure.pk")
    category = serializers.CharField(source="disclosure.category")
    category_name = serializers.CharField(source="disclosure.get_category_display")
    version = serializers.IntegerField(source="current.number")
    title = serializers.CharField(source="current.title")
    body = serializers.CharField(source="current.body")
    note = serializers.CharField(source="current.note")
    published_at = serializers.DateTimeField(source="current.published_at")
    ledger_index = serializers.IntegerField(source="current.ledger_index", allow_null=True)


class DisclosuresApi(PublicApi):
    """事前公开: an agency's published pre-disclosure items in the plan's six categories (latest published version
    of each). The sections drawn from live data — catalogue, discretion tables, officers — have their own pages."""

    @extend_schema(responses=DisclosureOut(many=True))
    def get(self, request, code: str):
        agency = agency_public(code)
        rows = [row for section in selectors.public_items(agency) for row in section["rows"]]
        return Response(DisclosureOut(rows, many=True).data)


class DisclosureVersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    note = serializers.CharField()
    collected_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class DisclosureStaffOut(serializers.Serializer):
    """An item as its agency's staff see it: every version, newest first (the first one not published is waiting),
    and the moves the caller may make now."""

    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    category = serializers.ChoiceField(choices=NewItemForm.base_fields["category"].choices)
    status = serializers.CharField()
    title = serializers.CharField()
    order = serializers.IntegerField()
    version = serializers.IntegerField(help_text="事项的版本号：审核、发布、采集新版本和撤下时作为 version 提交")
    versions = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(DisclosureVersionOut(many=True))
    def get_versions(self, disclosure) -> list:
        return DisclosureVersionOut(selectors.versions_for_staff(disclosure), many=True).data

    def get_actions(self, disclosure) -> list[str]:
        return [action.name for action in WORKFLOW.offered(self.context["user"], disclosure)]


class DisclosureCreateIn(serializers.Serializer):
    agency = serializers.CharField(max_length=12, help_text="机关代码，须为调用者本机关")
    category = serializers.ChoiceField(choices=NewItemForm.base_fields["category"].choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(help_text="纯文本；空行分段")
    order = serializers.IntegerField(min_value=0, max_value=999, required=False)


class DisclosureCreateApi(APIView):
    """采集 a new item of the caller's own agency (any of its active staff); it waits for review by a head or
    publicity clerk other than the collector."""

    @extend_schema(request=DisclosureCreateIn, responses={201: DisclosureStaffOut})
    def post(self, request):
        body = DisclosureCreateIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        text = services.disclosure_collect(
            actor=request.user,
            agency=selectors.agency_get_for_user(user=request.user, code=data["agency"]),
            category=data["category"],
            title=data["title"],
            body=data["body"],
            order=data.get("order", 0),
        )
        out = DisclosureStaffOut(text.disclosure, context={"user": request.user})
        return Response(out.data, status=status.HTTP_201_CREATED)


class DisclosureDetailApi(APIView):
    @extend_schema(responses=DisclosureStaffOut)
    def get(self, request, disclosure_id: int):
        disclosure = selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
        return Response(DisclosureStaffOut(disclosure, context={"user": request.user}).data)


def action_patterns() -> list:
    """POST disclosures/{id}/{review|publish|collect|withdraw}."""
    return action_endpoints(
        workflow=WORKFLOW,
        gate=selectors.disclosure_get_for_user,
        key="disclosure_id",
        detail=DisclosureStaffOut,
        prefix="disclosures",
        name="disclosure",
        operation="disclosures",
    )
