"""Writes to an agency's catalogue of major decisions that need legal review (法制审核目录清单); each change is a
public ledger entry, since the catalogue itself is published (黑环发〔2019〕112号 三(三)2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, agency_require
from sanxiang.cases.models import PenaltyKind
from sanxiang.ledger.services import ledger_append
from sanxiang.powers.models import Power
from sanxiang.review.catalogue import catalogue_for, reviewed_powers
from sanxiang.review.models import ReviewRule


@transaction.atomic
def review_rule_add(
    *, actor, agency: Agency, kind: str, value: str, description: str, citation: str, power: Power | None = None
) -> ReviewRule:
    """Add a line to the agency's catalogue. The first line an agency adds starts its own list, which then replaces
    the one it inherited, so the inherited lines are copied in first. Entered by the agency's system administrators
    (or those above), as the document `citation` names adopted it; `power`, when given, is one of the agency's
    penalty or coercion powers in force, on which the line hangs; a line of kind `licence` names the licence
    decision of one of its licensing powers in force, which it must be given."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    if kind not in ReviewRule.Kind.values:
        raise ValidationError({"kind": _("未知情形。")})
    licence = kind == ReviewRule.Kind.LICENCE
    if (licence and power is None) or (
        power is not None and not reviewed_powers(agency, kind=kind).filter(pk=power.pk).exists()
    ):
        raise ValidationError(
            {
                "power": _("“作出该项行政许可决定”须选择本机关现行的行政许可事项。")
                if licence
                else _("请选择本机关现行的行政处罚或行政强制事项。")
            }
        )
    if kind == ReviewRule.Kind.PENALTY_KIND and value not in PenaltyKind.values:
        raise ValidationError({"value": _("请选择处罚种类。")})
    if kind in (ReviewRule.Kind.FINE_CITIZEN, ReviewRule.Kind.FINE_ORGANISATION, ReviewRule.Kind.CONFISCATION):
        if not value.isdigit():
            raise ValidationError({"value": _("金额应为整数（元）。")})
    if not (description.strip() and citation.strip()):
        raise ValidationError(_("说明和依据都须填写。"), code="incomplete")
    if not ReviewRule.objects.filter(agency_code=agency.code).exists():
        ReviewRule.objects.bulk_create(
            ReviewRule(
                agency_code=agency.code,
                kind=line.kind,
                value=line.value,
                description=line.description,
                citation=line.citation,
                power_id=line.power_id,
            )
            for line in catalogue_for(agency)
        )
    rule = ReviewRule.objects.create(
        agency_code=agency.code,
        kind=kind,
        value=value.strip(),
        description=description.strip(),
        citation=citation.strip(),
        power=power,
    )
    ledger_append(
        actor=actor,
        agency=agency,
        action="review_rule.add",
        subject=rule,
        data={"kind": kind, "value": rule.value, "citation": rule.citation, "power": power.code if power else None},
        public=True,
    )
    return rule


@transaction.atomic
def review_rule_remove(*, actor, agency: Agency, rule_id: int) -> None:
    """Remove a line of the agency's own catalogue (its last state stays in the ledger as a digest)."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    rule = ReviewRule.objects.select_for_update().filter(pk=rule_id, agency_code=agency.code).first()
    if rule is None:
        raise ValidationError(_("本机关目录中没有这一项（上级机关的目录须先复制为本机关目录）。"), code="not_found")
    ledger_append(
        actor=actor,
        agency=agency,
        action="review_rule.remove",
        subject=rule,
        data={"kind": rule.kind, "value": rule.value},
        public=True,
    )
    rule.delete()
