"""Keeps the request being served at hand, so that an event recorded deep inside a service (an administrative change
seen through the ledger) still carries the address and program it came from."""

from contextvars import ContextVar

current_request: ContextVar = ContextVar("sanxiang_audit_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
