"""API v1 for agencies, officers and certificates: one view per operation, each with its own serializers."""

from functools import partial

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies import selectors, services
from sanxiang.agencies.actions import CERTIFICATES
from sanxiang.agencies.models import CertificateStatus, EnforcementDomain, Role
from sanxiang.api.actions import action_endpoints
from sanxiang.api.forms import BoundedDateField
from sanxiang.api.pagination import Paged


class ServiceWindowOut(serializers.Serializer):
    name = serializers.CharField()
    location = serializers.CharField()
    opening_hours = serializers.CharField()
    posts = serializers.CharField()
    sample_forms = serializers.CharField()
    progress_query = serializers.CharField()
    consultation = serializers.CharField()
    complaint = serializers.CharField()


class AgencyOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    uscc = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    website = serializers.CharField()
    is_active = serializers.BooleanField()
    reconsideration_body = serializers.CharField()
    court = serializers.CharField()
    payment_bank = serializers.CharField()
    payment_account_name = serializers.CharField()
    payment_account_number = serializers.CharField()
    payment_online = serializers.CharField()
    payment_channel = serializers.CharField()


class AgencyDetailOut(AgencyOut):
    service_windows = ServiceWindowOut(many=True)


class AgencyRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CertificateOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    holder = serializers.SerializerMethodField()
    agency = AgencyRef()
    domain = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.SerializerMethodField()
    status_reason = serializers.CharField()
    status_changed_at = serializers.DateTimeField(allow_null=True)

    def get_holder(self, certificate) -> dict:
        return {"id": certificate.holder_id, "full_name": certificate.holder.full_name}

    def get_status(self, certificate) -> str:
        return certificate.status_on(timezone.localdate())


class OfficerOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    job_title = serializers.CharField()
    agency = AgencyRef()
    roles = serializers.SerializerMethodField()
    has_legal_qualification = serializers.BooleanField()
    review_post = serializers.CharField()
    is_active = serializers.BooleanField()

    def get_roles(self, staff) -> list[str]:
        return sorted(assignment.role for assignment in staff.role_assignments.all())


def list_query(request, query_class: type[serializers.Serializer]) -> dict:
    """A list's validated query parameters (400 naming a bad one), with `agency`, an id, as the agency the caller
    sees (404 for any other) and `q` as `search`."""
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    values = dict(query.validated_data)
    if "agency" in values:
        values["agency"] = selectors.agency_get_for_user(user=request.user, agency_id=values["agency"])
    if "q" in values:
        values["search"] = values.pop("q")
    return values


class AgencyListApi(Paged, APIView):
    """Agencies the caller may see: their own and every agency below it."""

    @extend_schema(responses=AgencyOut(many=True))
    def get(self, request):
        return self.page(request, selectors.agencies_for_user(request.user), AgencyOut)


class AgencyDetailApi(APIView):
    @extend_schema(responses=AgencyDetailOut)
    def get(self, request, agency_id: int):
        agency = selectors.agency_get_for_user(user=request.user, agency_id=agency_id)
        return Response(AgencyDetailOut(agency).data)


class AgencyDecisionDetailsApi(APIView):
    """Set what every decision of the agency names: 复议机关, court, payment channel (the agency's head or the
    province's system administrator)."""

    class Input(serializers.Serializer):
        reconsideration_body = serializers.CharField(max_length=100, allow_blank=True)
        court = serializers.CharField(max_length=100, allow_blank=True)
        payment_bank = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
        payment_account_name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
        payment_account_number = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
        payment_online = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")

    @extend_schema(request=Input, responses=AgencyDetailOut)
    def post(self, request, agency_id: int):
        agency = selectors.agency_get_for_user(
            user=request.user, agency_id=agency_id, action=selectors.DECISION_DETAILS
        )
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        agency = services.agency_set_decision_details(actor=request.user, agency=agency, **data.validated_data)
        return Response(AgencyDetailOut(agency).data)


class OfficerListApi(Paged, APIView):
    """Enforcement officers (staff with the officer role) in the caller's scope."""

    class Filter(serializers.Serializer):
        agency = serializers.IntegerField(required=False)

    @extend_schema(parameters=[Filter], responses=OfficerOut(many=True))
    def get(self, request):
        officers = selectors.staff_for_user(request.user, role=Role.OFFICER, **list_query(request, self.Filter))
        return self.page(request, officers, OfficerOut)


class CertificateListApi(Paged, APIView):
    """List certificates in the caller's scope, or issue one (system administrators)."""

    class Filter(serializers.Serializer):
        agency = serializers.IntegerField(required=False)
        status = serializers.ChoiceField(choices=CertificateStatus.choices, required=False)

    class IssueInput(serializers.Serializer):
        holder = serializers.IntegerField()
        number = serializers.CharField(max_length=30)
        domain = serializers.ChoiceField(choices=EnforcementDomain.choices)
        issued_on = BoundedDateField()
        expires_on = BoundedDateField()

    @extend_schema(parameters=[Filter], responses=CertificateOut(many=True))
    def get(self, request):
        query = list_query(request, self.Filter)
        certificates = selectors.certificates_for_user(request.user, today=timezone.localdate(), **query)
        return self.page(request, certificates, CertificateOut)

    @extend_schema(request=IssueInput, responses={201: CertificateOut})
    def post(self, request):
        data = self.IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        holder = selectors.staff_get_for_user(user=request.user, staff_id=values.pop("holder"), action=selectors.MANAGE)
        certificate = services.certificate_issue(actor=request.user, holder=holder, **values)
        return Response(CertificateOut(certificate).data, status=status.HTTP_201_CREATED)


class CertificateDetailApi(APIView):
    @extend_schema(responses=CertificateOut)
    def get(self, request, certificate_id: int):
        certificate = selectors.certificate_get_for_user(user=request.user, certificate_id=certificate_id)
        return Response(CertificateOut(certificate).data)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RenewInput(serializers.Serializer):
    expires_on = BoundedDateField()
    reason = serializers.CharField(max_length=300, required=False, default="")


def certificate_action_patterns() -> list:
    """Suspend, reinstate, revoke or renew a certificate — each an explicit action, never a status PATCH."""
    return action_endpoints(
        workflow=CERTIFICATES,
        gate=partial(selectors.certificate_get_for_user, action=selectors.MANAGE),
        key="certificate_id",
        detail=CertificateOut,
        prefix="certificates",
        name="certificate",
        operation="certificates",
        bodies={"suspend": ReasonInput, "reinstate": ReasonInput, "revoke": ReasonInput, "renew": RenewInput},
    )


class PublicCertificateOut(serializers.Serializer):
    number = serializers.CharField()
    holder_name = serializers.CharField()
    agency = serializers.CharField(source="agency_name")
    domain = serializers.CharField(source="domain_label")
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()

    def get_status(self, certificate) -> str:
        return certificate.status_on(timezone.localdate())

    def get_valid(self, certificate) -> bool:
        return certificate.is_valid_on(timezone.localdate())


class PublicCertificateApi(APIView):
    """Public certificate check (no login): is this officer entitled to enforce today?"""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=PublicCertificateOut)
    def get(self, request, number: str):
        return Response(PublicCertificateOut(selectors.certificate_public_lookup(number)).data)
