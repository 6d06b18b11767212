"""The exchange data set's JSON Schemas (draft 2020-12), read from `schema/`, and their validators — no database.

No national schema for exchanging enforcement data is public, so we publish ours, versioned: every record says
`"version": 1`; a change that is not additive is a new version beside the old one, never an edit of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource

DIRECTORY = Path(__file__).resolve().parent / "schema"
FORMAT = "sanxiang-exchange/1"
# The records a feed carries, one per ledger entry; `subject` and `act` appear inside a publication.
RECORD_KINDS = ("officer", "item", "result", "publication")
NAMES = ("ledger", "agency", "subject", "act", *RECORD_KINDS)

__all__ = ["FORMAT", "NAMES", "RECORD_KINDS", "SchemaError", "is_valid_record", "record_errors", "schema", "validator"]


@cache
def schema(name: str) -> dict:
    if name not in NAMES:
        raise KeyError(name)
    return json.loads((DIRECTORY / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    return Registry().with_resources((schema(name)["$id"], Resource.from_contents(schema(name))) for name in NAMES)


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def record_errors(record) -> list[str]:
    """What is wrong with an exchange record (empty when it is valid against the schema of its kind)."""
    if not isinstance(record, dict) or record.get("kind") not in RECORD_KINDS:
        return [f"kind must be one of {', '.join(RECORD_KINDS)}"]
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(record)'}: {error.message}"
        for error in validator(record["kind"]).iter_errors(record)
    ]


# The reference client checks every record it mirrors, thousands a second, and the general validator takes some
# 100 µs a record; so the schemas' own small subset of the vocabulary is compiled into plain checks here, and the
# general validator runs only to say what is wrong with a record the fast check refused. A keyword outside the
# subset stops compilation, so a schema change cannot pass unchecked; the tests hold both validators to the same
# answers.
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "format"})
TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),  # type() is exact: a boolean is not an integer here, as in JSON
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}
Check = Callable[[object], bool]
SCALARS = frozenset({str, int, float, bool, type(None)})  # the values `const` and `enum` name here


def _both(first: Check, second: Check) -> Check:
    return lambda value: first(value) and second(value)


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        return _both(*checks)
    every = tuple(checks)

    def check(value) -> bool:
        for test in every:
            if not test(value):
                return False
        return True

    return check


def _any(branches: list[Check]) -> Check:
    if len(branches) == 2:
        first, second = branches
        return lambda value: first(value) or second(value)
    return lambda value: any(branch(value) for branch in branches)


def _reference(name: str) -> Check:
    """The check of schema `name`, looked up on first use (the schemas refer to one another by name)."""
    resolved: list[Check] = []

    def check(value) -> bool:
        if not resolved:
            resolved.append(fast_check(name))
        return resolved[0](value)

    return check


def _string_check(node: dict) -> Check | None:
    """A string node (type, and length and pattern only) as one check instead of one per keyword."""
    if node.get("type") != "string" or set(node) - ANNOTATIONS - {"type", "minLength", "maxLength", "pattern"}:
        return None
    least, most = node.get("minLength", 0), node.get("maxLength")
    search = re.compile(node["pattern"]).search if "pattern" in node else None

    def check(value) -> bool:
        return (
            type(value) is str
            and len(value) >= least
            and (most is None or len(value) <= most)
            and (search is None or search(value) is not None)
        )

    return check


def _compile(node: dict) -> Check:
    checks: list[Check] = []
    unknown = set(node) - ANNOTATIONS - _KEYWORDS
    if unknown:
        raise ValueError(f"schema keyword(s) {sorted(unknown)} are not compiled; add them to schemas._compile")
    simple = _string_check(node)
    if simple is not None:
        return simple
    if "$ref" in node:
        checks.append(_reference(node["$ref"].rsplit(":", 1)[1]))
    if "type" in node:
        kinds = frozenset(
            kind for name in ([node["type"]] if isinstance(node["type"], str) else node["type"]) for kind in TYPES[name]
        )
        checks.append(lambda value: type(value) in kinds)
    for keyword in ("const", "enum"):
        if keyword in node:
            # (type, value) pairs: 1 and true, or 1 and 1.0, are different JSON values
            allowed = frozenset(
                (type(option), option) for option in ([node["const"]] if keyword == "const" else node["enum"])
            )
            checks.append(lambda value, allowed=allowed: type(value) in SCALARS and (type(value), value) in allowed)
    if "anyOf" in node:
        branches = [_compile(branch) for branch in node["anyOf"]]
        checks.append(_any(branches))
    if "pattern" in node:
        search = re.compile(node["pattern"]).search
        checks.append(lambda value: type(value) is not str or search(value) is not None)
    if "minLength" in node:
        least = node["minLength"]
        checks.append(lambda value: type(value) is not str or len(value) >= least)
    if "maxLength" in node:
        most = node["maxLength"]
        checks.append(lambda value: type(value) is not str or len(value) <= most)
    if "minimum" in node:
        floor = node["minimum"]
        checks.append(lambda value: type(value) not in (int, float) or value >= floor)
    if {"required", "properties", "additionalProperties"} & set(node):
        checks.append(_object_check(node))
    return _all(checks)


_KEYWORDS = frozenset(
    {"$ref", "type", "const", "enum", "anyOf", "pattern", "minLength", "maxLength", "minimum", "required"}
    | {"properties", "additionalProperties"}
)


def _object_check(node: dict) -> Check:
    required = frozenset(node.get("required", ()))
    properties = {key: _compile(sub) for key, sub in node.get("properties", {}).items()}
    extra = node.get("additionalProperties", True)
    extra_check = None if isinstance(extra, bool) else _compile(extra)

    def check(value) -> bool:
        if type(value) is not dict:
            return True
        if not required <= value.keys():
            return False
        for key, item in value.items():
            test = properties.get(key)
            if test is not None:
                if not test(item):
                    return False
            elif extra is False:
                return False
            elif extra_check is not None and not extra_check(item):
                return False
        return True

    return check


@cache
def fast_check(name: str) -> Check:
    return _compile(schema(name))


def is_valid_record(record) -> bool:
    """The fast form of `not record_errors(record)`."""
    return type(record) is dict and record.get("kind") in RECORD_KINDS and fast_check(record["kind"])(record)
