"""API v1 for pre-disclosure (事前公开): an agency's published items, for anyone."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from sanxiang.api.views import PublicApi
from sanxiang.disclosures import selectors


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
        agency = selectors.public_agency(code)
        rows = [row for section in selectors.public_items(agency) for row in section["rows"]]
        return Response(DisclosureOut(rows, many=True).data)
