"""The error answers of API v1 in its OpenAPI document, added to every operation in one place from what the
operation is: every refusal has the one shape api.errors renders."""

from sanxiang.api.pagination import PAGE_PARAMETERS

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "英文错误代码，如 validation_error、not_found"},
                "message": {"type": "string", "description": "给用户看的中文说明"},
                "fields": {
                    "type": "object",
                    "description": "出错的字段及其说明",
                    "additionalProperties": {},
                },
            },
        }
    },
}

DESCRIPTIONS = {
    "400": "请求有误：参数或请求体未通过校验，或业务规则不允许",
    "401": "未登录或令牌无效",
    "403": "无权执行该操作",
    "404": "记录不存在或不在您的范围内，页码或游标无效，或地址不存在",
    "409": "记录已被他人修改（版本号已过时），或与现有记录冲突",
    "413": "请求体过大",
    "415": "请求体的媒体类型不受支持",
}


def error_codes(method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer, read from its parameters, body and security."""
    parameters = operation.get("parameters", [])
    body = "requestBody" in operation
    codes = set()
    if body or parameters or method == "post":
        codes.add("400")
    if any(requirement for requirement in operation.get("security", [])):
        codes |= {"401", "403"}
    # A record outside the caller's scope, a holder or party named in a body, a page past the end, a ledger
    # without a checkpoint yet: any operation may answer that something is not found.
    codes.add("404")
    if method == "post" and any(requirement for requirement in operation.get("security", [])):
        codes.add("409")
    if body:
        codes |= {"413", "415"}
    return sorted(codes)


def add_extra_operations(result, generator, request, public):
    """drf-spectacular postprocessing hook: the operations drf-spectacular leaves out (HEAD, OPTIONS) that a view
    documents itself, in OpenAPI's terms, as `openapi_extra_operations` ({method: operation})."""
    prefix = "/" + "/".join(part for part in (getattr(generator, "url", "") or "").split("/") if part)
    for path, _regex, _method, view in getattr(generator, "endpoints", None) or []:
        extra = getattr(getattr(view, "cls", None), "openapi_extra_operations", None)
        key = path.removeprefix(prefix) if prefix != "/" else path
        if extra and key in result.get("paths", {}):
            for method, operation in extra.items():
                result["paths"][key].setdefault(method, operation)
    return result


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Error component and each operation's error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            for code, response in operation["responses"].items():
                # An error an operation documents itself (its description) has the one shape too.
                if str(code) >= "400" and "content" not in response:
                    response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            for parameter in operation.get("parameters", []):
                # DRF reads query parameters as a browser form: an optional one sent empty counts as not sent (the
                # page parameters excepted: a page is a number or not sent).
                if (
                    parameter["in"] == "query"
                    and not parameter.get("required")
                    and parameter["name"] not in PAGE_PARAMETERS
                ):
                    parameter["allowEmptyValue"] = True
            for code in error_codes(method, operation):
                operation["responses"].setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
