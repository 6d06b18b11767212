"""API v1 for resumable uploads: the tus 1.0.0 protocol (core, creation, termination, checksum with sha256,
expiration) for the workbench's capture queue and for devices (mobile app, body-worn camera docks).

Served here, in the app, under the same authentication (bearer token with the write scope, or the workbench
session with its CSRF header) and the same JSON error shape as the rest of API v1; every answer carries
Tus-Resumable. The body of a PATCH is read as it arrives, a megabyte at a time, never parsed or held whole.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.cases.models import Act
from sanxiang.cases.selectors import case_get_for_user, inspection_get_for_user
from sanxiang.core.blobs import BlobError
from sanxiang.evidence.models import EvidenceKind
from sanxiang.uploads import protocol, services
from sanxiang.uploads.schema import (
    CREATE_ERRORS,
    HEAD,
    OPTIONS,
    PATCH_ERRORS,
    TERMINATE_ERRORS,
    TUS_RESUMABLE,
    upload_headers,
)
from sanxiang.uploads.selectors import upload_get_for_user


class TusRefusal(exceptions.APIException):
    """A protocol refusal (uploads.protocol.UploadError) in API v1's error shape, with the status tus gives it."""

    def __init__(self, error: protocol.UploadError):
        super().__init__(error.message, error.code)
        self.status_code = error.status
        self.default_code = error.code


class MetadataIn(serializers.Serializer):
    """What Upload-Metadata carries (each value Base64-encoded UTF-8)."""

    filename = serializers.CharField(max_length=255)
    case = serializers.IntegerField(min_value=1, required=False, help_text="案件 ID（与 inspection 二选一）")
    inspection = serializers.IntegerField(min_value=1, required=False, help_text="现场检查 ID（与 case 二选一）")
    sha256 = serializers.RegexField(protocol.SHA256_HEX, help_text="采集时在设备上计算的 SHA-256（小写十六进制）")
    act = serializers.ChoiceField(choices=Act.choices)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = serializers.CharField(max_length=2000)
    device = serializers.CharField(max_length=100, required=False, default="")
    place = serializers.CharField(max_length=200, required=False, default="")
    speakers = serializers.CharField(max_length=2000, required=False, default="")
    dialogue = serializers.CharField(max_length=4000, required=False, default="")

    def validate(self, attrs):
        if ("case" in attrs) == ("inspection" in attrs):
            raise serializers.ValidationError({"case": _("须指明证据所属的案件（case）或现场检查（inspection）之一。")})
        return attrs


class UploadOut(serializers.Serializer):
    id = serializers.UUIDField()
    location = serializers.CharField()
    length = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class TusApi(APIView):
    parser_classes = []  # a body is read raw by the PATCH that owns it, never parsed

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "OPTIONS":
            return
        if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0):
            # creation-with-upload is left out: the data follows in PATCH requests, each one resumable.
            raise exceptions.UnsupportedMediaType(
                request.content_type, _("创建上传的请求不带数据，文件内容请用 PATCH 发送。")
            )
        version = request.headers.get("Tus-Resumable")
        if version is None:
            raise TusRefusal(protocol.UploadError(_("缺少请求头 Tus-Resumable: 1.0.0。")))
        if version != protocol.VERSION:
            raise TusRefusal(
                protocol.VersionUnsupported(_("本服务器只支持 tus 1.0.0（请求头 Tus-Resumable: 1.0.0）。"))
            )

    def handle_exception(self, exc):
        if isinstance(exc, protocol.UploadError):
            exc = TusRefusal(exc)
        elif isinstance(exc, BlobError):
            exc = exceptions.ValidationError({"file": [str(exc)]})
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = protocol.VERSION
        response["Tus-Version"] = protocol.VERSION
        return response


