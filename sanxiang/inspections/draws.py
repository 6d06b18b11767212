"""双随机 plans, from draft to closed: drafted (编制) and edited by officers or heads, approved by a head — which
freezes the plan with its population and officer pool and commits its SHA-256 to the ledger —, drawn once with the
root of the first signed checkpoint after that commitment as the seed, its results published, and closed.

One function per move of PLAN, each locking the plan, checking the move against the table, applying it and
ledgering it in one transaction. Approving, drawing and publishing are public entries: the commitment and the draw
are for anyone to check (tools/verify_draw.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency, Certificate, Role
from sanxiang.cases.models import Party, Tier
from sanxiang.core.errors import RuleViolation
from sanxiang.core.text import refuse_control_characters
from sanxiang.inspections import drawing
from sanxiang.inspections.plan_models import Draw, DrawTarget, Plan, PlanCommitment
from sanxiang.inspections.plan_selectors import commitment_content, items_for_plan, result_counts, seed_checkpoint
from sanxiang.inspections.selectors import inspector_certificates
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.selectors import entry_get, entry_json
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.powers.services import LINE_BREAKS

DRAFT, APPROVED, DRAWN, CLOSED = Plan.Status.DRAFT, Plan.Status.APPROVED, Plan.Status.DRAWN, Plan.Status.CLOSED
DRAFTERS = {Role.OFFICER, Role.HEAD}
RANDOM_BASIS = "国办发〔2015〕58号（随机抽取检查对象，随机选派执法检查人员，抽查情况及查处结果及时向社会公开）"
DIVISION = re.compile(r"\d{2,6}")
ROWS_PER_INSERT = 1000  # 10 values a row: within SQLite's 32,766 parameters

PLAN = StateMachine(
    model=Plan,
    prefix="plan",
    related=("agency",),
    conflict=gettext_lazy("该抽查计划已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("抽查计划当前状态为“%(state)s”，不能%(action)s。"),
    moves={
        "create": Move({NEW}, DRAFT, gettext_lazy("编制抽查计划"), roles=DRAFTERS),
        "update": Move({DRAFT}, DRAFT, gettext_lazy("修改抽查计划"), roles=DRAFTERS),
        "approve": Move({DRAFT}, APPROVED, gettext_lazy("批准抽查计划"), roles={Role.HEAD}),
        "draw": Move({APPROVED}, DRAWN, gettext_lazy("双随机抽取"), roles=DRAFTERS),
        "publish": Move({DRAWN}, None, gettext_lazy("公示抽查结果"), roles={Role.HEAD, Role.PUBLICITY_CLERK}),
        "close": Move({DRAWN}, CLOSED, gettext_lazy("结束抽查计划"), roles={Role.HEAD}),
    },
)


def _percents(percents: dict, errors: dict) -> dict[str, str]:
    """The percents set on the plan, as text with two decimals; a bad one is added to `errors`."""
    cleaned = {}
    for tier, value in percents.items():
        if value is None or value == "":
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal(-1)
        if tier not in Tier.values or not 0 <= number <= 100 or number != number.quantize(Decimal("0.01")):
            errors[f"percent_{tier}"] = _("抽查比例应为 0 到 100 之间、至多两位小数的数。")
        else:
            cleaned[tier] = f"{number:.2f}"
    return cleaned


def _cleaned(
    agency: Agency, title: str, period: tuple[dt.date, dt.date], items, divisions, industries, percents
) -> dict:
    refuse_control_characters({"title": title, "divisions": " ".join(divisions), "industries": " ".join(industries)})
    errors = {}
    period_start, period_end = period
    title = title.strip()
    if not title or len(title) > 200:
        errors["title"] = _("请填写计划名称（200 字以内）。")
    if period_end < period_start:
        errors["period_end"] = _("结束日期不能早于开始日期。")
    items = list(items)
    allowed = set(items_for_plan(agency).values_list("pk", flat=True))
    if not items:
        errors["items"] = _("请至少选择一个纳入双随机抽查的检查事项。")
    elif any(item.pk not in allowed for item in items):
        errors["items"] = _("只能选择本机关已公布、现行有效且纳入双随机抽查的检查事项。")
    divisions = sorted({code.strip() for code in divisions if code.strip()})
    if any(not DIVISION.fullmatch(code) for code in divisions):
        errors["divisions"] = _("区划范围应为 2 至 6 位数字的行政区划代码（前缀），如 2301 或 230102。")
    industries = sorted({name.strip() for name in industries if name.strip()})
    if any(len(name) > 60 for name in industries):
        errors["industries"] = _("行业名称不能超过 60 字。")
    percents = _percents(percents, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "period_start": period_start,
        "period_end": period_end,
        "items": items,
        "divisions": divisions,
        "industries": industries,
        "percents": percents,
    }


def _apply(plan: Plan, values: dict) -> dict:
    """Set the plan's fields (its items once it has a key); the ledger facts of the change."""
    for name in ("title", "period_start", "period_end", "divisions", "industries", "percents"):
        setattr(plan, name, values[name])
    return {
        "items": sorted(item.code for item in values["items"]),
        "period_start": values["period_start"],
        "period_end": values["period_end"],
        "divisions": values["divisions"],
        "industries": values["industries"],
        "percents": values["percents"],
    }


