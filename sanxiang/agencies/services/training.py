"""Writes for officers' training (培训记录): record a course, withdraw a record with a reason, or correct one —
the old record withdrawn and the corrected one recorded in its place, both ledgered. Nothing is edited in place.

Also the gate certificate renewal passes through: a holder short of the previous year's training hours
(`agencies.training_hours_per_year`) is not renewed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Certificate, ExamResult, Role, TrainingKind, TrainingRecord, User
from sanxiang.agencies.training_selectors import training_require, training_requirement, training_shortfall
from sanxiang.core.errors import RuleViolation
from sanxiang.core.text import refuse_control_characters
from sanxiang.ledger.services import ledger_append

# What a correction may change: everything but the officer.
TRAINING_FIELDS = (
    "course",
    "organiser",
    "kind",
    "started_on",
    "ended_on",
    "hours",
    "exam_result",
    "exam_score",
    "certificate_number",
    "evidence_note",
)


def _number(value) -> str:
    return f"{Decimal(value).normalize():f}"


def _facts(record: TrainingRecord) -> dict:
    # Non-personal key facts only: the course's title and organiser are not about a natural person.
    return {
        "officer": f"staff:{record.officer_id}",
        "course": record.course,
        "kind": record.kind,
        "started_on": record.started_on.isoformat(),
        "ended_on": record.ended_on.isoformat(),
        "hours": _number(record.hours),
        "exam_result": record.exam_result,
        "exam_score": None if record.exam_score is None else _number(record.exam_score),
    }


def _build(*, officer: User, agency, values: dict, today: dt.date) -> TrainingRecord:
    if officer.agency_id is None or not officer.has_role(Role.OFFICER):
        raise ValidationError({"officer": _("培训记录只为具有执法人员角色的本系统工作人员登记。")})
    unknown = set(values) - set(TRAINING_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}
    refuse_control_characters(values)
    values.setdefault("exam_result", ExamResult.NONE)
    errors = {}
    if values.get("kind") not in TrainingKind.values:
        errors["kind"] = _("未知培训类别。")
    if values.get("exam_result") not in ExamResult.values:
        errors["exam_result"] = _("未知考试结果。")
    started_on, ended_on, hours = values.get("started_on"), values.get("ended_on"), values.get("hours")
    if started_on and ended_on:
        if ended_on < started_on:
            errors["ended_on"] = _("结束日期不能早于开始日期。")
        elif ended_on > today:
            errors["ended_on"] = _("培训结束后才能登记，结束日期不能晚于今天。")
        elif hours is not None and Decimal(hours) > 24 * ((ended_on - started_on).days + 1):
            errors["hours"] = _("学时超过了培训起止日期所能容纳的时数，请核对。")
    if hours is not None and Decimal(hours) <= 0:
        errors["hours"] = _("学时必须大于零。")
    score = values.get("exam_score")
    if score is not None and values.get("exam_result") == ExamResult.NONE:
        errors["exam_score"] = _("未设考试的培训不能填写考试成绩。")
    elif score is not None and not 0 <= Decimal(score) <= 100:
        errors["exam_score"] = _("考试成绩应在 0 至 100 分之间。")
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord(officer=officer, agency=agency, **values)
    record.full_clean(exclude=["replaces"])
    return record


@transaction.atomic
def training_record_create(
    *,
    actor: User | None,
    officer: User,
    course: str,
    organiser: str,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date,
    hours: Decimal,
    exam_result: str = ExamResult.NONE,
    exam_score: Decimal | None = None,
    certificate_number: str = "",
    evidence_note: str = "",
) -> TrainingRecord:
    """Record a course an officer attended (培训记录), in the officer's agency, by its head or system administrator."""
    if officer.agency_id is not None:
        training_require(user=actor, agency=officer.agency)
    record = _build(
        officer=officer,
        agency=officer.agency,
        values={
            "course": course,
            "organiser": organiser,
            "kind": kind,
            "started_on": started_on,
            "ended_on": ended_on,
            "hours": hours,
            "exam_result": exam_result,
            "exam_score": exam_score,
            "certificate_number": certificate_number,
            "evidence_note": evidence_note,
        },
        today=timezone.localdate(),
    )
    record.save()
    ledger_append(actor=actor, agency=record.agency, action="training.create", subject=record, data=_facts(record))
    return record


def _lock_standing(record: TrainingRecord) -> TrainingRecord:
    record = TrainingRecord.objects.select_for_update().select_related("officer", "agency").get(pk=record.pk)
    if record.is_withdrawn:
        raise ValidationError(_("该培训记录已撤回，不能再撤回或更正。"), code="invalid_transition")
    return record


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因。")})
    refuse_control_characters({"reason": reason})
    return reason


@transaction.atomic
def training_record_withdraw(*, actor: User | None, record: TrainingRecord, reason: str) -> TrainingRecord:
    """Withdraw a record entered by mistake: it stays on file, marked, and no longer counts."""
    training_require(user=actor, agency=record.agency)
    reason = _reason(reason)
    record = _lock_standing(record)
    record.withdrawn_at = timezone.now()
    record.withdrawal_reason = reason
    record.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    ledger_append(
        actor=actor, agency=record.agency, action="training.withdraw", subject=record, data={"reason": reason}
    )
    return record


@transaction.atomic
def training_record_correct(*, actor: User | None, record: TrainingRecord, reason: str, **changes) -> TrainingRecord:
    """Correct a record: the old one is withdrawn with the reason, the corrected one recorded in its place; the
    ledger keeps both, and the correction's entry names what changed from what to what."""
    training_require(user=actor, agency=record.agency)
    reason = _reason(reason)
    record = _lock_standing(record)
    values = {field: getattr(record, field) for field in TRAINING_FIELDS}
    unknown = set(changes) - set(TRAINING_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values.update(changes)
    corrected = _build(officer=record.officer, agency=record.agency, values=values, today=timezone.localdate())
    fields = [field for field in TRAINING_FIELDS if getattr(record, field) != getattr(corrected, field)]
    if not fields:
        raise ValidationError(_("更正后的内容与原记录相同。"))
    record.withdrawn_at = timezone.now()
    record.withdrawal_reason = (_("已更正：%(reason)s") % {"reason": reason})[:300]
    record.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    ledger_append(
        actor=actor,
        agency=record.agency,
        action="training.withdraw",
        subject=record,
        data={"reason": record.withdrawal_reason},
    )
    corrected.replaces = record
    corrected.save()
    before, after = _facts(record), _facts(corrected)
    changed = [key for key in before if before[key] != after[key]]
    ledger_append(
        actor=actor,
        agency=corrected.agency,
        action="training.correct",
        subject=corrected,
        data={
            "replaces": record.pk,
            "reason": reason,
            "fields": fields,
            "before": {key: before[key] for key in changed},
            "after": {key: after[key] for key in changed},
        },
    )
    return corrected


def certificate_training_check(*, certificate: Certificate, today: dt.date) -> None:
    """Refuse to extend a certificate whose holder attended fewer hours of training last year than required."""
    short = training_shortfall(certificate=certificate, today=today)
    if short is None:
        return
    requirement = training_requirement(certificate.holder.agency)
    raise RuleViolation(
        _(
            "持证人 %(year)s 年度参加培训 %(hours)s 学时，未达到每年 %(required)s 学时的要求（尚差 %(missing)s 学时），"
            "不能延期换证；请先登记其培训记录"
        )
        % {
            "year": short.year,
            "hours": f"{short.hours.normalize():f}",
            "required": f"{short.required.normalize():f}",
            "missing": f"{short.missing.normalize():f}",
        },
        code="training_short",
        citation=requirement.citation,
    )
