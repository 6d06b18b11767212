"""Checks on the text people type into records that others will read, print and publish."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 control characters, and the invisible marks that reorder or hide text (bidirectional overrides and
# isolates, zero-width characters, the byte-order mark): in a name they garble documents and let one name pass
# for another.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def refuse_control_characters(values: dict[str, object]) -> None:
    """Refuse, naming each field, any text value that holds a control or invisible formatting character."""
    errors = {
        field: _("不能含有控制字符或不可见的格式字符。")
        for field, value in values.items()
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value)
    }
    if errors:
        raise ValidationError(errors, code="control_characters")


def reason_check(reason: str, *, what: str, limit: int = 300, field: str = "reason") -> str:
    """A reason written into the record and the ledger: no control characters, not blank, at most `limit`
    characters; returned trimmed. `what` names it in the message ("更正理由"), refused under `field`."""
    refuse_control_characters({field: reason})
    reason = (reason or "").strip()
    if not reason or len(reason) > limit:
        raise ValidationError(
            {field: _("请写明%(what)s（%(limit)d 字以内）。") % {"what": what, "limit": limit}}, code="reason"
        )
    return reason
