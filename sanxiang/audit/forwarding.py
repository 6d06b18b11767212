"""Forwarding of audit events to a syslog collector (SANXIANG_AUDIT_SYSLOG), one JSON line per event.

The database row is the record; forwarding is a copy kept out of reach of the application's own database account.
It runs after commit, and a collector that is down or unreachable never fails the request: the error is logged.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import socket
import threading

from django.conf import settings

log = logging.getLogger(__name__)
_lock = threading.Lock()
_handlers: dict[object, logging.Handler] = {}


class _Forwarder(logging.handlers.SysLogHandler):
    def handleError(self, record):  # noqa: N802 - logging's name
        log.warning("audit event not forwarded to syslog %s", self.address, exc_info=True)


def _handler(address) -> logging.Handler:
    with _lock:
        if address not in _handlers:
            handler = _Forwarder(
                address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV, socktype=socket.SOCK_DGRAM
            )
            handler.ident = "sanxiang-audit: "
            handler.append_nul = False
            handler.setFormatter(logging.Formatter("%(message)s"))
            _handlers[address] = handler
        return _handlers[address]


def event_line(event) -> str:
    """The event as one JSON line (the same fields the JSON-lines export writes)."""
    return json.dumps(event_dict(event), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def event_dict(event) -> dict:
    return {
        "id": event.pk,
        "time": event.time.isoformat(),
        "kind": event.kind,
        "outcome": event.outcome,
        "channel": event.channel,
        "user_id": event.user_id,
        "username": event.username,
        "agency": event.agency_code,
        "remote_address": event.remote_address,
        "user_agent": event.user_agent,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
    }


def forward(event) -> None:
    """Send the event to the configured collector, if any; never raises."""
    address = settings.AUDIT_SYSLOG
    if not address:
        return
    try:
        record = logging.LogRecord("sanxiang.audit", logging.INFO, __file__, 0, event_line(event), None, None)
        _handler(address).emit(record)  # a send error goes to _Forwarder.handleError
    except Exception:  # noqa: BLE001 - forwarding is a copy; the request goes on
        log.warning("audit event %s not forwarded to syslog %s", getattr(event, "pk", None), address, exc_info=True)
