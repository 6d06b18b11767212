"""Canonical JSON (RFC 8785) and digests of object snapshots.

The ledger records what changed as the SHA-256 of a canonical snapshot, so the same object state always has the
same digest whatever the database, Python version or dictionary order.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid

import rfc8785
from django.db import models

# Never part of a snapshot: secrets that must not be reproducible from the log (a password hash, the key of a party's
# own page of its monitoring data).
EXCLUDED_FIELDS = frozenset({"password", "party_key"})


_SAFE_INTEGER = 2**53


def _plain(value) -> bool:
    """True when `value` has ASCII keys, safe integers and no floats: then sorted, compact json.dumps output is
    exactly RFC 8785 (key order by code unit equals code point order for ASCII; same string escapes)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -_SAFE_INTEGER < value < _SAFE_INTEGER
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii() or not _plain(item):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            if not _plain(item):
                return False
        return True
    return False


def canonical_json(value) -> bytes:
    """RFC 8785 bytes of `value` (dicts, lists, strings, integers, booleans, None; no floats).

    The ledger's own entries take the fast path; anything else goes through the rfc8785 package.
    """
    if _plain(value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return rfc8785.dumps(value)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_value(value):
    """A JSON-safe form of a field value: dates and times as ISO text, decimals as text, bytes as hex (inside dicts
    and lists too)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        raise TypeError("floats have no canonical form here; store amounts as Decimal")
    if isinstance(value, dict | list | tuple):
        return _nested(value)
    return value


def _nested(value):
    """Dates and decimals inside a structure made JSON-safe; a float stored in a JSON field keeps its RFC 8785
    number form."""
    if isinstance(value, dict):
        return {key: _nested(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_nested(item) for item in value]
    return value if isinstance(value, float) else json_value(value)


def snapshot(instance: models.Model) -> dict:
    """Every concrete field of `instance` (foreign keys as ids), JSON-safe."""
    return {
        field.attname: json_value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in EXCLUDED_FIELDS
    }


def snapshot_digest(instance: models.Model) -> str:
    return sha256_hex(canonical_json(snapshot(instance)))
