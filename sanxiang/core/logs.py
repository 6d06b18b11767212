"""Log lines an operator can follow across servers: every line written while a request is served names that
request's id (the one the reverse proxy sent in X-Request-ID, or one made here, and returned in the response's
X-Request-ID either way), and with SANXIANG_LOG_FORMAT=json each line is one JSON object for a log collector.

The id lives in a context variable, set when the handler receives the request (request_started) and cleared when
the response is closed (request_finished): each server thread sees its own, and a line logged outside any request
(the worker, a command) has none."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# What a proxy's id may look like to be kept (nginx's $request_id is 32 hex digits, a UUID has hyphens): anything
# else — too long, spaces, a line break that would forge a log line — is replaced by an id of our own.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id() -> str | None:
    """The id of the request being served in this context, None outside one."""
    return _request_id.get()


def request_id_begin(offered: str | None) -> str:
    """Name the request now served in this context: the proxy's id if it is well formed, else a new one."""
    chosen = offered if offered and _WELL_FORMED.fullmatch(offered) else uuid.uuid4().hex
    _request_id.set(chosen)
    return chosen


def request_id_end() -> None:
    _request_id.set(None)


def request_began(*, environ=None, **_kwargs) -> None:
    """request_started's receiver (the WSGI handler's first step, before any middleware)."""
    request_id_begin((environ or {}).get("HTTP_X_REQUEST_ID"))


def request_ended(**_kwargs) -> None:
    """request_finished's receiver (once the server has sent the response and closed it)."""
    request_id_end()


class RequestIdFilter(logging.Filter):
    """Puts the request id on every record a handler emits (`request_id`, None outside a request) and, for the
    plain format, the text ` [id]` (`request_tag`) or nothing. (Not `request`: Django puts the HttpRequest there for
    handlers after this one.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.request_tag = f" [{record.request_id}]" if record.request_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601 with milliseconds), level, logger, message, request id, and
    the exception's traceback when there is one. Non-ASCII text is written as it is (UTF-8)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
