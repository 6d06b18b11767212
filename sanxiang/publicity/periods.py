"""How long a decision stays on the portal: its credit class (信用修复管理办法, from 2026-04-01) and the display
period that class gives, or a licence's validity. Pure functions of a record and the rules (core.Rule)."""

from __future__ import annotations

import datetime as dt

from sanxiang.cases.models import PenaltyKind
from sanxiang.core.rules import deadline, rule
from sanxiang.publicity.models import CreditClass, Kind, Publication

# 生态环境 责令停产停业、吊销许可证照 are 特定严重失信 (发改办财金〔2019〕527号); a warning alone is 轻微.
SERIOUS_KINDS = {PenaltyKind.REVOKE_LICENCE, PenaltyKind.SUSPEND_OPERATION, PenaltyKind.CLOSE}
DISPLAY_RULES = {
    CreditClass.MINOR: "publication.minor_max_months",
    CreditClass.GENERAL: "publication.general_max_months",
    CreditClass.SERIOUS: "publication.serious_max_months",
}
REPAIR_RULES = {
    CreditClass.GENERAL: "publication.general_min_months",
    CreditClass.SERIOUS: "publication.serious_min_months",
}


def credit_class(kinds: list[str], *, agency, simple_procedure: bool = False) -> str:
    """The credit class of a penalty of these kinds: 轻微 for a warning or 通报批评 alone and, by the rule
    `credit.simple_procedure_minor`, for any penalty decided by the simple procedure (当场处罚)."""
    if set(kinds) & SERIOUS_KINDS:
        return CreditClass.SERIOUS
    if kinds and set(kinds) <= {PenaltyKind.WARNING, PenaltyKind.CRITICISM}:
        return CreditClass.MINOR
    if simple_procedure and rule("credit.simple_procedure_minor", agency).number:
        return CreditClass.MINOR
    return CreditClass.GENERAL


def display_until(publication: Publication) -> dt.date | None:
    """The last day on the portal: by credit class for penalties, by validity for licences (None = long-term)."""
    if publication.kind == Kind.LICENCE:
        valid_to = publication.summary.get("有效期至", "")
        return None if not valid_to or valid_to.startswith("2099") else dt.date.fromisoformat(valid_to)
    key = DISPLAY_RULES[publication.credit_class] if publication.kind == Kind.PENALTY else "publication.other_months"
    return deadline(key, publication.decided_on, publication.agency).date
