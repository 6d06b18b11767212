"""检查任务, from registration to its result: registered by an officer or a head (or made from a draw, one for each
drawn target, dispatched to the drawn pair), dispatched by a head to at least two officers with a certificate valid
that day, started by one of them as an on-site inspection (cases.inspection_start), closed once the inspection is
complete with its result, or cancelled by a head with a reason.

One function per move of TASK, each in one transaction with its ledger entry. A reporter's name and contact never
enter an entry: it records only that a reporter was recorded (《环境保护法》第五十七条, docs/domain.md).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency, Role
from sanxiang.cases import services as cases
from sanxiang.cases.gates import acting_officer, certified_officers, is_head
from sanxiang.cases.models import Case, Inspection, Party
from sanxiang.core.text import refuse_control_characters
from sanxiang.documents.selectors import is_act_officer
from sanxiang.inspections import draw_results
from sanxiang.inspections.approval_selectors import refuse_recused
from sanxiang.inspections.plan_models import Draw, DrawTarget, Plan, Result
from sanxiang.inspections.task_models import Task, TaskReporter
from sanxiang.ledger.services import staff_refs
from sanxiang.ledger.transitions import NEW, Move, StateMachine

PENDING, DISPATCHED, IN_PROGRESS = Task.Status.NEW, Task.Status.DISPATCHED, Task.Status.IN_PROGRESS
DONE, CANCELLED = Task.Status.DONE, Task.Status.CANCELLED
REGISTRARS = {Role.OFFICER, Role.HEAD}


class TaskMachine(StateMachine):
    def facts(self, record: Task) -> dict:
        return super().facts(record) | {"party": record.party_id, "source": record.source}


TASK = TaskMachine(
    model=Task,
    prefix="task",
    related=("agency", "party"),
    conflict=gettext_lazy("该检查任务已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("检查任务当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "create": Move({NEW}, PENDING, gettext_lazy("登记检查任务"), roles=REGISTRARS),
        # a drawn target whose pair can no longer inspect waits for a head to dispatch it
        "draw": Move({NEW}, {PENDING, DISPATCHED}, gettext_lazy("按抽取结果生成检查任务"), roles={Role.HEAD}),
        "dispatch": Move({PENDING, DISPATCHED}, DISPATCHED, gettext_lazy("派发检查任务"), roles={Role.HEAD}),
        "start": Move({DISPATCHED}, IN_PROGRESS, gettext_lazy("开始检查"), roles={Role.OFFICER}),
        "close": Move({IN_PROGRESS}, DONE, gettext_lazy("办结检查任务"), roles=REGISTRARS),
        "cancel": Move({PENDING, DISPATCHED}, CANCELLED, gettext_lazy("撤销检查任务"), roles={Role.HEAD}),
    },
)
LEDGER_ACTIONS = TASK.labels()


def _text(value: str, field: str, limit: int, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    refuse_control_characters({field: value})
    if (required and not value) or len(value) > limit:
        raise ValidationError({field: message})
    return value


def _officers(task: Task, officers, day: dt.date) -> dict:
    """The officers' certificates valid on `day` (at least two, of the task's agency or one above or below it —
    the check cases.inspection_start makes), from accounts in use: the inspector directory's people."""
    officers = list(officers)
    inactive = [officer.full_name for officer in officers if not officer.is_active]
    if inactive:
        raise ValidationError({"officers": _("%(names)s 的账号已停用，不能派发。") % {"names": "、".join(inactive)}})
    certificates = certified_officers(officers, on=day, agency=task.agency)
    refuse_recused(task.party, officers)
    return certificates


def _officer_facts(certificates: dict) -> dict:
    return {
        "officers": staff_refs(certificates),
        "certificates": sorted(certificate.number for certificate in certificates.values()),
    }


