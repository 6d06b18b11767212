"""送审材料 of a major licence decision: what the handling unit sends for review, assembled from the application as it
stands — the licence type and its conditions, the applicant, the materials handed in, the examinations and site
checks, the periods not counted (hearings, expert reviews) and the documents issued so far — and what is missing.

As for a case (materials.py), the materials are kept with each round, so rounds can be compared.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.licensing.models import Application
from sanxiang.licensing.services import missing_materials
from sanxiang.review.catalogue import licence_reasons
from sanxiang.review.materials import document_list

OPINION = "licence_review_opinion"
# What the materials hold, by name, as the page says what changed between two rounds.
LABELS = {
    "licence_type": gettext_lazy("许可事项"),
    "applicant": gettext_lazy("申请人"),
    "application": gettext_lazy("申请事项"),
    "materials": gettext_lazy("申请材料"),
    "examinations": gettext_lazy("审查记录"),
    "pauses": gettext_lazy("听证、专家评审等"),
    "documents": gettext_lazy("执法文书"),
}


def missing(application: Application) -> list[str]:
    """What a complete submission needs and the application does not yet have, named for the handling unit: the
    required materials (an application deemed accepted may lack some) and a record of its examination."""
    gaps = [_("申请材料：%(name)s") % {"name": material.name} for material in missing_materials(application)]
    if not application.examinations.exists():
        gaps.append(_("审查记录（尚未记录材料审查、现场核查或听取意见的情况）"))
    return gaps


def _day(value) -> str:
    return str(value) if value else ""


def assemble(application: Application) -> dict:
    kind = application.licence_type
    names = {material.code: material for material in kind.materials.all()}
    return {
        "licence_type": {
            "code": kind.code,
            "name": kind.name,
            "category": kind.category,
            "basis": kind.basis,
            "conditions": kind.conditions,
            "period": f"{kind.period}（{kind.decision_citation}）",
            "power": {"code": kind.power.code, "name": kind.power.name} if kind.power_id else None,
        },
        "application": {
            "number": application.number,
            "kind": application.get_kind_display(),
            "project": application.project,
            "request": application.request,
            "received_on": _day(application.received_on),
            "accepted_on": _day(application.accepted_on),
            "deemed_accepted": application.deemed_accepted,
            "decision_due_on": _day(application.decision_due_on),
            "extension_reason": application.extension_reason if application.extended else "",
        },
        # the applicant as the documents name it; contact, address and ID number stay on the application
        "applicant": {"name": application.applicant_name, "uscc": application.applicant_uscc},
        "materials": [
            {"code": code, "name": names[code].name if code in names else code, "required": names[code].required}
            for code in application.materials
            if code in names
        ],
        "missing": [material.name for material in missing_materials(application)],
        "examinations": [
            {
                "kind": examination.get_kind_display(),
                "held_on": _day(examination.held_on),
                "officers": [person.full_name for person in examination.officers.all()],
                "findings": examination.findings,
            }
            for examination in application.examinations.prefetch_related("officers")
        ],
        "pauses": [
            {
                "kind": pause.get_kind_display(),
                "started_on": _day(pause.started_on),
                "ended_on": _day(pause.ended_on),
                "requested_on": _day(pause.requested_on),
                "held_on": _day(pause.held_on),
                "result": pause.result,
                "days": pause.days,
            }
            for pause in application.pauses.all()
        ],
        "documents": document_list(application, opinion=OPINION),
        "review_reasons": licence_reasons(application),
    }
