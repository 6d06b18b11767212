"""责令停业、关闭 (《环境保护法》第六十条; 《环境保护主管部门实施限制生产、停产整治办法》第八条): the agency proposes it in a
case of its own — notified with the hearing right, legally reviewed and discussed collectively as the penalty it is —
reports it to the people's government with the power, records that government's approval (body, date, document
number), and only then decides it (gates.government_approved), carried out with its audio/video record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.cases import gates
from sanxiang.cases.models import Case, CaseKind, Closure
from sanxiang.cases.services.base import act_on, commit, legal_review_refusal, lock, today
from sanxiang.cases.services.derived import derive_case
from sanxiang.core.errors import RuleViolation


@transaction.atomic
def closure_propose(*, actor, case: Case, kind: str, ground: str, reason: str, investigators) -> Case:
    """责令停业、关闭立案: the head opens the closure case from the case that found the violation (or from the production
    measure the party defied)."""
    origin = lock(case, "propose_closure")
    gates.require_head(actor, origin.agency, _("责令停业、关闭立案"))
    if origin.kind not in (CaseKind.PENALTY, CaseKind.PRODUCTION):
        raise ValidationError(_("责令停业、关闭应当从发现违法行为的案件或者停产整治案件提出。"), code="wrong_origin")
    if kind not in Closure.Kind.values:
        raise ValidationError({"kind": _("请选择责令停业或者责令关闭。")})
    if ground not in Closure.Ground.values:
        raise ValidationError({"ground": _("请选择适用的严重情节。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明情节严重的事实。")})
    label = Closure.Kind(kind).label
    derived = derive_case(
        actor,
        origin,
        kind=CaseKind.CLOSURE,
        title=_("%(title)s（%(measure)s）") % {"title": origin.title, "measure": label},
        summary=f"{Closure.Ground(ground).label}：{reason.strip()}",
        found_on=today(),
        investigators=investigators,
    )
    Closure.objects.create(case=derived, kind=kind, ground=ground)
    commit(actor, origin, "propose_closure", {"derived": derived.pk, "kind": kind, "ground": ground})
    return derived


@transaction.atomic
def closure_approval_record(
    *,
    actor,
    case: Case,
    government: str,
    approved_on: dt.date,
    number: str,
    late_reason: str = "",
    version: int | None = None,
) -> Case:
    """登记人民政府批准: the approval the agency reported for, once its own procedure is done — the legal review
    cleared and the heads' collective discussion held (the report carries their conclusion)."""
    case = lock(case, "record_government_approval", version=version)
    if actor is not None and not gates.handles_case(actor, case):
        raise RuleViolation(
            _("人民政府的批准文件由本案承办人或者本机关负责人登记"),
            code="not_case_staff",
            citation=gates.CLOSURE_CITATION,
        )
    if case.closure.approved_on is not None:  # the page offers the step once; the API is refused the same
        raise ValidationError(_("人民政府的批准文件已经登记。"), code="already_approved")
    if not government.strip() or not number.strip():
        raise ValidationError(_("请填写批准机关和批准文号。"), code="incomplete")
    approved_on = act_on(case, approved_on, _("批准日期"), late_reason)
    refused = legal_review_refusal(case)
    if refused or case.collective_held_on is None:
        raise RuleViolation(
            _("报请人民政府批准前，应当完成法制审核和负责人集体讨论"),
            code="closure_not_ready",
            citation="《行政处罚法》第五十七条、第五十八条",
        )
    if approved_on < case.collective_held_on:
        raise ValidationError(_("批准日期不能早于集体讨论日期。"), code="approval_before_report")
    closure = case.closure
    closure.government, closure.approved_on, closure.approval_number = government.strip(), approved_on, number.strip()
    closure.save(update_fields=["government", "approved_on", "approval_number"])
    return commit(
        actor,
        case,
        "record_government_approval",
        {"government": closure.government, "approved_on": approved_on, "number": closure.approval_number},
    )
