"""The one JSON parser of API v1: a body is a JSON object of bounded size and depth whose strings a database can
store. Everything else is refused here, before a form or a service sees it, with the error shape of api.errors."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# Lone surrogates cannot be encoded as UTF-8 (the database refuses them); NUL and the other C0 controls but tab,
# line feed and carriage return have no place in a form field and break PostgreSQL text.
UNSTORABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("请求体过大。")
    default_code = "request_too_large"


class BodyNotObject(exceptions.APIException):
    status_code = 400
    default_detail = _("请求体应为 JSON 对象（{…}）。")
    default_code = "body_not_object"


class BodyTooDeep(exceptions.APIException):
    status_code = 400
    default_detail = _("请求体嵌套层数过多。")
    default_code = "body_too_deep"


class UnstorableText(exceptions.APIException):
    status_code = 400
    default_detail = _("提交的文字含有无效字符（孤立的代理字符或控制字符）。")
    default_code = "invalid_characters"


class ObjectJSONParser(JSONParser):
    """JSON bodies of at most API_MAX_BODY_BYTES, nested at most API_MAX_JSON_DEPTH deep, whose top level is an
    object and whose strings (keys included) are free of lone surrogates and control characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > limit:
            raise BodyTooLarge()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise BodyTooDeep() from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(_("请求体不是有效的 JSON：%(error)s") % {"error": exc}) from None
        if not isinstance(data, dict):
            raise BodyNotObject()
        check_value(data, depth_left=settings.API_MAX_JSON_DEPTH)
        return data


def _refuse_constant(name):
    raise ValueError(f"{name} 不是 JSON 数值")


def check_value(value, *, depth_left: int) -> None:
    """Refuse a value nested deeper than `depth_left` containers or holding a string a database cannot store."""
    pending = [(value, depth_left)]
    while pending:
        item, left = pending.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                raise UnstorableText()
        elif isinstance(item, dict | list):
            if left <= 0:
                raise BodyTooDeep()
            if isinstance(item, dict):
                pending.extend((key, left) for key in item)
                pending.extend((child, left - 1) for child in item.values())
            else:
                pending.extend((child, left - 1) for child in item)