@transaction.atomic
def task_create(
    *,
    actor,
    agency: Agency,
    party: Party,
    source: str,
    description: str,
    due_on: dt.date | None = None,
    reference: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
) -> Task:
    """登记: a task of `agency` on an enterprise it supervises, from a complaint (with the reporter, if known), an
    assignment by a higher agency (with its reference number) or a monitoring clue. A head dispatches it."""
    TASK.require(actor, agency, "create")
    errors = {}
    if source not in Task.Source.values or source == Task.Source.RANDOM:
        errors["source"] = _("请选择任务来源；双随机抽查任务由抽取结果生成。")
    if not (party.agency.is_within(agency) or agency.is_within(party.agency)):
        errors["party"] = _("该企业不在本机关的监管范围内。")
    description = (description or "").strip()
    if not description or len(description) > 300:
        errors["description"] = _("请填写任务说明（300 字以内）。")
    reference = (reference or "").strip()
    if source == Task.Source.ASSIGNED and not reference:
        errors["reference"] = _("上级交办的任务须填写交办文号。")
    elif len(reference) > 60:
        errors["reference"] = _("交办文号不能超过 60 字。")
    reporter_name, reporter_contact = (reporter_name or "").strip(), (reporter_contact or "").strip()
    if (reporter_name or reporter_contact) and source != Task.Source.COMPLAINT:
        errors["reporter_name"] = _("只有信访举报任务可以登记举报人。")
    elif reporter_contact and not reporter_name:
        errors["reporter_name"] = _("登记举报人联系方式时，请同时填写举报人姓名。")
    elif len(reporter_name) > 50 or len(reporter_contact) > 100:
        errors["reporter_name"] = _("举报人姓名不能超过 50 字，联系方式不能超过 100 字。")
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = _("完成期限不能早于今天。")
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        agency=agency,
        party=party,
        source=source,
        reference=reference,
        description=description,
        division=party.division,
        due_on=due_on,
        created_by=actor,
    )
    if reporter_name:
        TaskReporter.objects.create(task=task, name=reporter_name, contact=reporter_contact)
    TASK.start(task, "create")
    facts = {"division": task.division, "due_on": due_on, "reporter": bool(reporter_name)}
    TASK.commit(actor, task, "create", facts | ({"reference": reference} if reference else {}))
    return task


