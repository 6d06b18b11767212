"""What a penalty decision recounts of its case besides the facts (《行政处罚法》第五十九条第二项; 第四十四条、第四十五条、
第六十二条至第六十五条): the procedure the party went through — the prior notice and the day it was served, the
statements and the hearing, or that the party waived them or let their periods run, and how the agency answered —
and the evidence by its numbers in the case file (kept by the evidence app: hooks.evidence_list).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sanxiang.cases import deadlines, hooks
from sanxiang.cases.models import Case
from sanxiang.core.wording import day_words, last_day_words
from sanxiang.documents.selectors import documents_for


def _day(day) -> str:
    return day_words(day, formal=True)


def _notice(case: Case) -> str:
    notices = [document for document in documents_for(case) if document.doc_type == "prior_notice"]
    rights = _("陈述、申辩的权利和要求听证的权利") if case.hearing_offered else _("陈述、申辩的权利")
    return _(
        "本机关于%(date)s向你（单位）送达《行政处罚事先（听证）告知书》（%(number)s），告知拟作出行政处罚的事实、"
        "理由、依据和处罚内容，以及你（单位）依法享有的%(rights)s。"
    ) % {"date": _day(case.notice_served_on), "number": notices[-1].number if notices else "—", "rights": rights}


def _statement(case: Case) -> str:
    if case.statement_received_on:
        return _("你（单位）于%(date)s提出陈述、申辩：%(summary)s") % {
            "date": _day(case.statement_received_on),
            "summary": case.statement_summary.rstrip("。") + "。",
        }
    if case.statement_waived_on:
        return _("你（单位）于%(date)s明确放弃陈述、申辩。") % {"date": _day(case.statement_waived_on)}
    return _("你（单位）在陈述、申辩期限内（至%(date)s）未提出陈述、申辩。") % {
        "date": last_day_words(deadlines.statement_due(case).date, formal=True)
    }


def _hearing(case: Case) -> str:
    if not case.hearing_offered:
        return ""
    requested = case.hearing_requested_on
    if case.hearing_held_on:
        # A party who stays away without good reason is taken to waive the hearing (record_hearing keeps that day).
        absent = case.rights_waived_on == case.hearing_held_on and not case.hearing_waived_on
        text = _("你（单位）于%(requested)s要求举行听证，本机关于%(held)s组织听证") % {
            "requested": _day(requested),
            "held": _day(case.hearing_held_on),
        }
        return text + (_("，你（单位）无正当理由未到场，视为放弃听证权利。") if absent else "。")
    if case.hearing_waived_on and requested:
        return _("你（单位）于%(requested)s要求举行听证，后于%(waived)s明确放弃听证。") % {
            "requested": _day(requested),
            "waived": _day(case.hearing_waived_on),
        }
    if case.hearing_waived_on:
        return _("你（单位）于%(date)s明确放弃听证。") % {"date": _day(case.hearing_waived_on)}
    return _("你（单位）在要求听证的期限内（至%(date)s）未要求听证。") % {
        "date": last_day_words(deadlines.hearing_request_due(case).date, formal=True)
    }


def procedure_text(case: Case) -> str:
    """The notice, the party's answer to it and the agency's, in the order they happened."""
    parts = [_notice(case), _statement(case), _hearing(case)]
    if case.reconsideration_note:
        parts.append(_("经复核，本机关意见：%(note)s") % {"note": case.reconsideration_note.rstrip("。") + "。"})
    if case.collective_held_on:
        parts.append(_("本案经本机关负责人于%(date)s集体讨论决定。") % {"date": _day(case.collective_held_on)})
    return "".join(parts)


def evidence_list(case: Case) -> str:
    """The evidence in the case file by its numbers ("" when the file holds none, which the decision refuses)."""
    lines = hooks.evidence_list.provider(case=case)
    if not lines:
        return ""
    return "\n".join([str(_("上述事实有下列证据证明（案卷中的证据编号）：")), *lines])


def penalty_recitals(case: Case) -> dict:
    """The fields of a penalty decision that recount its case: procedure_text and evidence_list."""
    return {"procedure_text": procedure_text(case), "evidence_list": evidence_list(case)}
