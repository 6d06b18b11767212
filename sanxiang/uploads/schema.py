"""How the tus endpoints appear in the OpenAPI document: the protocol's headers and every status it answers.

drf-spectacular leaves HEAD and OPTIONS out of a schema; those two operations are written here in OpenAPI's own
terms and added by api.schema.add_extra_operations (each error answer gets API v1's Error shape there too)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

TUS_RESUMABLE = OpenApiParameter(
    "Tus-Resumable",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    enum=["1.0.0"],
    description="协议版本，须为 1.0.0（缺少为 400，其他版本为 412）",
)

HEADERS = {
    "Location": "续传地址（本上传的 URL）",
    "Upload-Offset": "服务器已收到的字节数",
    "Upload-Length": "文件总字节数",
    "Upload-Expires": "过期时间（HTTP 日期）；过期未完成的上传被拒收（410）并清理",
    "Evidence-Id": "文件已登记为证据时，证据的 ID",
    "Tus-Version": "支持的协议版本：1.0.0",
    "Tus-Extension": "支持的扩展：creation,termination,checksum,expiration",
    "Tus-Max-Size": "单个文件的大小上限（字节）",
    "Tus-Checksum-Algorithm": "分段校验算法：sha256",
}


def upload_headers(status: int, *names: str) -> list:
    """The headers of one answer, as drf-spectacular takes them (response parameters)."""
    return [
        OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, description=HEADERS[name], response=[status])
        for name in names
    ]


ERRORS = {
    400: "请求头有误（缺少 Tus-Resumable，或 Upload-Length、Upload-Offset、Upload-Metadata、Upload-Checksum），登记事项未通过校验，"
    "或整个文件的 SHA-256 与采集时记录的不符（capture_hash_mismatch：拒收，已接收部分删除）",
    404: "上传不存在或不是本人创建的；案件不存在或不在您的范围内",
    409: "Upload-Offset 与服务器已收到的字节数不符（offset_mismatch，先 HEAD 再续传），或文件已登记（upload_stored）",
    410: "上传已过期、已被拒收或已被清理（upload_gone），请重新创建",
    412: "Tus-Resumable 不是 1.0.0",
    413: "文件超过大小上限，或数据超出声明的文件大小（upload_too_large）",
    415: "PATCH 的 Content-Type 须为 application/offset+octet-stream；创建上传的请求不带数据",
    423: "另一个请求正在写入该上传（upload_busy），稍后 HEAD 再续传",
    460: "本段数据与 Upload-Checksum 不符（checksum_mismatch），本段已丢弃，请重传",
}


def _errors(*codes: int) -> dict:
    return {code: OpenApiResponse(description=ERRORS[code]) for code in codes}


CREATE_ERRORS = _errors(400, 404, 412, 413, 415)
PATCH_ERRORS = _errors(400, 404, 409, 410, 412, 413, 415, 423, 460)
TERMINATE_ERRORS = _errors(404, 409, 412, 423)

SECURITY = [{"bearerToken": []}, {"cookieAuth": []}]


def _operation(operation_id: str, summary: str, ok: str, ok_description: str, headers, errors, parameters) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["uploads"],
        "security": SECURITY,
        "parameters": parameters,
        "responses": {
            ok: {
                "description": ok_description,
                "headers": {name: {"description": HEADERS[name], "schema": {"type": "string"}} for name in headers},
            },
            **{str(code): {"description": ERRORS[code]} for code in errors},
        },
    }


_TUS_RESUMABLE = {
    "name": "Tus-Resumable",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "enum": ["1.0.0"]},
    "description": "协议版本，须为 1.0.0（缺少为 400，其他版本为 412）",
}
_UPLOAD_ID = {"name": "upload_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}

OPTIONS = _operation(
    "uploads_options",
    "查询服务器的 tus 能力",
    "204",
    "Tus-Version、Tus-Extension、Tus-Max-Size、Tus-Checksum-Algorithm",
    ["Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm"],
    [],
    [],
)
HEAD = _operation(
    "uploads_offset",
    "查询已接收的字节数（续传前先问）",
    "200",
    "Upload-Offset 为续传的起点；已登记为证据的，Evidence-Id 为其 ID",
    ["Upload-Offset", "Upload-Length", "Upload-Expires", "Evidence-Id"],
    [400, 404, 410, 412, 423],
    [_UPLOAD_ID, _TUS_RESUMABLE],
)