@transaction.atomic
def tasks_from_draw(*, actor, draw: Draw) -> list[Task]:
    """One task for each drawn target not yet inspected, dispatched to its drawn pair with the plan's end as its
    due date — or left for a head to dispatch when the draw found no pair or a certificate of the pair is no
    longer valid. Made once per draw."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draw.plan_id)
    TASK.require(actor, plan.agency, "draw")
    if plan.status != Plan.Status.DRAWN:
        raise ValidationError(_("抽查计划已结束，不能再生成检查任务。"), code="plan_closed")
    if Task.objects.filter(draw_target__plan=plan).exists():
        raise ValidationError(_("该次抽取已生成过检查任务，不能重复生成。"), code="tasks_exist")
    targets = list(
        plan.targets.filter(status=DrawTarget.Status.DRAWN)
        .select_related("party", "first_certificate__holder", "second_certificate__holder")
        .order_by("rank")
    )
    if not targets:
        raise ValidationError(_("该次抽取没有待检查的抽查对象。"), code="no_targets")
    today, tasks = timezone.localdate(), []
    for target in targets:
        task = Task.objects.create(
            agency=plan.agency,
            party=target.party,
            source=Task.Source.RANDOM,
            draw_target=target,
            description=_("%(plan)s 第 %(rank)d 号抽查对象") % {"plan": plan.title, "rank": target.rank},
            division=target.party.division,
            due_on=plan.period_end,
            created_by=actor,
        )
        TASK.start(task, "draw")
        facts = {"plan": plan.pk, "rank": target.rank, "division": task.division, "due_on": task.due_on}
        pair = [target.first_certificate.holder, target.second_certificate.holder] if target.first_certificate else []
        try:
            certificates = _officers(task, pair, today) if pair else {}
        except ValidationError:
            certificates = {}  # the head dispatches it to others
        if certificates:
            task.status, task.dispatched_by, task.dispatched_at = DISPATCHED, actor, timezone.now()
            task.officers.set(pair)
            facts |= _officer_facts(certificates)
        TASK.commit(actor, task, "draw", facts)
        tasks.append(task)
    return tasks


@transaction.atomic
def task_dispatch(*, actor, task: Task, officers, due_on: dt.date, version: int | None = None) -> Task:
    """派发 (or re-dispatch before the inspection starts): at least two officers, each with a certificate valid
    today, and the due date."""
    task = TASK.lock(task, "dispatch", version=version)
    TASK.require(actor, task.agency, "dispatch")
    if due_on is None or due_on < timezone.localdate():
        raise ValidationError({"due_on": _("完成期限不能早于今天。")})
    officers = list(officers)
    certificates = _officers(task, officers, timezone.localdate())
    task.officers.set(officers)
    task.due_on, task.dispatched_by, task.dispatched_at = due_on, actor, timezone.now()
    TASK.commit(actor, task, "dispatch", _officer_facts(certificates) | {"due_on": due_on})
    return task


def _inspection_start(*, actor, task: Task, place: str, started_at: dt.datetime, late_reason: str, **extra):
    """The one call of the task's on-site inspection: its party, its officers, its agency. `extra` goes to
    cases.inspection_start as it is (what a gate of starting an inspection asks for)."""
    return cases.inspection_start(
        actor=actor,
        agency=task.agency,
        party=task.party,
        place=place,
        started_at=started_at,
        officers=list(task.officers.all()),
        late_reason=late_reason,
        **extra,
    )


@transaction.atomic
def task_start(
    *,
    actor,
    task: Task,
    place: str = "",
    started_at: dt.datetime | None = None,
    late_reason: str = "",
    version: int | None = None,
    **extra,
) -> Task:
    """开始检查: one of the task's officers starts the on-site inspection of its enterprise with the task's officers
    (at the enterprise's address unless another place is given, now unless another time is given)."""
    task = TASK.lock(task, "start", version=version)
    TASK.require(actor, task.agency, "start")
    acting_officer(actor, task.officers.all())
    place = _text(place or task.party.address, "place", 200, _("请填写检查地点（200 字以内）。"))
    inspection = _inspection_start(
        actor=actor,
        task=task,
        place=place,
        started_at=started_at or timezone.now(),
        late_reason=late_reason,
        **extra,
    )
    task.inspection = inspection
    TASK.commit(actor, task, "start", {"inspection": inspection.pk})
    return task


def _check_close(inspection: Inspection, result: str, note: str, case: Case | None) -> None:
    if inspection.status != Inspection.Status.COMPLETED:
        raise ValidationError(
            _("现场检查尚未完成（须有现场检查笔录），不能办结检查任务。"), code="inspection_not_completed"
        )
    if result not in Result.values:
        raise ValidationError({"result": _("请选择检查结果。")})
    if result == Result.NO_PROBLEM and inspection.violation_found:
        raise ValidationError({"result": _("现场检查笔录记载发现涉嫌违法行为，结果不能是“未发现问题”。")})
    if result == Result.ORDERED_TO_CORRECT and not note:
        raise ValidationError({"note": _("责令改正的，请写明责令改正的内容和期限。")})
    if len(note) > 300:
        raise ValidationError({"note": _("责令改正情况不能超过 300 字。")})
    if result == Result.CASE_OPENED and (case is None or case.inspection_id != inspection.pk):
        raise ValidationError({"case": _("立案查处的，请选择由本次现场检查开启的案件。")})
    if result != Result.CASE_OPENED and inspection.cases.exists():
        raise ValidationError({"result": _("本次现场检查已开启案件，结果应为“立案查处”。")})


def _records_draw_result(task: Task) -> bool:
    """Whether closing the task records its drawn target's result: only an inspection by the drawn pair counts as
    the 抽查 (draw_results); a task the head dispatched to others leaves the target to the plan's own handling."""
    target = task.draw_target
    if target is None or target.status != DrawTarget.Status.DRAWN or target.first_certificate_id is None:
        return False
    pair = {target.first_certificate.holder_id, target.second_certificate.holder_id}
    return pair <= set(task.inspection.officers.values_list("pk", flat=True))


@transaction.atomic
def task_close(
    *, actor, task: Task, result: str, note: str = "", case: Case | None = None, version: int | None = None
) -> Task:
    """办结: after the inspection is complete, by one of the task's officers or a head — 未发现问题, 责令改正 (with
    what was ordered) or 立案查处 (with the case opened from that inspection, which carries it over). A task from a
    draw records the drawn target's result at the same time."""
    task = TASK.lock(task, "close", version=version)
    if actor is not None and not (is_act_officer(actor, task.officers.all()) or is_head(actor, task.agency)):
        raise PermissionDenied(_("检查任务由承办的执法人员或负责人办结。"))
    note = (note or "").strip()
    _check_close(task.inspection, result, note, case if result == Result.CASE_OPENED else None)
    task.result, task.result_note = result, note if result == Result.ORDERED_TO_CORRECT else ""
    task.case, task.closed_at = (case if result == Result.CASE_OPENED else None), timezone.now()
    if _records_draw_result(task):
        draw_results.draw_target_record_result(
            actor=actor, target=task.draw_target, inspection=task.inspection, result=result
        )
    facts = {"inspection": task.inspection_id, "result": result}
    TASK.commit(actor, task, "close", facts | ({"case": task.case_id} if task.case_id else {}))
    return task


@transaction.atomic
def task_cancel(*, actor, task: Task, reason: str, version: int | None = None) -> Task:
    """撤销: a head withdraws a task not yet started, saying why (the reason stays on the task, not in the ledger)."""
    task = TASK.lock(task, "cancel", version=version)
    TASK.require(actor, task.agency, "cancel")
    task.cancel_reason = _text(reason, "reason", 300, _("请写明撤销理由（300 字以内）。"))
    TASK.commit(actor, task, "cancel")
    return task
