"""The result of a drawn target's inspection (抽查结果), and the officers' recusals (回避) the draw honours.

A result is recorded once the inspection of the target (cases.Inspection, at least two certified officers) is
complete: by one of the two drawn officers or a head, only for an inspection that the drawn pair carried out on
that enterprise within the plan's period after the draw. It is due on the portal within the working days the rule
`inspections.results_publish_workdays` sets from the inspection ([C2]; draws.draw_results_publish publishes it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Role, User
from sanxiang.cases.models import Inspection, Party
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline
from sanxiang.core.text import reason_check
from sanxiang.inspections.plan_models import DrawTarget, Plan, Recusal, Result
from sanxiang.inspections.plan_selectors import may_record_result
from sanxiang.ledger.transitions import NEW, Move, StateMachine

DRAWN, RECORDED = DrawTarget.Status.DRAWN, DrawTarget.Status.RECORDED
PUBLISH_RULE = "inspections.results_publish_workdays"
DRAWN_PAIR_BASIS = "国办发〔2015〕58号（随机选派执法检查人员）"


class TargetMachine(StateMachine):
    def facts(self, record: DrawTarget) -> dict:
        return {"plan": record.plan_id, "rank": record.rank}


TARGET = TargetMachine(
    model=DrawTarget,
    prefix="draw_target",
    related=("plan__agency",),
    versioned=False,
    refused=gettext_lazy("该抽查对象当前状态为“%(state)s”，不能%(action)s。"),
    moves={"record": Move({DRAWN}, RECORDED, gettext_lazy("登记抽查结果"), roles={Role.OFFICER, Role.HEAD})},
)

RECUSAL = StateMachine(
    model=Recusal,
    prefix="recusal",
    field="kind",
    versioned=False,
    moves={
        "declare": Move({NEW}, Recusal.Kind.DECLARED, gettext_lazy("申报回避"), roles={Role.OFFICER}),
        "kinship": Move({NEW}, Recusal.Kind.KINSHIP, gettext_lazy("登记近亲属关系回避"), roles={Role.HEAD}),
    },
)
LEDGER_ACTIONS = TARGET.labels() | RECUSAL.labels()
# Who may not inspect whom, and why, is about an officer's private ties: never shown to the public.
INTERNAL_ACTIONS = {action: "a recusal names an officer's conflict of interest" for action in RECUSAL.labels()}


def _check_inspection(target: DrawTarget, inspection: Inspection) -> None:
    plan, draw = target.plan, target.plan.draw
    if inspection.status != Inspection.Status.COMPLETED or inspection.ended_at is None:
        raise ValidationError({"inspection": _("该检查尚未完成（须有现场检查笔录）。")})
    if inspection.party.uscc != target.uscc:
        raise ValidationError({"inspection": _("该检查的对象不是本抽查对象。")})
    if not (inspection.agency.is_within(plan.agency) or plan.agency.is_within(inspection.agency)):
        raise ValidationError({"inspection": _("该检查不是本机关或其上下级机关实施的。")})
    day = timezone.localtime(inspection.started_at).date()
    if inspection.started_at < draw.performed_at or not plan.period_start <= day <= plan.period_end:
        raise ValidationError({"inspection": _("该检查不在抽取之后、计划的抽查期间之内。")})
    if hasattr(inspection, "draw_target"):
        raise ValidationError({"inspection": _("该检查已登记为另一抽查对象的结果。")})
    if target.first_certificate_id is None:
        raise RuleViolation(
            _("该抽查对象抽取时可选的执法人员不足两名，不能按抽取结果登记"), code="no_pair", citation=DRAWN_PAIR_BASIS
        )
    drawn = {target.first_certificate.holder_id, target.second_certificate.holder_id}
    present = set(inspection.officers.values_list("pk", flat=True))
    if not drawn <= present:
        raise RuleViolation(
            _("抽查须由随机抽取的执法人员（%(names)s）实施")
            % {"names": "、".join(c.holder.full_name for c in (target.first_certificate, target.second_certificate))},
            code="not_drawn_pair",
            citation=DRAWN_PAIR_BASIS,
        )


def _check_result(inspection: Inspection, result: str) -> None:
    if result not in Result.values:
        raise ValidationError({"result": _("请选择抽查结果。")})
    if inspection.violation_found and result == Result.NO_PROBLEM:
        raise ValidationError({"result": _("现场检查笔录记载发现涉嫌违法行为，结果不能是“未发现问题”。")})
    case_opened = inspection.cases.exists()
    if case_opened != (result == Result.CASE_OPENED):
        raise ValidationError({"result": _("已由该检查立案的，结果为“已立案查处”；未立案的，不能选择“已立案查处”。")})


@transaction.atomic
def draw_target_record_result(*, actor, target: DrawTarget, inspection: Inspection, result: str) -> DrawTarget:
    """登记抽查结果: link a drawn target to its completed inspection and say what it found; the publication
    deadline runs from the day the inspection ended."""
    target = TARGET.lock(target, "record")
    if target.plan.status != Plan.Status.DRAWN:
        raise ValidationError(_("抽查计划已结束，不能再登记结果。"), code="plan_closed")
    if actor is not None and not may_record_result(actor, target):
        raise PermissionDenied(_("抽查结果由抽取的执法人员本人或负责人登记。"))
    _check_inspection(target, inspection)
    _check_result(inspection, result)
    inspected_on = timezone.localtime(inspection.ended_at).date()
    due = deadline(PUBLISH_RULE, inspected_on, target.plan.agency)
    target.inspection, target.result, target.inspected_on, target.publish_due_on = (
        inspection,
        result,
        inspected_on,
        due.date,
    )
    target.recorded_by, target.recorded_at = actor, timezone.now()
    TARGET.commit(
        actor,
        target,
        "record",
        {"inspection": inspection.pk, "result": result, "publish_due_on": due.date},
    )
    return target


def _recusal(actor, officer: User, party: Party, reason: str, move: str) -> Recusal:
    reason = reason_check(reason, what=_("回避的情况"))
    RECUSAL.require(actor, officer.agency, move)
    if officer.agency is None or Role.OFFICER not in officer.roles:
        raise ValidationError({"officer": _("只能为执法人员登记回避。")})
    if not (party.agency.is_within(officer.agency) or officer.agency.is_within(party.agency)):
        raise ValidationError({"party": _("该企业不在本机关的监管范围内。")})
    if Recusal.objects.filter(officer=officer, party=party).exists():
        raise ValidationError(_("已登记过该执法人员对该企业的回避。"), code="duplicate")
    recusal = Recusal.objects.create(
        agency=officer.agency, officer=officer, party=party, kind="", reason=reason, recorded_by=actor
    )
    RECUSAL.start(recusal, move)
    RECUSAL.commit(actor, recusal, move, {"officer": f"staff:{officer.pk}", "party": party.pk}, agency=officer.agency)
    return recusal


@transaction.atomic
def recusal_declare(*, actor, party: Party, reason: str) -> Recusal:
    """An officer declares a conflict of interest with an enterprise (回避申报): no draw pairs them from now on."""
    return _recusal(actor, actor, party, reason, "declare")


@transaction.atomic
def recusal_record_kinship(*, actor, officer: User, party: Party, reason: str) -> Recusal:
    """A head records that an officer of the agency is a close relative of someone at an enterprise."""
    return _recusal(actor, officer, party, reason, "kinship")
