"""API v1 for evidence: a case's files, and uploads from mobile devices and body-worn camera docks."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.cases.models import Act
from sanxiang.cases.selectors import case_get_for_user
from sanxiang.core.blobs import BlobError
from sanxiang.evidence import selectors, services
from sanxiang.evidence.models import EvidenceKind


class EvidenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    act = serializers.CharField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    captured_start = serializers.DateTimeField(allow_null=True)
    captured_end = serializers.DateTimeField(allow_null=True)


class UploadIn(serializers.Serializer):
    file = serializers.FileField()
    act = serializers.ChoiceField(choices=Act.choices)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = serializers.CharField()
    device = serializers.CharField(required=False, default="")
    place = serializers.CharField(required=False, default="")
    speakers = serializers.CharField(required=False, default="")
    dialogue = serializers.CharField(required=False, default="")
    covert = serializers.BooleanField(required=False, default=False)
    covert_basis = serializers.CharField(required=False, default="")


class CaseEvidenceApi(APIView):
    """A case's evidence files; POST registers one (multipart, streamed to disk, never held in memory)."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses=EvidenceOut(many=True))
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        return Response(EvidenceOut(selectors.evidence_of_case(case), many=True).data)

    @extend_schema(request=UploadIn, responses={201: EvidenceOut})
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        if not selectors.may_add_evidence(request.user, case=case):
            raise PermissionDenied(_("只有参与本案的执法人员可以登记证据。"))
        data = UploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        upload = values.pop("file")
        try:
            with upload.open("rb") as source:
                item = services.evidence_ingest(
                    actor=request.user,
                    source=source,
                    original_name=upload.name,
                    recorded_by=request.user,
                    case=case,
                    **values,
                )
        except BlobError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from None
        return Response(EvidenceOut(item).data, status=status.HTTP_201_CREATED)
