"""Errors that services raise for rules with legal force: the message names the rule and its article."""

from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A step the law forbids, e.g. "未经事先告知不得作出处罚决定（《行政处罚法》第六十二条）"."""

    def __init__(self, message: str, *, code: str, citation: str):
        super().__init__(f"{message}（{citation}）", code=code)
        self.citation = citation


class Conflict(ValidationError):
    """Somebody else changed the record since the caller read it."""

    def __init__(self, message: str = "记录已被他人修改，请刷新后重试。"):
        super().__init__(message, code="conflict")
