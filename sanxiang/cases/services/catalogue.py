"""An agency's own discretion factors (自由裁量基准); its 法制审核目录清单 is the review app's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import DiscretionFactor, Violation
from sanxiang.ledger.services import ledger_append


@transaction.atomic
def discretion_factor_add(
    *, actor, agency: Agency, name: str, levels: list[tuple[str, int]], citation: str, violation: Violation | None
) -> DiscretionFactor:
    """Add a factor of the agency's 裁量基准 (for one violation, or for all when `violation` is None)."""
    if not name.strip() or not citation.strip() or len(levels) < 2:
        raise ValidationError(_("请填写因素名称、依据和至少两个情节档次。"), code="incomplete")
    if any(weight < 0 or weight > 100 for _label, weight in levels):
        raise ValidationError(_("权重应在 0 到 100 之间。"), code="weight_range")
    factor = DiscretionFactor.objects.create(
        agency_code=agency.code,
        violation=violation,
        name=name.strip(),
        citation=citation.strip(),
        order=DiscretionFactor.objects.filter(agency_code=agency.code).count(),
        levels=[{"label": label, "weight": weight} for label, weight in levels],
    )
    ledger_append(
        actor=actor,
        agency=agency,
        action="discretion_factor.add",
        subject=factor,
        data={"violation": violation.code if violation else None, "levels": factor.levels},
        public=True,
    )
    return factor