@transaction.atomic
def plan_create(
    *,
    actor,
    agency: Agency,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    items,
    divisions=(),
    industries=(),
    percents: dict | None = None,
) -> Plan:
    """编制: a draft plan of `agency` — items, areas (division prefixes), industries, percents per tier (a tier
    left out takes its default from the items' frequencies when the plan is approved)."""
    PLAN.require(actor, agency, "create")
    values = _cleaned(agency, title, (period_start, period_end), items, divisions, industries, percents or {})
    plan = Plan(agency=agency, created_by=actor)
    facts = _apply(plan, values)
    plan.save()
    plan.items.set(values["items"])
    PLAN.start(plan, "create")
    PLAN.commit(actor, plan, "create", facts)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor,
    plan: Plan,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    items,
    divisions=(),
    industries=(),
    percents: dict | None = None,
    version: int | None = None,
) -> Plan:
    """修改 a draft. An approved plan is frozen: any change is refused, and nothing is written."""
    plan = PLAN.lock(plan, "update", version=version)
    values = _cleaned(plan.agency, title, (period_start, period_end), items, divisions, industries, percents or {})
    facts = _apply(plan, values)
    plan.items.set(values["items"])
    PLAN.commit(actor, plan, "update", facts)
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: Plan, version: int | None = None) -> PlanCommitment:
    """批准: a head freezes the plan. Its canonical JSON — the plan, the enterprises in scope with their tiers, the
    officers with a certificate valid today, the recusals — is stored and its SHA-256 appended to the ledger as a
    public entry; the draw waits for the next signed checkpoint, whose root nobody knows yet."""
    plan = PLAN.lock(plan, "approve", version=version)
    today = timezone.localdate()
    stale = plan.items.exclude(pk__in=items_for_plan(plan.agency))
    if stale.exists():
        raise ValidationError(
            _("检查事项 %(codes)s 已取消或不再纳入双随机抽查，请先修改计划。")
            % {"codes": "、".join(stale.values_list("code", flat=True))},
            code="stale_items",
        )
    content = commitment_content(plan, day=today)
    enterprises = sum(len(members) for members in content["population"].values())
    if not enterprises:
        raise ValidationError(_("抽查范围内没有企业，请调整区划或行业范围。"), code="empty_population")
    if len(content["officers"]) < 2:
        raise RuleViolation(
            _("执法人员名录库中持有效执法证的执法人员不足两人"), code="too_few_officers", citation=RANDOM_BASIS
        )
    body = canonical_json(content)
    digest = hashlib.sha256(body).hexdigest()
    # The shares drawn are frozen with the plan: a later change to the items' frequencies leaves them as committed.
    plan.percents = content["percents"]
    facts = {
        "plan_digest": digest,
        "algorithm": drawing.ALGORITHM,
        "population": enterprises,
        "officers": len(content["officers"]),
        "percents": content["percents"],
    }
    index = PLAN.commit(actor, plan, "approve", facts, public=True)
    return PlanCommitment.objects.create(
        plan=plan,
        body=body,
        digest=digest,
        ledger_index=index,
        approved_by=actor,
        approved_on=today,
        population=enterprises,
        officers=len(content["officers"]),
    )


