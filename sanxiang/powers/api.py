"""API v1 of the powers catalogue: staff read the catalogues of the agencies they see, and those who keep one add,
correct, withdraw and import its powers; anyone reads an agency's powers in force."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.api import list_query
from sanxiang.agencies.imports import ImportApi
from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import agency_public
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.api.views import PublicApi
from sanxiang.powers import selectors, services
from sanxiang.powers.forms import PowerForm, WithdrawForm
from sanxiang.powers.models import PowerKind


class PowerOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    code = serializers.CharField()
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    basis = serializers.CharField()
    unit = serializers.CharField()
    published_on = serializers.DateField()
    withdrawn_on = serializers.DateField(allow_null=True)


class Hung(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class HungLine(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()


class PowerDetailOut(PowerOut):
    violations = Hung(many=True, source="violations.all", help_text="挂接的违法行为（违法行为目录）")
    review_rules = HungLine(many=True, source="review_rules.all", help_text="挂接的法制审核目录事项")
    inspection_items = Hung(many=True, source="inspection_items.all", help_text="挂接的检查事项")


class PowerListApi(Paged, APIView):
    """The powers of the agencies the caller sees; or add one (the agency's system administrators, or those above)."""

    class Filter(serializers.Serializer):
        agency = serializers.IntegerField(required=False)
        kind = serializers.ChoiceField(choices=PowerKind.choices, required=False)
        status = serializers.ChoiceField(choices=[selectors.IN_FORCE, selectors.WITHDRAWN], required=False)
        q = serializers.CharField(required=False, max_length=100)

    @extend_schema(parameters=[Filter], responses=PowerOut(many=True))
    def get(self, request):
        return self.page(request, selectors.powers_for_user(request.user, **list_query(request, self.Filter)), PowerOut)

    @extend_schema(request=schema_of(PowerForm), responses={201: PowerDetailOut})
    def post(self, request):
        data = validated(PowerForm(request.data, agencies=Agency.objects.visible_to(request.user)))
        power = services.power_create(actor=request.user, **data)
        return Response(PowerDetailOut(power).data, status=status.HTTP_201_CREATED)


class PowerDetailApi(APIView):
    """A power with the catalogues that hang on it."""

    @extend_schema(responses=PowerDetailOut)
    def get(self, request, power_id: int):
        return Response(PowerDetailOut(selectors.power_get_for_user(user=request.user, power_id=power_id)).data)


class PowerUpdateApi(APIView):
    """Correct a power: send it whole, as it should read; only what differs is changed (400 when nothing does)."""

    @extend_schema(request=schema_of(PowerForm), responses=PowerDetailOut)
    def post(self, request, power_id: int):
        power = selectors.power_get_for_user(user=request.user, power_id=power_id)
        data = validated(PowerForm(request.data))
        return Response(PowerDetailOut(services.power_update(actor=request.user, power=power, **data)).data)


class PowerWithdrawApi(APIView):
    """取消: the power leaves the catalogue from today, with the reason."""

    @extend_schema(request=schema_of(WithdrawForm), responses=PowerDetailOut)
    def post(self, request, power_id: int):
        power = selectors.power_get_for_user(user=request.user, power_id=power_id)
        data = validated(WithdrawForm(request.data))
        return Response(PowerDetailOut(services.power_withdraw(actor=request.user, power=power, **data)).data)


class PowerImportApi(ImportApi):
    """Import an agency's catalogue (columns: 事项编码, 事项类型, 事项名称, 设定和实施依据, 承办机构, 公布日期): a code
    the agency has updates that power. All or nothing."""

    service = services.powers_import


class PublicPowerListApi(PublicApi):
    """事前公开: an agency's powers in force today, by kind (anyone; no login)."""

    @extend_schema(responses=PowerOut(many=True))
    def get(self, request, code: str):
        agency = agency_public(code)
        powers = selectors.powers_in_force(agency, on=timezone.localdate()).select_related("agency")
        return Response(PowerOut(powers.order_by("kind", "code"), many=True).data)
