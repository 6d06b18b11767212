"""An agency's own catalogues: its 法制审核目录清单 and its discretion factors (自由裁量基准)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import DiscretionFactor, PenaltyKind, ReviewRule, Violation
from sanxiang.cases.review_gate import catalogue_for
from sanxiang.ledger.services import ledger_append


@transaction.atomic
def review_rule_add(*, actor, agency: Agency, kind: str, value: str, description: str, citation: str) -> ReviewRule:
    """Add a line to the agency's catalogue. The first line an agency adds starts its own list, which then replaces
    the one it inherited, so the inherited lines are copied in first."""
    if kind not in ReviewRule.Kind.values:
        raise ValidationError({"kind": _("未知情形。")})
    if kind == ReviewRule.Kind.PENALTY_KIND and value not in PenaltyKind.values:
        raise ValidationError({"value": _("请填写处罚种类代码，如 revoke_licence。")})
    if kind in (ReviewRule.Kind.FINE_CITIZEN, ReviewRule.Kind.FINE_ORGANISATION, ReviewRule.Kind.CONFISCATION):
        if not value.isdigit():
            raise ValidationError({"value": _("金额应为整数（元）。")})
    if not (description.strip() and citation.strip()):
        raise ValidationError(_("说明和依据都须填写。"), code="incomplete")
    if not ReviewRule.objects.filter(agency_code=agency.code).exists():
        ReviewRule.objects.bulk_create(
            ReviewRule(agency_code=agency.code, kind=line.kind, value=line.value, description=line.description,
                       citation=line.citation)
            for line in catalogue_for(agency)
        )
    rule = ReviewRule.objects.create(agency_code=agency.code, kind=kind, value=value.strip(),
                                     description=description.strip(), citation=citation.strip())
    ledger_append(actor=actor, agency=agency, action="review_rule.add", subject=rule,
                  data={"kind": kind, "value": rule.value, "citation": rule.citation}, public=True)
    return rule


@transaction.atomic
def review_rule_remove(*, actor, agency: Agency, rule_id: int) -> None:
    rule = ReviewRule.objects.select_for_update().filter(pk=rule_id, agency_code=agency.code).first()
    if rule is None:
        raise ValidationError(_("本机关目录中没有这一项（上级机关的目录须先复制为本机关目录）。"), code="not_found")
    ledger_append(actor=actor, agency=agency, action="review_rule.remove", subject=rule,
                  data={"kind": rule.kind, "value": rule.value}, public=True)
    rule.delete()


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
        agency_code=agency.code, violation=violation, name=name.strip(), citation=citation.strip(),
        order=DiscretionFactor.objects.filter(agency_code=agency.code).count(),
        levels=[{"label": label, "weight": weight} for label, weight in levels],
    )
    ledger_append(actor=actor, agency=agency, action="discretion_factor.add", subject=factor,
                  data={"violation": violation.code if violation else None, "levels": factor.levels}, public=True)
    return factor
