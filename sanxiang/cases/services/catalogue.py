"""The violation catalogue (违法行为目录, one table the whole installation shares), the violations each agency hangs
on its penalty powers, and an agency's own discretion factors (自由裁量基准); its 法制审核目录清单 is the review app's.
Every change is a public ledger entry: all are published (《行政处罚法》第三十四条: 裁量基准应当向社会公布)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, administers_installation, agency_require
from sanxiang.cases.discretion import own_or_inherited
from sanxiang.cases.models import DiscretionFactor, Violation
from sanxiang.core.facts import CHANGE_PREFIX
from sanxiang.core.text import refuse_control_characters
from sanxiang.ledger.services import ledger_append
from sanxiang.powers.models import Power, PowerKind

VIOLATION_FIELDS = (
    "name",
    "basis",
    "penalty_text",
    "fine_basis",
    "fine_min",
    "fine_max",
    "multiple_min",
    "multiple_max",
    "multiple_of",
    "start_percent",
    "source",
)
AMOUNTS = ("fine_min", "fine_max", "multiple_min", "multiple_max")


def catalogue_keeper_require(actor) -> None:
    """403 unless `actor` may change the violation catalogue (no actor, the demo, or "cli", the command line, is not
    asked)."""
    if actor is not None and not isinstance(actor, str) and not administers_installation(actor):
        raise PermissionDenied(_("违法行为目录由全省共用，只有省级机关的系统管理员可以维护。"))


def _lawful_range(violation: Violation) -> None:
    """The statutory penalty as the law states it: a range fine needs its maximum, a multiple its base and multiples,
    no fine no amounts; a minimum never above its maximum, and the discretion's start between 0 and 100 %."""
    errors = {}
    basis = violation.fine_basis
    for name in AMOUNTS:
        value = getattr(violation, name)
        if value is not None and value < 0:
            errors[name] = _("金额和倍数不能为负数。")
    if basis == Violation.FineBasis.RANGE and violation.fine_max is None:
        errors["fine_max"] = _("定额幅度罚款须填写罚款上限。")
    if basis == Violation.FineBasis.MULTIPLE:
        for name in ("multiple_min", "multiple_max"):
            if getattr(violation, name) is None:
                errors[name] = _("按倍数罚款须填写倍数下限和上限。")
        if not violation.multiple_of.strip():
            errors["multiple_of"] = _("按倍数罚款须写明计算基数，如“处置费用”。")
    if basis == Violation.FineBasis.NONE and any(getattr(violation, name) is not None for name in AMOUNTS):
        errors["fine_basis"] = _("不处罚款的违法行为不填写金额或倍数。")
    for low, high in (("fine_min", "fine_max"), ("multiple_min", "multiple_max")):
        low_value, high_value = getattr(violation, low), getattr(violation, high)
        if low_value is not None and high_value is not None and low_value > high_value:
            errors[low] = _("下限不能高于上限。")
    if not Decimal(0) <= Decimal(violation.start_percent) <= Decimal(100):
        errors["start_percent"] = _("裁量起点应在 0 到 100 之间。")
    if errors:
        raise ValidationError(errors)


def _save_violation(actor, violation: Violation, action: str, previous: dict) -> Violation:
    refuse_control_characters({name: getattr(violation, name) for name in ("code", *VIOLATION_FIELDS)})
    for name in ("code", "name", "basis", "penalty_text", "multiple_of", "source"):
        setattr(violation, name, getattr(violation, name).strip())
    violation.full_clean()
    _lawful_range(violation)
    changed = [name for name in VIOLATION_FIELDS if previous.get(name) != getattr(violation, name)]
    if previous and not changed:
        raise ValidationError(_("没有需要修改的内容。"), code="unchanged")
    violation.save()
    violation.refresh_from_db()  # amounts as stored (10 → 10.00), so the entry reads like the record
    data = {"code": violation.code, "basis": violation.basis}
    for name in changed:
        data[name] = getattr(violation, name)
        if previous:
            data[CHANGE_PREFIX + name] = previous[name]
    agency = getattr(actor, "agency", None)
    ledger_append(actor=actor, agency=agency, action=action, subject=violation, data=data, public=True)
    return violation


