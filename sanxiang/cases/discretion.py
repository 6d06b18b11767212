"""自由裁量: the factor-weighted fine of the 权重累加模式 (domain.md §11), clamped to the statutory range."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from sanxiang.cases.gates import statutory_range
from sanxiang.cases.models import DiscretionFactor, Violation

HUNDRED = Decimal(100)


def factors_for(violation: Violation, agency) -> list[DiscretionFactor]:
    """The agency's factors (its own, or the nearest ancestor's, or the defaults), common and violation-specific."""
    return _nearest(agency, Q(violation=violation) | Q(violation__isnull=True))


def own_or_inherited(agency) -> list[DiscretionFactor]:
    """Every factor of the benchmark the agency applies: its own, or the nearest ancestor's, or the defaults."""
    return _nearest(agency, Q())


def _nearest(agency, condition: Q) -> list[DiscretionFactor]:
    codes = [*agency.lineage, ""]
    rows = list(DiscretionFactor.objects.filter(condition, agency_code__in=codes).select_related("violation"))
    for code in codes:
        own = [row for row in rows if row.agency_code == code]
        if own:
            return own
    return []


def calculate(violation: Violation, agency, choices: dict[str, int], *, base: Decimal | None = None) -> dict:
    """The suggested fine: start percent + the chosen level's weight of each factor, capped at 100 %, times the
    statutory maximum, then kept inside the statutory range. `choices` maps factor id → level index."""
    if violation.fine_basis == Violation.FineBasis.MULTIPLE and base is None:
        raise ValidationError(
            {"base": _("按倍数计算罚款的违法行为须填写计算基数（%(of)s）。") % {"of": violation.multiple_of}}
        )
    low, high = statutory_range(violation, base)
    if high is None:
        raise ValidationError(_("该违法行为没有罚款幅度，无需裁量计算。"), code="no_fine_range")
    percent, lines = Decimal(violation.start_percent), []
    for factor in factors_for(violation, agency):
        try:
            level = factor.levels[int(choices.get(str(factor.pk), 0))]
        except (IndexError, ValueError):
            raise ValidationError(_("裁量因素“%(name)s”的选项无效。") % {"name": factor.name}) from None
        percent += Decimal(str(level["weight"]))
        lines.append({"factor": factor.name, "level": level["label"], "weight": level["weight"]})
    percent = min(percent, HUNDRED)
    fine = (high * percent / HUNDRED).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    fine = min(max(fine, low or Decimal(0)), high)
    return {
        "violation": violation.code,
        "start_percent": str(violation.start_percent),
        "lines": lines,
        "percent": str(percent),
        "range": [str(low) if low is not None else None, str(high)],
        "base": str(base) if base is not None else None,
        "fine": str(fine),
    }