def _committed(plan: Plan) -> PlanCommitment:
    """The plan's commitment, if its stored JSON is still what the ledger committed to."""
    commitment = plan.commitment
    entry = entry_get(commitment.ledger_index)
    facts = entry_json(entry)["data"] if entry is not None else {}
    digest = hashlib.sha256(bytes(commitment.body)).hexdigest()
    committed = entry is not None and (entry.action, entry.subject_id) == ("plan.approve", str(plan.pk))
    if not committed or not digest == commitment.digest == facts.get("plan_digest"):
        raise ValidationError(
            _("抽查计划的存档内容与账本中的承诺不一致，不能抽取；请联系系统管理员核查。"), code="commitment_mismatch"
        )
    return commitment


@transaction.atomic
def draw_perform(*, actor, plan: Plan, version: int | None = None) -> Draw:
    """抽取: the plan's one draw, computed by the published algorithm from the committed JSON and the root of the
    first signed checkpoint after the commitment. The seed is never an input: before that checkpoint exists the
    draw is refused, and once made it is never made again."""
    plan = PLAN.lock(plan, "draw", version=version)
    commitment = _committed(plan)
    checkpoint = seed_checkpoint(commitment)
    if checkpoint is None:
        raise ValidationError(
            _(
                "等待下一个签名检查点：抽取的随机种子是计划批准（账本第 %(index)d 条）之后第一个签名检查点的根哈希，"
                "该检查点尚未签发，请稍后再试。"
            )
            % {"index": commitment.ledger_index},
            code="awaiting_checkpoint",
        )
    body = bytes(commitment.body)
    content = json.loads(body)
    lapsed = _lapsed(plan.agency, content["officers"])
    drawn = drawing.draw(body, bytes(checkpoint.root), frozenset(lapsed), content=content)
    _insert_targets(plan, drawn)
    targets = [
        {"rank": row.rank, "tier": row.tier, "uscc": row.uscc, "score": row.score, "officers": list(row.officers or [])}
        for row in drawn
    ]
    result_digest = hashlib.sha256(canonical_json(targets)).hexdigest()
    shortfalls = sum(1 for row in drawn if row.officers is None)
    plan.published_counts = {"targets": len(drawn)}
    index = PLAN.commit(
        actor,
        plan,
        "draw",
        {
            "plan_digest": commitment.digest,
            "checkpoint_size": checkpoint.size,
            "seed": bytes(checkpoint.root).hex(),
            "algorithm": drawing.ALGORITHM,
            "lapsed": lapsed,
            "targets": len(drawn),
            "shortfalls": shortfalls,
            "result_digest": result_digest,
        },
        public=True,
    )
    return Draw.objects.create(
        plan=plan,
        checkpoint_size=checkpoint.size,
        seed=bytes(checkpoint.root).hex(),
        algorithm=drawing.ALGORITHM,
        result_digest=result_digest,
        lapsed=lapsed,
        shortfalls=shortfalls,
        performed_by=actor,
        performed_at=timezone.now(),
        ledger_index=index,
    )


