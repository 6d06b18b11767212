"""API v1 of online monitoring: staff read the points of the agencies they see (with devices, limits, marks and a
pollutant's series over a range), their keepers register and record through the same services as the pages, the
installation's administrators read the quarantine's summary; anyone reads the published device locations (第四十一条)
as open data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.selectors import agency_public
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.pagination import Paged
from sanxiang.api.views import OpenDataApi
from sanxiang.monitoring import pollutants, registry, selectors
from sanxiang.monitoring.forms import (
    DeviceForm,
    DeviceRetireBody,
    DeviceReviewBody,
    LimitForm,
    MarkForm,
    PublishLocationForm,
)


class DeviceOut(serializers.Serializer):
    id = serializers.IntegerField()
    mn = serializers.CharField()
    maker = serializers.CharField()
    model = serializers.CharField()
    installed_on = serializers.DateField()
    review_passed_on = serializers.DateField(allow_null=True, help_text="法制和技术审核通过日期；空为未审核")
    review_reference = serializers.CharField()
    retired_on = serializers.DateField(allow_null=True)


class PointOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    party = serializers.CharField(source="party.name")
    outlet_code = serializers.CharField()
    name = serializers.CharField()
    medium = serializers.CharField()
    medium_label = serializers.CharField(source="get_medium_display")
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    location_published_on = serializers.DateField(allow_null=True)
    devices = DeviceOut(many=True, source="devices.all")


class LimitOut(serializers.Serializer):
    id = serializers.IntegerField()
    pollutant = serializers.CharField()
    averaging = serializers.CharField()
    value = serializers.DecimalField(max_digits=12, decimal_places=4)
    unit = serializers.CharField()
    source = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class MarkOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()
    entered_at = serializers.DateTimeField()


class PointListApi(Paged, APIView):
    """The points of the agencies the caller sees, with their devices."""

    class Filter(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100, help_text="排污单位名称或排放口编号")

    @extend_schema(parameters=[Filter], responses=PointOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        points = selectors.points_for_user(request.user, search=query.validated_data.get("q", ""))
        return self.page(request, points, PointOut)


class PointDetailApi(APIView):
    @extend_schema(responses=PointOut)
    def get(self, request, point_id: int):
        return Response(PointOut(selectors.point_get_for_user(user=request.user, point_id=point_id)).data)


class PublishLocationApi(APIView):
    """第四十一条第一款: publish the point's location from a date (once)."""

    @extend_schema(request=schema_of(PublishLocationForm), responses=PointOut)
    def post(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        data = validated(PublishLocationForm(request.data))
        return Response(PointOut(registry.point_publish_location(actor=request.user, point=point, **data)).data)


class SampleOut(serializers.Serializer):
    at = serializers.DateTimeField()
    value = serializers.FloatField(allow_null=True)
    flag = serializers.CharField(help_text="HJ 212 数据标记（N 正常、S 手工设定值，其余无效）；空为无数据")
    skewed = serializers.BooleanField(help_text="设备时钟偏差超限，不采信")
    count = serializers.IntegerField(help_text="所含分钟值个数")
    invalid = serializers.IntegerField(help_text="其中无效的个数")


class SeriesOut(serializers.Serializer):
    pollutant = serializers.CharField(source="pollutant.code")
    name = serializers.CharField(source="pollutant.name")
    unit = serializers.CharField(source="pollutant.unit")
    bucket = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    missing_minutes = serializers.IntegerField()
    samples = SampleOut(many=True)
    limit = LimitOut(allow_null=True)
    marks = MarkOut(many=True)


class SeriesApi(APIView):
    """A pollutant's minute values at a point over a range (bucket minute, at most 2 days) or their hourly means
    (bucket hour, at most 31 days); every step is listed, without a value where nothing came."""

    class Query(serializers.Serializer):
        pollutant = serializers.CharField(max_length=8, help_text="HJ 212-2017 污染物编码，如 a21026")
        start = serializers.DateTimeField(required=False, help_text="起始时间（ISO 8601），默认 24 小时前")
        end = serializers.DateTimeField(required=False, help_text="结束时间（ISO 8601），默认现在")
        bucket = serializers.ChoiceField(choices=[selectors.MINUTE, selectors.HOUR], required=False)

        def validate_pollutant(self, value):
            if value not in pollutants.BY_CODE:
                raise serializers.ValidationError(_("未知的污染物编码。"))
            return value

        def validate(self, attrs):
            end = attrs.get("end") or timezone.now()
            start = attrs.get("start") or end - dt.timedelta(hours=24)
            if start >= end:
                raise serializers.ValidationError({"start": _("起始时间应早于结束时间。")})
            bucket = attrs.get("bucket") or (
                selectors.MINUTE if end - start <= selectors.LONGEST[selectors.MINUTE] else selectors.HOUR
            )
            if end - start > selectors.LONGEST[bucket]:
                longest = {selectors.MINUTE: _("分钟值最长 2 天"), selectors.HOUR: _("小时均值最长 31 天")}[bucket]
                raise serializers.ValidationError({"end": _("时间范围过长：%(longest)s。") % {"longest": longest}})
            return {"pollutant": attrs["pollutant"], "start": start, "end": end, "bucket": bucket}

    @extend_schema(parameters=[Query], responses=SeriesOut)
    def get(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        series = selectors.series(point=point, **args)
        limit = selectors.limit_in_force(point, args["pollutant"], timezone.localdate(args["end"]))
        marks = selectors.marks_between(point, args["start"], args["end"])
        return Response(SeriesOut(vars(series) | {"limit": limit, "marks": marks}).data)


class MarkListApi(APIView):
    """The marks of a point (newest first, at most 200), or record one (its keepers)."""

    @extend_schema(responses=MarkOut(many=True))
    def get(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        return Response(MarkOut(point.marks.order_by("-starts_at")[:200], many=True).data)

    @extend_schema(request=schema_of(MarkForm), responses={201: MarkOut})
    def post(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        mark = registry.mark_record(actor=request.user, point=point, **validated(MarkForm(request.data)))
        return Response(MarkOut(mark).data, status=status.HTTP_201_CREATED)


class LimitListApi(APIView):
    """The limits of a point with their sources, or set one (its keepers)."""

    @extend_schema(responses=LimitOut(many=True))
    def get(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        return Response(LimitOut(selectors.limits_of(point), many=True).data)

    @extend_schema(request=schema_of(LimitForm), responses={201: LimitOut})
    def post(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        data = validated(LimitForm(request.data, medium=point.medium))
        return Response(LimitOut(registry.limit_set(actor=request.user, point=point, **data)).data, status=201)


class DeviceListApi(APIView):
    """The devices of a point with their review, or register one (its keepers)."""

    @extend_schema(responses=DeviceOut(many=True))
    def get(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        return Response(DeviceOut(point.devices.all(), many=True).data)

    @extend_schema(request=schema_of(DeviceForm), responses={201: DeviceOut})
    def post(self, request, point_id: int):
        point = selectors.point_get_for_user(user=request.user, point_id=point_id)
        device = registry.device_register(actor=request.user, point=point, **validated(DeviceForm(request.data)))
        return Response(DeviceOut(device).data, status=status.HTTP_201_CREATED)


class DeviceReviewApi(APIView):
    """第四十一条第一款: record that the device passed the legal and technical review (the agency's head)."""

    @extend_schema(request=schema_of(DeviceReviewBody), responses=DeviceOut)
    def post(self, request, device_id: int):
        device = selectors.device_get_for_user(user=request.user, device_id=device_id)
        data = validated(DeviceReviewBody(request.data))
        return Response(DeviceOut(registry.device_review(actor=request.user, device=device, **data)).data)


class DeviceRetireApi(APIView):
    """停用: from the date the device's packets are refused (its keepers)."""

    @extend_schema(request=schema_of(DeviceRetireBody), responses=DeviceOut)
    def post(self, request, device_id: int):
        device = selectors.device_get_for_user(user=request.user, device_id=device_id)
        data = validated(DeviceRetireBody(request.data))
        return Response(DeviceOut(registry.device_retire(actor=request.user, device=device, **data)).data)


class QuarantineReasonOut(serializers.Serializer):
    reason = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    latest = serializers.DateTimeField()


class QuarantineSummaryApi(APIView):
    """Refused packets counted by reason (the province's system and security administrators)."""

    @extend_schema(responses=QuarantineReasonOut(many=True))
    def get(self, request):
        refused = selectors.quarantine_for_user(request.user)
        return Response(QuarantineReasonOut(selectors.quarantine_summary(refused), many=True).data)


class LocationOut(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    agency_code = serializers.CharField(source="agency.code")
    party = serializers.CharField(source="party.name")
    outlet_code = serializers.CharField()
    name = serializers.CharField()
    medium = serializers.CharField(source="get_medium_display")
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    location_published_on = serializers.DateField()
    devices = serializers.SerializerMethodField()

    def get_devices(self, point) -> list[dict]:
        return [{"mn": d.mn, "review_passed_on": d.review_passed_on} for d in point.devices.all()]


class PublicLocationsApi(Paged, OpenDataApi):
    """自动监测设备设置地点公示 (第四十一条第一款): the published points with their devices in use and the date each
    passed its review; `agency` (a code) keeps that agency's and those below it."""

    class Filter(serializers.Serializer):
        agency = serializers.CharField(required=False, max_length=20)

    @extend_schema(parameters=[Filter], responses=LocationOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = query.validated_data.get("agency")
        agency = agency_public(code) if code else None
        return self.page(request, selectors.locations_public(agency=agency), LocationOut)
