"""The audio/video record a measure requires, and 责令改正 (the correction order that starts the daily-penalty clock)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.cases import hooks
from sanxiang.cases.models import (
    AV_CITATION,
    Act,
    Case,
    CorrectionOrder,
)
from sanxiang.cases.services.base import (
    act_on,
    commit,
    decision_issued,
    issue,
    lock,
)
from sanxiang.core.errors import RuleViolation
from sanxiang.core.wording import deadline_words
from sanxiang.documents.texts import remedy_fields


def link_recordings(case: Case, act: str, measure) -> None:
    """The act's audio/video records not yet linked to another measure go with this one (the evidence app keeps
    them: hooks.measure_recordings); at least one is required, or the measure is not decided."""
    if not hooks.measure_recordings.provider(case=case, act=act, measure=measure):
        raise RuleViolation(
            _("%(act)s应当全程音像记录，请先登记该环节的录音录像") % {"act": Act(act).label},
            code="audiovisual_required",
            citation=AV_CITATION,
        )


@transaction.atomic
def correction_order_issue(
    *, actor, case: Case, content: str, served_on: dt.date, correct_by: dt.date, late_reason: str = ""
) -> CorrectionOrder:
    """责令改正违法行为决定书 (《行政处罚法》第二十八条)."""
    case = lock(case, "order_correction")
    act_on(case, served_on, _("送达日期"), late_reason)
    if correct_by < served_on or not content.strip():
        raise ValidationError(_("请写明改正内容和不早于送达日的改正期限。"), code="incomplete")
    order = CorrectionOrder.objects.create(
        case=case, content=content.strip(), served_on=served_on, correct_by=correct_by
    )
    document = issue(
        actor,
        case,
        "correction_order",
        served_on,
        subject=order,
        deadline_text=deadline_words(correct_by, formal=True),
        facts=case.facts or case.summary,
        basis=case.basis or (case.violation.basis if case.violation else ""),
        decision_text=order.content,
        **remedy_fields(case.agency),
    )
    order.number = document.number
    order.save(update_fields=["number"])
    decision_issued(
        actor,
        case,
        document,
        content=_("责令改正：%(content)s（%(date)s）") % {"content": order.content, "date": deadline_words(correct_by)},
    )
    commit(actor, case, "order_correction", {"order": order.pk, "served_on": served_on})
    return order