def _lapsed(agency: Agency, pool: list[str]) -> list[str]:
    """The committed pool's certificates whose holders are no longer the agency's inspectors today — certificate
    suspended, revoked or expired, account closed, moved away (sorted numbers)."""
    serving = inspector_certificates(agency, day=timezone.localdate()).filter(number__in=pool)
    return sorted(set(pool) - set(serving.values_list("number", flat=True)))


def _insert_targets(plan: Plan, drawn: list[drawing.Drawn]) -> None:
    """The drawn targets as rows, by COPY on PostgreSQL and a thousand to a statement on SQLite: a draw writes
    thousands, and the ORM's batches (sixty rows on SQLite) or a statement a row would cost more than the draw
    itself. A party is the first registered with the USCC, as the population took its tier from."""
    codes = [row.uscc for row in drawn]
    parties: dict[str, int] = {}
    for start in range(0, len(codes), 5000):
        rows = Party.objects.filter(agency__path__startswith=plan.agency.path, uscc__in=codes[start : start + 5000])
        for uscc, pk in rows.order_by("uscc", "pk").values_list("uscc", "pk"):
            parties.setdefault(uscc, pk)
    numbers = {number for row in drawn for number in row.officers or ()}
    certificates = dict(Certificate.objects.filter(number__in=numbers).values_list("number", "pk"))
    names = ("plan", "rank", "party", "uscc", "tier", "score", "first_certificate", "second_certificate", "status")
    meta = DrawTarget._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in (*names, "result"))
    rows = [
        (plan.pk, row.rank, parties[row.uscc], row.uscc, row.tier, row.score)
        + (tuple(certificates[number] for number in row.officers) if row.officers else (None, None))
        + (str(DrawTarget.Status.DRAWN), "")
        for row in drawn
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: no statement to parse with tens of thousands of parameters
            with cursor.cursor.copy(f'COPY "{meta.db_table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = f"({', '.join(['%s'] * len(rows[0]))})" if rows else ""
        for start in range(0, len(rows), ROWS_PER_INSERT):
            batch = rows[start : start + ROWS_PER_INSERT]
            values = ", ".join([marks] * len(batch))
            cursor.execute(
                f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {values}', [v for row in batch for v in row]
            )


@transaction.atomic
def draw_results_publish(*, actor, plan: Plan, version: int | None = None) -> int:
    """公示: every result recorded and not yet published goes to the portal, and the plan's published counts are
    refreshed. Returns how many were published."""
    plan = PLAN.lock(plan, "publish", version=version)
    count = plan.targets.awaiting_publication().update(published_at=timezone.now())
    if not count:
        raise ValidationError(_("没有待公示的抽查结果。"), code="nothing_to_publish")
    plan.published_counts = result_counts(plan, published_only=True)
    PLAN.commit(actor, plan, "publish", {"published": count, "counts": plan.published_counts}, public=True)
    return count


@transaction.atomic
def plan_close(*, actor, plan: Plan, note: str = "", version: int | None = None) -> Plan:
    """结束: once every recorded result is published. Targets never inspected (or drawn without two eligible
    officers) stay on the portal as not inspected; the head says why in the note."""
    plan = PLAN.lock(plan, "close", version=version)
    refuse_control_characters({"note": note.translate(LINE_BREAKS)})  # a note may run over several lines
    note = note.strip()
    if plan.targets.awaiting_publication().exists():
        raise ValidationError(_("尚有已登记的抽查结果未公示，请先公示。"), code="results_unpublished")
    if plan.targets.filter(status=DrawTarget.Status.DRAWN).exists() and not note:
        raise ValidationError({"note": _("尚有抽查对象未检查，请写明原因。")})
    if len(note) > 300:
        raise ValidationError({"note": _("结束说明不能超过 300 字。")})
    plan.closing_note = note
    PLAN.commit(actor, plan, "close", {"not_inspected": plan.targets.filter(status=DrawTarget.Status.DRAWN).count()})
    return plan


LEDGER_ACTIONS = PLAN.labels()
