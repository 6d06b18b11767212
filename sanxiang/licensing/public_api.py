"""The public part of licensing's API v1 (no login): an agency's 办事指南, the progress of an application by its number
— the facts of the portal's 办理进度查询, never the applicant's name, contact or ID number — and an online application,
rate-limited per address together with the portal's form."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from sanxiang.agencies.selectors import agency_public
from sanxiang.api.forms import schema_of, validated
from sanxiang.api.throttling import LicenceApplicationRateThrottle
from sanxiang.api.views import PublicApi
from sanxiang.licensing import selectors, services
from sanxiang.licensing.api import LicenceTypeOut
from sanxiang.licensing.forms import ApplicationForm
from sanxiang.licensing.models import Application


class TermOut(serializers.Serializer):
    value = serializers.IntegerField(source="number")
    display = serializers.CharField(help_text="如“5 个工作日”")
    citation = serializers.CharField()


class TermsOut(serializers.Serializer):
    accept = TermOut(help_text="决定是否受理的期限（《行政许可法》第三十二条）")
    extension = TermOut(help_text="经负责人批准可延长的期限（第四十二条）")
    service = TermOut(help_text="颁发、送达许可证件的期限（第四十四条）")


class GuideOut(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    terms = TermsOut()
    types = LicenceTypeOut(many=True)


class PublicGuideApi(PublicApi):
    """行政许可办事指南: an active agency's licence types in force, with their materials and periods (404 for any other
    agency)."""

    @extend_schema(responses=GuideOut)
    def get(self, request, agency_code: str):
        agency = agency_public(agency_code)
        guide = {"agency": agency, "terms": selectors.guide_terms(agency), "types": selectors.guide(agency)}
        return Response(GuideOut(guide).data)


class StepOut(serializers.Serializer):
    label = serializers.CharField(help_text="办理环节")
    on = serializers.DateField()


class ProgressOut(serializers.Serializer):
    """办理进度: what anyone holding the number may see."""

    number = serializers.CharField()
    agency = serializers.CharField(source="agency_code")
    agency_name = serializers.CharField(source="agency")
    licence_type = serializers.CharField(source="type_code")
    licence_type_name = serializers.CharField(source="licence_type")
    kind = serializers.CharField(help_text="新申请、变更或延续")
    status = serializers.CharField(source="state")
    status_label = serializers.CharField(source="status")
    received_on = serializers.DateField()
    accept_due_on = serializers.DateField(help_text="决定是否受理的期限（《行政许可法》第三十二条）")
    accepted_on = serializers.DateField(allow_null=True)
    deemed_accepted = serializers.BooleanField(help_text="逾期未告知，自收到申请材料之日起即为受理（第三十二条）")
    decision_due_on = serializers.DateField(allow_null=True)
    limit_days = serializers.CharField(help_text="办理时限，如“20工作日”")
    limit_citation = serializers.CharField()
    extended = serializers.BooleanField(help_text="经负责人批准已延长（第四十二条）")
    paused_days = serializers.IntegerField(help_text="不计算在期限内的期间（第四十五条）")
    unit = serializers.CharField(
        source="unit_words", help_text="办理时限及已用、剩余天数的单位：个工作日，或法律按日计算的事项为“日”"
    )
    working_days_used = serializers.IntegerField(
        allow_null=True, help_text="受理后已用的天数，以 unit 计（不含中止的期间）"
    )
    working_days_left = serializers.IntegerField(
        allow_null=True, help_text="距决定期限的天数，以 unit 计（已决定的，为决定时余下的；负数为已超过期限）"
    )
    decided_on = serializers.DateField(allow_null=True)
    deemed_granted = serializers.BooleanField(help_text="逾期未决定，视为准予延续（第五十条）")
    served_on = serializers.DateField(allow_null=True)
    steps = StepOut(many=True)


class PublicProgressApi(PublicApi):
    """办理进度查询 by the application's number (404 for an unknown number, with nothing else)."""

    @extend_schema(responses=ProgressOut)
    def get(self, request, number: str):
        return Response(ProgressOut(selectors.progress(number)).data)


class PublicTypeForm(forms.Form):
    """Which 办事指南 entry an online application is for: the agency's code and the type's code."""

    agency = forms.CharField(label=_("机关代码"), max_length=12)
    licence_type = forms.CharField(label=_("事项编码"), max_length=40)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        found = (
            selectors.guide().filter(agency__is_active=True, agency__code=data["agency"], code=data["licence_type"])
        ).first()
        if found is None:
            raise forms.ValidationError({"licence_type": _("该机关没有这个可以办理的许可事项。")})
        data["licence_type"] = found
        return data


ApplyBody = type("LicensingOnlineApplicationBody", (schema_of(PublicTypeForm), schema_of(ApplicationForm)), {})


class ReceiptOut(serializers.Serializer):
    number = serializers.CharField(help_text="申请编号：凭编号查询办理进度，请妥善保存")
    status = serializers.CharField()
    received_on = serializers.DateField()
    accept_due_on = serializers.DateField(help_text="决定是否受理的期限（《行政许可法》第三十二条）")
    progress = serializers.CharField(help_text="办理进度的 API 地址")


class PublicApplyApi(PublicApi):
    """网上申请: an application to an agency for one of its types that takes them online; answered with its number,
    the only key to its progress."""

    throttle_classes = [LicenceApplicationRateThrottle]

    @extend_schema(request=ApplyBody, responses={201: ReceiptOut})
    def post(self, request):
        licence_type = validated(PublicTypeForm(request.data))["licence_type"]
        form = ApplicationForm(request.data, licence_type=licence_type)
        validated(form)
        application = services.application_submit(
            actor=None, licence_type=licence_type, channel=Application.Channel.ONLINE, **form.service_arguments()
        )
        receipt = {
            "number": application.number,
            "status": application.status,
            "received_on": application.received_on,
            "accept_due_on": application.accept_due_on,
            "progress": reverse("api:public-licensing-progress", args=[application.number]),
        }
        return Response(ReceiptOut(receipt).data, status=status.HTTP_201_CREATED)
