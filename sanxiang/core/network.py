"""The address a request came from, behind SANXIANG_PROXY_COUNT reverse proxies (pure: no database)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR with no proxy in front; behind N proxies, the N-th address from the
    right of X-Forwarded-For (each proxy appends the address it was reached from, so entries further left were
    written by the client and prove nothing). Used by the lock-out (AXES_CLIENT_IP_CALLABLE) and the audit log."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or None
    count = settings.PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            remote = forwarded[-count]
    if remote is None:
        return None
    try:
        return str(ipaddress.ip_address(remote.strip("[]")))
    except ValueError:
        return None
