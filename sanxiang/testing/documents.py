"""A complete set of values for a document type: every field it may use filled, so a test of something else (numbers,
templates, concurrency) issues documents the required-field check lets through."""

from sanxiang.documents.types import COMMON_FIELDS, doc_type


def filled(code: str, **overrides) -> dict:
    """Every field of type `code` but the ones document_issue fills itself, each with a value that names it."""
    values = {name: f"〔{name}〕" for name in doc_type(code).fields if name not in COMMON_FIELDS}
    return values | overrides
