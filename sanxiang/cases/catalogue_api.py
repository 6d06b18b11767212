"""API v1 for the violation catalogue (违法行为目录, one table the installation shares) and an agency's discretion
factors (裁量因素): every member of staff reads them (the factors of an agency in their scope); they are changed by the
workbench's services under its gates — the catalogue by the province's system administrators, an agency's factors by
its system administrators or those above — with bodies validated by the workbench's forms (403 for anyone else, 404
outside the caller's scope). Every change is a public ledger entry, as from the page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.selectors import MANAGE, agency_get_for_user
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.cases import selectors, services
from sanxiang.cases.catalogue_forms import FactorEditForm, FactorForm, ViolationForm, ViolationNewForm
from sanxiang.cases.discretion import own_or_inherited
from sanxiang.cases.models import Violation
from sanxiang.cases.services.catalogue import catalogue_keeper_require


class ViolationOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    basis = serializers.CharField()
    penalty_text = serializers.CharField()
    fine_basis = serializers.ChoiceField(choices=Violation.FineBasis.choices)
    fine_min = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    fine_max = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    multiple_min = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    multiple_max = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    multiple_of = serializers.CharField()
    start_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    source = serializers.CharField()


class ViolationListApi(Paged, APIView):
    """The catalogue by code, or a new entry (the province's system administrators)."""

    @extend_schema(responses=ViolationOut(many=True))
    def get(self, request):
        return self.page(request, Violation.objects.order_by("code"), ViolationOut)

    @extend_schema(request=schema_of(ViolationNewForm), responses={201: ViolationOut})
    def post(self, request):
        catalogue_keeper_require(request.user)
        violation = services.violation_create(actor=request.user, **validated(ViolationNewForm(request.data)))
        return Response(ViolationOut(violation).data, status=status.HTTP_201_CREATED)


class ViolationDetailApi(APIView):
    @extend_schema(responses=ViolationOut)
    def get(self, request, violation_id: int):
        return Response(ViolationOut(get_object_or_404(Violation, pk=violation_id)).data)


class ViolationUpdateApi(APIView):
    """Correct an entry (the province's system administrators): the whole entry as it should read, as the page's
    form sends it — an optional field left out is emptied; its code stays. 400 when nothing differs."""

    @extend_schema(request=schema_of(ViolationForm), responses=ViolationOut)
    def post(self, request, violation_id: int):
        catalogue_keeper_require(request.user)
        violation = get_object_or_404(Violation, pk=violation_id)
        data = validated(ViolationForm(request.data))
        return Response(ViolationOut(services.violation_update(actor=request.user, violation=violation, **data)).data)


class LevelOut(serializers.Serializer):
    label = serializers.CharField()
    weight = serializers.IntegerField(help_text="权重（百分点）")


class FactorOut(serializers.Serializer):
    id = serializers.IntegerField()
    benchmark = serializers.CharField(source="agency_code", help_text="制定该裁量基准的机关代码；空为平台默认")
    violation = serializers.CharField(
        source="violation.code", allow_null=True, default=None, help_text="适用的违法行为编号；空为全部违法行为"
    )
    name = serializers.CharField()
    levels = LevelOut(many=True)
    citation = serializers.CharField()


class FactorListApi(APIView):
    """The factors the agency applies — its own benchmark, or the nearest above it, or the platform's defaults — or
    a new one (its system administrators, or those above). The first change makes the inherited benchmark the
    agency's own copy, whose factors have new ids."""

    @extend_schema(responses=FactorOut(many=True))
    def get(self, request, agency_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id)
        return Response(FactorOut(own_or_inherited(agency), many=True).data)

    @extend_schema(request=schema_of(FactorForm), responses={201: FactorOut})
    def post(self, request, agency_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id, action=MANAGE)
        factor = services.discretion_factor_add(
            actor=request.user, agency=agency, **validated(FactorForm(request.data))
        )
        return Response(FactorOut(factor).data, status=status.HTTP_201_CREATED)


class FactorUpdateApi(APIView):
    """Change a factor the agency applies (it keeps its violation); an inherited one is changed in the agency's own
    copy, which the answer shows with its id."""

    @extend_schema(request=schema_of(FactorEditForm), responses=FactorOut)
    def post(self, request, agency_id: int, factor_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id, action=MANAGE)
        factor = selectors.discretion_factor_get(agency=agency, factor_id=factor_id)
        data = validated(FactorEditForm(request.data))
        changed = services.discretion_factor_update(actor=request.user, agency=agency, factor_id=factor.pk, **data)
        return Response(FactorOut(changed).data)


class FactorRemoveApi(APIView):
    """Remove a factor the agency applies (an inherited one from the agency's own copy)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, agency_id: int, factor_id: int):
        agency = agency_get_for_user(user=request.user, agency_id=agency_id, action=MANAGE)
        factor = selectors.discretion_factor_get(agency=agency, factor_id=factor_id)
        services.discretion_factor_remove(actor=request.user, agency=agency, factor_id=factor.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
