"""The agency's licence types (许可事项) and their materials, kept by those who keep its catalogues (the same as its
powers and inspection items, agencies.selectors.MANAGE). Each change is a public ledger entry: the type is the
行政许可办事指南 the portal publishes before the agency acts (seed 事前公开 item 3)."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, agency_require
from sanxiang.core.text import refuse_control_characters
from sanxiang.ledger.services import ledger_append
from sanxiang.licensing.models import Application, Category, HearingRule, LicenceType, Material
from sanxiang.powers.models import PowerKind
from sanxiang.powers.selectors import powers_in_force
from sanxiang.powers.services import Catalogue, catalogue_create, catalogue_lock, catalogue_update, catalogue_withdraw

TYPE_FIELDS = (
    "name",
    "power",
    "category",
    "basis",
    "conditions",
    "certificate_name",
    "decision_days",
    "decision_unit",
    "decision_citation",
    "promised_days",
    "extendable",
    "hearing",
    "expert_review",
    "site_check",
    "validity_years",
    "renewable",
    "renewal_days_before",
    "fee",
    "window",
    "online",
)
LEDGER_ACTIONS = {
    "licence_type.create": gettext_lazy("增加许可事项"),
    "licence_type.update": gettext_lazy("修改许可事项"),
    "licence_type.withdraw": gettext_lazy("停止办理许可事项"),
    "licence_type.materials": gettext_lazy("公布申请材料目录"),
}


def _type_rules(licence_type: LicenceType) -> None:
    errors = {}
    if licence_type.category not in Category.values:
        errors["category"] = _("请选择许可类别。")
    if licence_type.hearing not in HearingRule.values:
        errors["hearing"] = _("请选择听证的适用情形。")
    if (
        licence_type.power_id is not None
        and not powers_in_force(licence_type.agency, kind=PowerKind.LICENSING).filter(pk=licence_type.power_id).exists()
    ):
        errors["power"] = _("请选择本机关现行的行政许可事项。")
    if not 1 <= (licence_type.decision_days or 0) <= 365:
        errors["decision_days"] = _("法定办理时限应在 1 至 365 日之间。")
    if licence_type.promised_days and licence_type.promised_days > licence_type.decision_days:
        errors["promised_days"] = _("承诺时限不能长于法定时限。")
    if not (licence_type.decision_citation or "").strip():
        errors["decision_citation"] = _("请写明办理时限的依据（如《行政许可法》第四十二条）。")
    if licence_type.renewable and not licence_type.validity_years:
        errors["renewable"] = _("长期有效的许可不适用延续。")
    if errors:
        raise ValidationError(errors)


TYPES = Catalogue(
    model=LicenceType,
    subject="licence_type",
    noun=gettext_lazy("许可事项"),
    fields=TYPE_FIELDS,
    texts=("name", "certificate_name", "decision_citation", "fee", "window"),
    rules=_type_rules,
    # not the power: it may be blank, and PostgreSQL locks no row on the nullable side of an outer join
    related=("agency",),
)


@transaction.atomic
def licence_type_save(
    *, actor, agency: Agency, code: str, licence_type: LicenceType | None = None, **fields
) -> LicenceType:
    """Add a type to the agency's list, or correct one in force (its code stays: applications name it)."""
    if licence_type is not None:
        return catalogue_update(catalogue=TYPES, actor=actor, record=licence_type, changes=fields)
    agency_require(user=actor, agency=agency, action=MANAGE)
    unknown = set(fields) - set(TYPE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return catalogue_create(catalogue=TYPES, actor=actor, record=LicenceType(agency=agency, code=code, **fields))


@transaction.atomic
def licence_type_withdraw(*, actor, licence_type: LicenceType, reason: str) -> LicenceType:
    """停止办理: no new application from today; those open are decided as they began."""
    return catalogue_withdraw(catalogue=TYPES, actor=actor, record=licence_type, reason=reason)


@transaction.atomic
def licence_type_materials(*, actor, licence_type: LicenceType, materials: list[dict]) -> LicenceType:
    """申请材料目录: the whole list, each with its code, name, whether it is required, copies, note and sample text.
    A code an open application has handed in stays on the list; the entry records the list's digest."""
    licence_type = catalogue_lock(catalogue=TYPES, actor=actor, record=licence_type)
    rows, errors = [], []
    for index, item in enumerate(materials, start=1):
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        texts = {key: str(item.get(key, "") or "").strip() for key in ("copies", "note", "sample")}
        refuse_control_characters({"code": code, "name": name, "copies": texts["copies"], "note": texts["note"]})
        if not code or not name or len(code) > 10 or len(name) > 200:
            errors.append(_("第 %(n)d 项：请填写材料编号（不超过 10 个字符）和名称。") % {"n": index})
            continue
        rows.append(
            Material(
                licence_type=licence_type,
                code=code,
                name=name,
                required=bool(item.get("required", True)),
                copies=texts["copies"] or "原件1份",
                note=texts["note"][:300],
                sample=texts["sample"],
            )
        )
    codes = [row.code for row in rows]
    if len(set(codes)) != len(codes):
        errors.append(_("材料编号不能重复。"))
    in_use = {
        code
        for row in Application.objects.open().filter(licence_type=licence_type).values_list("materials", flat=True)
        for code in row
    }
    dropped = sorted(in_use - set(codes))
    if dropped:
        errors.append(_("办理中的申请已提交这些材料，不能从目录中删除：%(codes)s。") % {"codes": "、".join(dropped)})
    if errors:
        raise ValidationError({"materials": errors})
    licence_type.materials.all().delete()
    Material.objects.bulk_create(rows)
    digest = hashlib.sha256(
        json.dumps(
            [[r.code, r.name, r.required, r.copies, r.note, r.sample] for r in rows], ensure_ascii=False
        ).encode()
    ).hexdigest()
    ledger_append(
        actor=actor,
        agency=licence_type.agency,
        action="licence_type.materials",
        subject=licence_type,
        data={"code": licence_type.code, "materials": codes, "sha256": digest},
        public=True,
    )
    return licence_type
