"""行政复议 and 行政诉讼 against a case's decision, recorded with their outcome (《行政处罚法》第七十三条;
《行政复议法》; 《行政诉讼法》). An outcome that changes, revokes, or finds the decision unlawful or void has its
publication withdrawn in the same transaction (第四十八条第二款, through hooks.decision_changed)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.cases import hooks
from sanxiang.cases.models import WITHDRAWING_OUTCOMES, Case, Challenge
from sanxiang.cases.services.base import act_on, commit, lock


@transaction.atomic
def challenge_record(
    *,
    actor,
    case: Case,
    kind: str,
    body: str,
    filed_on: dt.date,
    reference: str = "",
    late_reason: str = "",
    version=None,
) -> Challenge:
    """登记: the party applied for 复议 or brought 诉讼 against the decision. One runs at a time (《行政诉讼法》第四十四条:
    a 复议 under way is decided before the court hears the case)."""
    case = lock(case, "challenge", version=version)
    if kind not in Challenge.Kind.values:
        raise ValidationError({"kind": _("请选择行政复议或行政诉讼。")})
    if not body.strip():
        raise ValidationError({"body": _("请填写复议机关或人民法院。")})
    act_on(case, filed_on, _("申请（起诉）日期"), late_reason)
    if filed_on < case.decided_on:
        raise ValidationError({"filed_on": _("申请（起诉）日期不能早于决定日期。")})
    if case.challenges.filter(decided_on__isnull=True).exists():
        raise ValidationError(_("本案已有尚未审结的行政复议或行政诉讼。"), code="challenge_open")
    challenge = Challenge.objects.create(
        case=case,
        kind=kind,
        body=body.strip(),
        reference=reference.strip(),
        filed_on=filed_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    commit(actor, case, "challenge", {"challenge": challenge.pk, "kind": kind, "filed_on": filed_on})
    return challenge


@transaction.atomic
def challenge_decide(
    *,
    actor,
    case: Case,
    challenge: Challenge,
    decided_on: dt.date,
    outcome: str,
    note: str = "",
    late_reason: str = "",
    version=None,
) -> Challenge:
    """The 复议决定 or judgment. Any outcome but 维持 or 撤回 needs its substance in `note`; one that changes,
    revokes, or finds the decision unlawful or void withdraws its publication at once."""
    case = lock(case, "challenge_outcome", version=version)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.case_id != case.pk or challenge.decided_on is not None:
        raise ValidationError(_("该复议或诉讼不属于本案，或已记录结果。"), code="challenge_closed")
    if outcome not in Challenge.Outcome.values:
        raise ValidationError({"outcome": _("请选择复议决定或判决的结果。")})
    if outcome in WITHDRAWING_OUTCOMES and not note.strip():
        raise ValidationError({"note": _("请写明变更、撤销或确认违法、无效的内容和理由。")})
    act_on(case, decided_on, _("决定（判决）日期"), late_reason)
    if decided_on < challenge.filed_on:
        raise ValidationError({"decided_on": _("决定（判决）日期不能早于申请（起诉）日期。")})
    challenge.decided_on, challenge.outcome, challenge.note = decided_on, outcome, note.strip()
    challenge.save(update_fields=["decided_on", "outcome", "note"])
    if outcome in WITHDRAWING_OUTCOMES:
        reason = _("该决定已于 %(date)s 经%(kind)s被%(outcome)s（%(body)s%(reference)s）。") % {
            "date": decided_on,
            "kind": challenge.get_kind_display(),
            "outcome": challenge.get_outcome_display(),
            "body": challenge.body,
            "reference": f" {challenge.reference}" if challenge.reference else "",
        }
        hooks.decision_changed(actor=actor, case=case, changed_on=decided_on, reason=reason)
    commit(actor, case, "challenge_outcome", {"challenge": challenge.pk, "outcome": outcome, "decided_on": decided_on})
    return challenge