@transaction.atomic
def violation_create(*, actor, code: str, **fields) -> Violation:
    """Add a violation to the catalogue, with its legal basis and statutory penalty."""
    catalogue_keeper_require(actor)
    unknown = set(fields) - set(VIOLATION_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return _save_violation(actor, Violation(code=code, **fields), "violation.create", {})


@transaction.atomic
def violation_update(*, actor, violation: Violation, **changes) -> Violation:
    """Correct a violation of the catalogue (its code stays: cases and ledger entries name it). A case already
    proposed or decided keeps what it was decided under; the new range applies from the next proposal."""
    catalogue_keeper_require(actor)
    unknown = set(changes) - set(VIOLATION_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    previous = {name: getattr(violation, name) for name in VIOLATION_FIELDS}
    for name, value in changes.items():
        setattr(violation, name, value)
    return _save_violation(actor, violation, "violation.update", previous)


@transaction.atomic
def power_violations_set(*, actor, power: Power, violations) -> Power:
    """挂接: the violations of the shared catalogue that a penalty power of an agency punishes; a case of the agency
    reaches the power it is exercised under through its violation. Set by those who keep the agency's powers (its
    system administrators, or those above); the public entry names the violations hung before and after."""
    agency_require(user=actor, agency=power.agency, action=MANAGE)
    power = Power.objects.select_for_update().select_related("agency").get(pk=power.pk)
    if power.kind != PowerKind.PENALTY:
        raise ValidationError({"violations": _("只有行政处罚事项挂接违法行为。")})
    if power.withdrawn_on is not None:
        raise ValidationError(_("该执法事项已取消，不能再挂接违法行为。"), code="withdrawn")
    before = sorted(power.violations.values_list("code", flat=True))
    after = sorted(violation.code for violation in violations)
    if before == after:
        raise ValidationError(_("没有需要修改的内容。"), code="unchanged")
    power.violations.set(violations)
    data = {"code": power.code, "violations": after, CHANGE_PREFIX + "violations": before}
    ledger_append(actor=actor, agency=power.agency, action="power.violations", subject=power, data=data, public=True)
    return power


def _own_factors(agency: Agency) -> dict[int, DiscretionFactor]:
    """The agency's own factors, keyed by id. The first factor an agency sets starts its own benchmark, which then
    replaces the one it inherited, so the inherited factors are copied in first (each id then maps to its copy)."""
    own = {factor.pk: factor for factor in DiscretionFactor.objects.filter(agency_code=agency.code)}
    if own:
        return own
    for factor in own_or_inherited(agency):
        inherited = factor.pk
        factor.pk, factor.agency_code = None, agency.code
        factor.save()
        own[inherited] = own[factor.pk] = factor
    return own


def _factor_fields(name: str, levels: list[tuple[str, int]], citation: str) -> dict:
    refuse_control_characters({"name": name, "citation": citation, "levels": "".join(label for label, _w in levels)})
    if not name.strip() or not citation.strip() or len(levels) < 2:
        raise ValidationError(_("请填写因素名称、依据和至少两个情节档次。"), code="incomplete")
    if any(weight < 0 or weight > 100 for _label, weight in levels):
        raise ValidationError(_("权重应在 0 到 100 之间。"), code="weight_range")
    if any(not label.strip() for label, _weight in levels):
        raise ValidationError(_("每个情节档次都须写明情节。"), code="incomplete")
    return {
        "name": name.strip(),
        "citation": citation.strip(),
        "levels": [{"label": label.strip(), "weight": weight} for label, weight in levels],
    }


def _ledger_factor(actor, agency: Agency, action: str, factor: DiscretionFactor) -> None:
    ledger_append(
        actor=actor,
        agency=agency,
        action=action,
        subject=factor,
        data={
            "violation": factor.violation.code if factor.violation else None,
            "name": factor.name,
            "levels": [f"{level['label']} {level['weight']}%" for level in factor.levels],
        },
        public=True,
    )


@transaction.atomic
def discretion_factor_add(
    *, actor, agency: Agency, name: str, levels: list[tuple[str, int]], citation: str, violation: Violation | None
) -> DiscretionFactor:
    """Add a factor of the agency's 裁量基准 (for one violation, or for all when `violation` is None), as adopted by
    the document `citation` names; entered by the agency's system administrators (or those above)."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    fields = _factor_fields(name, levels, citation)
    own = _own_factors(agency)
    factor = DiscretionFactor.objects.create(
        agency_code=agency.code, violation=violation, order=len({f.pk for f in own.values()}), **fields
    )
    _ledger_factor(actor, agency, "discretion_factor.add", factor)
    return factor


@transaction.atomic
def discretion_factor_update(
    *, actor, agency: Agency, factor_id: int, name: str, levels: list[tuple[str, int]], citation: str
) -> DiscretionFactor:
    """Change a factor of the agency's benchmark; an inherited one is changed in the agency's own copy."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    fields = _factor_fields(name, levels, citation)
    factor = _own_factors(agency).get(factor_id)
    if factor is None:
        raise ValidationError(_("本机关的裁量基准中没有这一因素。"), code="not_found")
    DiscretionFactor.objects.select_for_update().filter(pk=factor.pk).update(**fields)
    factor.refresh_from_db()
    _ledger_factor(actor, agency, "discretion_factor.update", factor)
    return factor


@transaction.atomic
def discretion_factor_remove(*, actor, agency: Agency, factor_id: int) -> None:
    """Remove a factor from the agency's benchmark (its last state stays in the ledger as a digest). An agency that
    removes its last factor applies the benchmark it inherits again."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    factor = _own_factors(agency).get(factor_id)
    if factor is None:
        raise ValidationError(_("本机关的裁量基准中没有这一因素。"), code="not_found")
    _ledger_factor(actor, agency, "discretion_factor.remove", factor)
    factor.delete()
