"""The standard enforcement documents (环境行政执法文书制作指南, 2016; domain.md §10) and the fields each may use and
must fill: the shape of a type in base.py, the catalogue of types in catalogue.py."""

from __future__ import annotations

from sanxiang.documents.types.base import COMMON_FIELDS, LABELS, PAYMENT_FIELDS, REMEDY_FIELDS, DocType
from sanxiang.documents.types.catalogue import TYPES

__all__ = ["COMMON_FIELDS", "LABELS", "PAYMENT_FIELDS", "REMEDY_FIELDS", "TYPES", "DocType", "context_for", "doc_type"]


def doc_type(code: str) -> DocType:
    try:
        return TYPES[code]
    except KeyError:
        raise ValueError(f"unknown document type {code!r}") from None


def context_for(code: str, values: dict) -> dict:
    """The values a document of type `code` uses, out of `values` (the fields every document of a case shares and
    the step's own); document_issue refuses any other."""
    allowed = doc_type(code).fields
    return {key: value for key, value in values.items() if key in allowed}
