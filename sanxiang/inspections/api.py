"""API v1 of the inspection items, their frequencies, the working rules and the inspector directory: staff read
those of the agencies they see, their keepers write; anyone reads what an agency publishes (the items in force with
their frequencies and the rules, and its inspectors)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.api import list_query
from sanxiang.agencies.imports import ImportApi
from sanxiang.agencies.selectors import MANAGE, agency_get_for_user, agency_public
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.api.views import PublicApi
from sanxiang.inspections import selectors, services
from sanxiang.inspections.forms import FrequencyForm, ItemForm, RulesForm
from sanxiang.powers.forms import WithdrawForm
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import IN_FORCE, WITHDRAWN


class FrequencyOut(serializers.Serializer):
    tier = serializers.CharField()
    tier_name = serializers.CharField(source="get_tier_display")
    draw_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    yearly_cap = serializers.IntegerField()
    citation = serializers.CharField()


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    code = serializers.CharField()
    name = serializers.CharField()
    power = serializers.CharField(source="power.code", help_text="所挂接的行政检查事项的编码")
    power_name = serializers.CharField(source="power.name")
    basis = serializers.CharField()
    subject = serializers.CharField()
    method = serializers.CharField()
    random = serializers.BooleanField()
    published_on = serializers.DateField()
    withdrawn_on = serializers.DateField(allow_null=True)
    frequencies = FrequencyOut(many=True, source="frequencies.all")


def _inspection_powers(user):
    """Every 行政检查 power of the agencies the caller sees: the service refuses one not in force, or of an agency
    the caller does not keep."""
    return Power.objects.filter(kind=PowerKind.INSPECTION).visible_to(user)


class ItemListApi(Paged, APIView):
    """The items of the agencies the caller sees, or add one under a 行政检查 power (the item belongs to the power's
    agency; its system administrators, or those above)."""

    class Filter(serializers.Serializer):
        agency = serializers.IntegerField(required=False)
        status = serializers.ChoiceField(choices=[IN_FORCE, WITHDRAWN], required=False)
        q = serializers.CharField(required=False, max_length=100)

    @extend_schema(parameters=[Filter], responses=ItemOut(many=True))
    def get(self, request):
        return self.page(request, selectors.items_for_user(request.user, **list_query(request, self.Filter)), ItemOut)

    @extend_schema(request=schema_of(ItemForm), responses={201: ItemOut})
    def post(self, request):
        data = validated(ItemForm(request.data, powers=_inspection_powers(request.user)))
        item = services.item_create(actor=request.user, agency=data["power"].agency, **data)
        return Response(ItemOut(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    @extend_schema(responses=ItemOut)
    def get(self, request, item_id: int):
        return Response(ItemOut(selectors.item_get_for_user(user=request.user, item_id=item_id)).data)


class ItemUpdateApi(APIView):
    """Correct an item: send it whole (its code stays), as it should read; only what differs is changed."""

    @extend_schema(request=schema_of(ItemForm), responses=ItemOut)
    def post(self, request, item_id: int):
        item = selectors.item_get_for_user(user=request.user, item_id=item_id)
        data = validated(ItemForm(request.data, powers=_inspection_powers(request.user), new=False))
        return Response(ItemOut(services.item_update(actor=request.user, item=item, **data)).data)


class ItemWithdrawApi(APIView):
    """取消: the item leaves the list from today, with the reason."""

    @extend_schema(request=schema_of(WithdrawForm), responses=ItemOut)
    def post(self, request, item_id: int):
        item = selectors.item_get_for_user(user=request.user, item_id=item_id)
        data = validated(WithdrawForm(request.data))
        return Response(ItemOut(services.item_withdraw(actor=request.user, item=item, **data)).data)


class FrequencySetApi(APIView):
    """抽查比例和频次 for one tier: the share drawn each year (0–100) and the most inspections a year (≥ 1), with
    the document that sets them; replaces what the tier had."""

    @extend_schema(request=schema_of(FrequencyForm), responses=ItemOut)
    def post(self, request, item_id: int):
        item = selectors.item_get_for_user(user=request.user, item_id=item_id)
        services.frequency_set(actor=request.user, item=item, **validated(FrequencyForm(request.data)))
        return Response(ItemOut(selectors.item_get_for_user(user=request.user, item_id=item_id)).data)


class ItemImportApi(ImportApi):
    """Import an agency's items with their frequency per tier (columns as the workbench's import page lists them):
    a code the agency has updates that item. All or nothing."""

    service = services.items_import


class RulesOut(serializers.Serializer):
    title = serializers.CharField()
    document_number = serializers.CharField()
    adopted_on = serializers.DateField()
    text = serializers.CharField()


class RulesApi(APIView):
    """抽查工作细则 of an agency the caller sees (404 while it has none); or publish a new text (its keepers)."""

    @extend_schema(responses=RulesOut)
    def get(self, request, agency_id: int):
        rules = selectors.rules_of(agency_get_for_user(user=request.user, agency_id=agency_id))
        if rules is None:
            raise NotFound("该机关尚未公布抽查工作细则。")
        return Response(RulesOut(rules).data)

    @extend_schema(request=schema_of(RulesForm), responses=RulesOut)
    def post(self, request, agency_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id, action=MANAGE)
        data = validated(RulesForm(request.data))
        return Response(RulesOut(services.rules_set(actor=request.user, agency=agency, **data)).data)


class InspectorOut(serializers.Serializer):
    full_name = serializers.CharField(source="holder.full_name")
    certificate = serializers.CharField(source="number")
    domain = serializers.CharField(source="get_domain_display")
    expires_on = serializers.DateField()


class InspectorListApi(APIView):
    """执法检查人员名录库: the inspectors an agency the caller sees may draw today."""

    @extend_schema(responses=InspectorOut(many=True))
    def get(self, request, agency_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id)
        return Response(InspectorOut(selectors.inspectors(agency, today=timezone.localdate()), many=True).data)


class PublicItemsOut(serializers.Serializer):
    items = ItemOut(many=True)
    rules = RulesOut(allow_null=True)


class PublicItemsApi(PublicApi):
    """事前公开 item 5: an agency's 双随机抽查事项清单 in force today, with their frequencies and the 抽查工作细则."""

    @extend_schema(responses=PublicItemsOut)
    def get(self, request, code: str):
        agency = agency_public(code)
        items = selectors.items_public(agency).select_related("agency")
        return Response(PublicItemsOut({"items": items, "rules": selectors.rules_of(agency)}).data)


class PublicInspectorListApi(PublicApi):
    """An agency's inspectors today, as its public officer list shows them (anyone)."""

    @extend_schema(responses=InspectorOut(many=True))
    def get(self, request, code: str):
        agency = agency_public(code)
        return Response(InspectorOut(selectors.inspectors(agency, today=timezone.localdate()), many=True).data)