class UploadsApi(TusApi):
    """Discover the server's tus features (OPTIONS) and announce a file (POST, the creation extension)."""

    openapi_extra_operations = {"options": OPTIONS}

    def options(self, request, *args, **kwargs):
        return Response(
            status=status.HTTP_204_NO_CONTENT,
            headers={
                "Tus-Extension": protocol.EXTENSIONS,
                "Tus-Max-Size": str(settings.EVIDENCE_MAX_BYTES),
                "Tus-Checksum-Algorithm": protocol.CHECKSUM_ALGORITHMS,
            },
        )

    @extend_schema(
        operation_id="uploads_create",
        summary="创建断点续传上传（tus creation）",
        request=None,
        parameters=[
            TUS_RESUMABLE,
            OpenApiParameter(
                "Upload-Length",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                required=True,
                description="文件总字节数，不得超过 Tus-Max-Size",
            ),
            OpenApiParameter(
                "Upload-Metadata",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="逗号分隔的“键 Base64(值)”：filename、case（案件 ID）或 inspection（现场检查 ID）、sha256（采集时的哈希）、"
                "act、kind、description，可选 device、place、speakers、dialogue",
            ),
            *upload_headers(201, "Location", "Upload-Expires"),
        ],
        responses={
            201: OpenApiResponse(UploadOut, description="已创建；Location 为续传地址"),
            **CREATE_ERRORS,
        },
    )
    def post(self, request):
        if "Upload-Defer-Length" in request.headers:
            raise TusRefusal(protocol.UploadError(_("不支持延后声明文件大小（Upload-Defer-Length）。")))
        length = protocol.parse_count(request.headers.get("Upload-Length"), "Upload-Length")
        data = MetadataIn(data=protocol.parse_metadata(request.headers.get("Upload-Metadata", "")))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "case" in values:
            owner = {"case": case_get_for_user(user=request.user, case_id=values.pop("case"))}
        else:
            owner = {"inspection": inspection_get_for_user(user=request.user, inspection_id=values.pop("inspection"))}
        upload = services.upload_create(
            actor=request.user,
            **owner,
            length=length,
            capture_sha256=values.pop("sha256"),
            original_name=values.pop("filename"),
            details=values,
        )
        location = request.build_absolute_uri(reverse("api:upload", args=[upload.pk]))
        body = {"id": upload.pk, "location": location, "length": length, "expires_at": upload.expires_at}
        return Response(
            UploadOut(body).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location, "Upload-Expires": protocol.http_date(upload.expires_at)},
        )


class UploadApi(TusApi):
    """One upload, for its sender only: how far it got (HEAD), the next piece (PATCH), giving up (DELETE)."""

    openapi_extra_operations = {"head": HEAD}

    def _state(self, upload, offset: int) -> dict:
        headers = {"Upload-Offset": str(offset), "Upload-Expires": protocol.http_date(upload.expires_at)}
        if upload.evidence_id is not None:
            headers["Evidence-Id"] = str(upload.evidence_id)
        return headers

    def head(self, request, upload_id):
        upload = upload_get_for_user(user=request.user, upload_id=upload_id)
        offset = services.upload_offset(upload=upload)
        headers = self._state(upload, offset) | {"Upload-Length": str(upload.length)}
        return Response(status=status.HTTP_200_OK, headers=headers)

    @extend_schema(
        operation_id="uploads_append",
        summary="续传一段数据（tus core，可带 sha256 校验）",
        request={protocol.OFFSET_STREAM: OpenApiTypes.BINARY},
        parameters=[
            TUS_RESUMABLE,
            OpenApiParameter(
                "Upload-Offset",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                required=True,
                description="本段的起始位置，须等于 HEAD 返回的 Upload-Offset",
            ),
            OpenApiParameter(
                "Upload-Checksum",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="“sha256 Base64(本段摘要)”；不符则整段丢弃并返回 460",
            ),
            *upload_headers(204, "Upload-Offset", "Upload-Expires", "Evidence-Id"),
        ],
        responses={
            204: OpenApiResponse(
                description="已写入；Upload-Offset 为新的位置。最后一段写入后文件即登记为证据，Evidence-Id 为其 ID"
            ),
            **PATCH_ERRORS,
        },
    )
    def patch(self, request, upload_id):
        upload = upload_get_for_user(user=request.user, upload_id=upload_id)
        if request.content_type != protocol.OFFSET_STREAM:
            raise exceptions.UnsupportedMediaType(request.content_type)
        offset = protocol.parse_count(request.headers.get("Upload-Offset"), "Upload-Offset")
        checksum = request.headers.get("Upload-Checksum")
        size = int(request.META.get("CONTENT_LENGTH") or 0)
        offset = services.upload_append(
            actor=request.user,
            upload=upload,
            offset=offset,
            source=request.stream,
            size=size,
            checksum=protocol.parse_checksum(checksum) if checksum else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT, headers=self._state(upload, offset))

    @extend_schema(
        operation_id="uploads_terminate",
        summary="终止上传（tus termination）：删除已接收的部分",
        request=None,
        parameters=[TUS_RESUMABLE],
        responses={204: OpenApiResponse(description="已终止"), **TERMINATE_ERRORS},
    )
    def delete(self, request, upload_id):
        upload = upload_get_for_user(user=request.user, upload_id=upload_id)
        services.upload_terminate(upload=upload)
        return Response(status=status.HTTP_204_NO_CONTENT)
