"""API v1 of the regulated-entity directory (监管对象名录库) — search, a party, registration, correction and import —
and of the violations hung on a penalty power (挂接)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.api import list_query
from sanxiang.agencies.imports import ImportApi
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.cases import selectors, services
from sanxiang.cases.api import PartyOut
from sanxiang.cases.directory_forms import PartyCorrectForm, PartyForm, PowerViolationsForm
from sanxiang.cases.models import Tier
from sanxiang.powers.selectors import power_get_for_user


class PartyDetailOut(PartyOut):
    agency = serializers.CharField(source="agency.code")
    address = serializers.CharField()
    legal_representative = serializers.CharField()
    phone = serializers.CharField()


class PartyListApi(Paged, APIView):
    """The directory of the agencies the caller sees, or register a party in the caller's agency (its officers
    and heads)."""

    class Filter(serializers.Serializer):
        q = serializers.CharField(
            required=False,
            max_length=100,
            help_text="名称中的字词、统一社会信用代码或排污许可证编号；列出最近登记的 200 个匹配",
        )
        agency = serializers.IntegerField(required=False)
        division = serializers.RegexField(r"^\d{2,6}$", required=False, help_text="区划代码的前几位，如 2301")
        tier = serializers.ChoiceField(choices=Tier.choices, required=False)
        industry = serializers.CharField(required=False, max_length=60)

    @extend_schema(parameters=[Filter], responses=PartyOut(many=True))
    def get(self, request):
        return self.page(
            request, selectors.parties_for_user(request.user, **list_query(request, self.Filter)), PartyOut
        )

    @extend_schema(request=schema_of(PartyForm), responses={201: PartyOut})
    def post(self, request):
        if request.user.agency is None:
            raise ValidationError("平台账号不属于任何机关，不能登记当事人。")
        party = services.party_create(
            actor=request.user, agency=request.user.agency, **validated(PartyForm(request.data))
        )
        return Response(PartyOut(party).data, status=status.HTTP_201_CREATED)


class PartyDetailApi(APIView):
    @extend_schema(responses=PartyDetailOut)
    def get(self, request, party_id: int):
        return Response(PartyDetailOut(selectors.party_get_for_user(user=request.user, party_id=party_id)).data)


class PartyCorrectApi(APIView):
    """更正当事人信息: the registering agency's officers and heads send the whole record as it should read, with the
    reason; only the fields that differ are corrected (403 for anyone else, 400 when nothing differs)."""

    @extend_schema(request=schema_of(PartyCorrectForm), responses={200: PartyOut})
    def post(self, request, party_id: int):
        party = selectors.party_get_for_user(user=request.user, party_id=party_id)
        data = validated(PartyCorrectForm(request.data))
        return Response(PartyOut(services.party_correct(actor=request.user, party=party, **data)).data)


class PartyImportApi(ImportApi):
    """Import enterprises into an agency's directory (columns: 名称, 统一社会信用代码, 类别, 地址, 区划代码, 行业,
    排污许可证编号, 分级分类, 重点排污单位, 法定代表人, 联系电话): a code the directory holds updates that party, as a
    correction. By the agency's officers and heads; all or nothing."""

    service = services.parties_import


class PowerViolationsOut(serializers.Serializer):
    power = serializers.IntegerField(source="pk")
    violations = serializers.SerializerMethodField(help_text="挂接的违法行为的编号")

    def get_violations(self, power) -> list[str]:
        return sorted(power.violations.values_list("code", flat=True))


class PowerViolationsApi(APIView):
    """挂接: the violations (by id) of the shared catalogue that a penalty power punishes; the list replaces the one
    before. By those who keep the agency's powers."""

    @extend_schema(request=schema_of(PowerViolationsForm), responses=PowerViolationsOut)
    def post(self, request, power_id: int):
        power = power_get_for_user(user=request.user, power_id=power_id)
        data = validated(PowerViolationsForm(request.data))
        return Response(PowerViolationsOut(services.power_violations_set(actor=request.user, power=power, **data)).data)
