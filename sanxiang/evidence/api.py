"""API v1 for evidence: a case's files, and uploads from mobile devices and body-worn camera docks."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.cases.models import Act
from sanxiang.cases.selectors import case_get_for_user
from sanxiang.core.blobs import BlobError
from sanxiang.core.forms import KEY_MAX
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


class RecorderOfficerOut(serializers.Serializer):
    id = serializers.IntegerField(source="holder.pk")
    name = serializers.CharField(source="holder.full_name")
    certificate = serializers.CharField(source="number")


class RecorderProposalOut(serializers.Serializer):
    """A recorder's file name and what it proposes; every field null (and `recognised` false) for any other name."""

    recognised = serializers.SerializerMethodField(help_text="文件名是否为执法记录仪的命名")
    device = serializers.CharField(source="recording.device", allow_null=True, help_text="设备编号（产品序号）")
    officer_number = serializers.CharField(source="recording.officer_number", allow_null=True, help_text="执法证号")
    started = serializers.DateTimeField(allow_null=True, help_text="开始时间")
    important = serializers.BooleanField(source="recording.important", allow_null=True, help_text="标记为重要文件")
    officer = RecorderOfficerOut(source="certificate", allow_null=True, help_text="本机关持该执法证号的执法人员")
    act = serializers.ChoiceField(choices=Act.choices, allow_null=True, help_text="开始时间所在的执法环节")
    summary = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()

    def to_representation(self, proposal):
        if proposal is None:
            return {name: None for name in self.fields} | {"recognised": False}
        return super().to_representation(proposal)

    def get_recognised(self, proposal) -> bool:
        return True

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="识别结果，一句话"))
    def get_summary(self, proposal):
        return proposal.describe()

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="执法证号在本机关没有对应人员时的提示"))
    def get_warning(self, proposal):
        return proposal.officer_warning(self.context["case"]) or None


class RecorderProposalApi(APIView):
    """What a file of this name proposes before it is sent: a body-worn recorder's (执法记录仪) device, officer number
    and start, the officer of the case's agency it names, the act whose time holds the start. The upload page asks
    when a file is picked; registering the file derives it all again."""

    class Query(serializers.Serializer):
        name = serializers.CharField(max_length=255, help_text="文件名")

    @extend_schema(parameters=[Query], responses=RecorderProposalOut)
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        proposal = selectors.recorder_proposal(case=case, name=query.validated_data["name"])
        return Response(RecorderProposalOut(context={"case": case}).to_representation(proposal))


class FoundOut(EvidenceOut):
    agency = serializers.CharField(source="agency.code")
    case = serializers.IntegerField(source="case_id", allow_null=True)
    inspection = serializers.IntegerField(source="inspection_id", allow_null=True)
    description = serializers.SerializerMethodField(help_text="最新一版的摄录内容")

    def get_description(self, item) -> str:
        return self.context["notes"][item.pk].description if item.pk in self.context["notes"] else ""


class FoundPageOut(serializers.Serializer):
    results = FoundOut(many=True)
    next = serializers.URLField(allow_null=True, help_text="更早的匹配（没有则为 null）")


class EvidenceSearchApi(APIView):
    """证据检索: the files of the agencies the caller sees whose name, notes, place or recording device hold `q`,
    newest first, a page at a time: `next` goes on below the last match looked at (a page may be short)."""

    class Query(serializers.Serializer):
        q = serializers.CharField(max_length=100, help_text="文件名、种类、摄录内容、对话、地点或记录设备中的字词")
        before = serializers.IntegerField(
            required=False, min_value=1, max_value=KEY_MAX, help_text="只列出编号小于此值的（翻页用）"
        )
        page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)

    @extend_schema(parameters=[Query], responses=FoundPageOut)
    def get(self, request):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        page = selectors.evidence_search(
            request.user, text=values["q"], before=values.get("before"), size=values["page_size"]
        )
        items = [item for item, _note in page.rows]
        notes = {item.pk: note for item, note in page.rows if note is not None}
        following = None
        if page.next_before is not None:
            query = request.query_params.copy()
            query["before"] = page.next_before
            following = request.build_absolute_uri(f"?{query.urlencode()}")
        results = FoundOut(items, many=True, context={"notes": notes}).data
        return Response({"results": results, "next": following})


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
            raise PermissionDenied(_("只有参与本案或本次检查的执法人员可以登记证据。"))
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
                    recorded_by=selectors.recording_officer(
                        selectors.recorder_proposal(case=case, name=upload.name), uploader=request.user
                    ),
                    case=case,
                    **values,
                )
        except BlobError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from None
        return Response(EvidenceOut(item).data, status=status.HTTP_201_CREATED)
