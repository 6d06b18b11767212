"""One handler turns every API error into `{"error": {"code", "message", "fields"}}` with a Chinese message."""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from sanxiang.core.errors import Conflict as CoreConflict

_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "记录已被他人修改，请刷新后重试。"
    default_code = "conflict"


class LockedOut(exceptions.APIException):
    """Too many failed logins for this user name from this address: answered as such, never as a wrong password."""

    status_code = 429
    default_detail = "登录失败次数过多，该账号在本设备上已被暂时锁定，请稍后再试或联系本机关系统管理员。"
    default_code = "locked_out"

    def __init__(self, *, wait: int):
        super().__init__()
        self.wait = wait  # sent as Retry-After


class PasswordChangeRequired(exceptions.APIException):
    status_code = 403
    default_code = "password_change_required"
    default_detail = _lazy("密码已由管理员重设或已过期，请先登录工作台修改密码。")


def exception_handler(exc, context):
    if isinstance(exc, CoreConflict):
        exc = Conflict(exc.messages[0])
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该记录。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = next((code for cls, code in _CODES.items() if isinstance(exc, cls)), getattr(exc, "default_code", "error"))
    body = {"code": code, "message": _message(exc)}
    if isinstance(exc, exceptions.PermissionDenied) and getattr(exc.detail, "code", None) not in (
        None,
        "permission_denied",
    ):
        body["code"] = exc.detail.code
    request = context.get("request")
    if isinstance(exc, exceptions.NotAuthenticated) and getattr(request, "second_factor_pending", False):
        # A session that passed the password alone (sanxiang.core.middleware.SecondFactorMiddleware).
        body = {"code": "second_factor_required", "message": _("请先在工作台完成第二步验证（动态验证码）。")}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        general = (detail.get("non_field_errors") if isinstance(detail, dict) else detail) or [None]
        # A service's own error code ("invalid_transition", "duplicate") tells a client more than "validation_error".
        if getattr(general[0], "code", "invalid") not in ("invalid", None):
            body["code"] = general[0].code
        fields = (
            {key: value for key, value in detail.items() if key != "non_field_errors"}
            if isinstance(detail, dict)
            else {}
        )
        if fields:
            body["fields"] = fields
    response.data = {"error": body}
    return response


def _message(exc) -> str:
    if isinstance(exc, exceptions.Throttled):
        return _("请求过于频繁，请在 %(seconds)s 秒后重试。") % {"seconds": max(1, math.ceil(exc.wait or 1))}
    if not isinstance(exc, exceptions.ValidationError):
        return str(exc.detail)
    detail = exc.detail
    if isinstance(detail, dict):
        general = detail.get("non_field_errors")
        if general:
            return str(general[0])
        return _("提交的数据有误，请检查标出的字段。")
    if isinstance(detail, list) and detail:
        return str(detail[0])
    return str(detail)


# Django's own error views, for what happens outside a DRF view (a URL nothing matches, a request Django refuses
# before any view runs, an unhandled error): on the paths of API v1 and of the public ledger protocol they answer
# the same JSON shape, elsewhere the pages.
API_PATHS = ("/api/", "/ledger/")


def json_error(status: int, code: str, message: str) -> JsonResponse:
    """The error shape answered outside a DRF view (Django's error views, middleware)."""
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def bad_request(request, exception):
    if request.path.startswith(API_PATHS):
        return json_error(400, "malformed_request", _("请求无法处理。"))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if request.path.startswith(API_PATHS):
        return json_error(403, "permission_denied", str(exception) or _("您没有执行该操作的权限。"))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PATHS):
        return json_error(404, "not_found", _("没有这个 API 地址。"))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PATHS):
        return json_error(500, "server_error", _("服务器内部错误，请稍后重试。"))
    return defaults.server_error(request)
