"""Writes to the powers catalogue (执法事项库 / 权责清单): a power added, corrected or withdrawn, and a whole catalogue
imported from a spreadsheet. Every change is a public ledger entry: the catalogue is published before the agency
acts (事前公开 item 2), so anyone may check what it said on any day.

Who keeps it: the agency's system administrators, or those of an agency above it (agencies.selectors.MANAGE), the
same who keep its discretion benchmark and its legal-review catalogue. The list itself is adopted by the agency or
its government in a document of its own; entering it is the administration of reference data, which 三员分立 gives
to the system administrator, not a decision a head takes case by case. A withdrawn power stays: a case, inspection
or licence keeps the power it was exercised under, and its code is never given to another.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, agency_require
from sanxiang.core.facts import CHANGE_PREFIX
from sanxiang.core.importing import import_by_key
from sanxiang.core.tables import Column, Imported, Row, Table, parse_date
from sanxiang.core.text import reason_check, refuse_control_characters
from sanxiang.laws.citations import find_citations
from sanxiang.ledger.services import ledger_append
from sanxiang.powers.models import Power, PowerKind

LEDGER_ACTIONS = {
    "power.create": gettext_lazy("增加执法事项"),
    "power.update": gettext_lazy("修改执法事项"),
    "power.withdraw": gettext_lazy("取消执法事项"),
}
POWER_FIELDS = ("kind", "name", "basis", "unit", "published_on")
CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}")
LINE_BREAKS = str.maketrans("", "", "\r\n")


def code_check(code: str) -> None:
    """A catalogue code: letters, digits and . _ - (it is printed in documents and typed into searches)."""
    if not CODE.fullmatch(code):
        raise ValidationError({"code": _("编码只能由字母、数字和“.”“_”“-”组成，不超过 40 个字符。")})


def basis_check(basis: str, field: str = "basis") -> None:
    """A legal basis names at least one law, regulation or rule in 《》, so that it can be checked and linked."""
    if not find_citations(basis):
        raise ValidationError(
            {
                field: _(
                    "请写明依据：用《》写出法律、法规或规章的名称及条款，如《中华人民共和国大气污染防治法》第九十九条。"
                )
            }
        )


def _checked(power: Power) -> None:
    for name in ("code", "name", "basis", "unit"):
        setattr(power, name, getattr(power, name).strip())
    # a basis may run over several lines (one law a line); nothing else may hold a line break
    refuse_control_characters(
        {"code": power.code, "name": power.name, "unit": power.unit, "basis": power.basis.translate(LINE_BREAKS)}
    )
    code_check(power.code)
    if power.kind not in PowerKind.values:
        raise ValidationError({"kind": _("请选择事项类型：行政处罚、行政强制、行政检查或行政许可。")})
    power.full_clean(validate_unique=False, validate_constraints=False)
    basis_check(power.basis)
    if Power.objects.filter(agency=power.agency_id, code=power.code).exclude(pk=power.pk).exists():
        raise ValidationError({"code": _("本机关已有编码为 %(code)s 的执法事项。") % {"code": power.code}})


def _facts(power: Power, names=POWER_FIELDS) -> dict:
    return {"code": power.code} | {name: getattr(power, name) for name in names}


@transaction.atomic
def power_create(
    *,
    actor,
    agency: Agency,
    code: str,
    kind: str,
    name: str,
    basis: str,
    published_on: dt.date,
    unit: str = "",
) -> Power:
    """Add a power to the agency's catalogue, with its kind, legal basis and the unit that exercises it."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    power = Power(agency=agency, code=code, kind=kind, name=name, basis=basis, unit=unit, published_on=published_on)
    _checked(power)
    try:
        with transaction.atomic():  # the same code saved by someone else at this moment is refused, not a crash
            power.save()
    except IntegrityError:
        raise ValidationError({"code": _("本机关已有编码为 %(code)s 的执法事项。") % {"code": power.code}}) from None
    ledger_append(actor=actor, agency=agency, action="power.create", subject=power, data=_facts(power), public=True)
    return power


@transaction.atomic
def power_update(*, actor, power: Power, **changes) -> Power:
    """Correct a power in force (its code stays: cases, items and ledger entries name it). The entry names every
    field changed, with its old and new value."""
    unknown = set(changes) - set(POWER_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    agency_require(user=actor, agency=power.agency, action=MANAGE)
    power = Power.objects.select_for_update().select_related("agency").get(pk=power.pk)
    if power.withdrawn_on is not None:
        raise ValidationError(
            _("该执法事项已于 %(day)s 取消，不能修改。") % {"day": power.withdrawn_on}, code="withdrawn"
        )
    before = {name: getattr(power, name) for name in POWER_FIELDS}
    for name, value in changes.items():
        setattr(power, name, value)
    _checked(power)
    changed = [name for name in POWER_FIELDS if getattr(power, name) != before[name]]
    if not changed:
        raise ValidationError(_("没有需要修改的内容。"), code="unchanged")
    power.save()
    data = _facts(power, changed) | {CHANGE_PREFIX + name: before[name] for name in changed}
    ledger_append(actor=actor, agency=power.agency, action="power.update", subject=power, data=data, public=True)
    return power


@transaction.atomic
def power_withdraw(*, actor, power: Power, reason: str) -> Power:
    """取消: the power leaves the catalogue from today, with the reason (say, the law that conferred it was amended).
    Refused while inspection items in force still hang on it: they are withdrawn, or moved to another power, first."""
    agency_require(user=actor, agency=power.agency, action=MANAGE)
    reason = reason_check(reason, what=_("取消理由"))
    power = Power.objects.select_for_update().select_related("agency").get(pk=power.pk)
    if power.withdrawn_on is not None:
        raise ValidationError(_("该执法事项已于 %(day)s 取消。") % {"day": power.withdrawn_on}, code="withdrawn")
    items = power.inspection_items.filter(withdrawn_on__isnull=True).count()
    if items:
        raise ValidationError(
            _("该事项下还有 %(n)d 项未取消的检查事项，请先取消这些检查事项。") % {"n": items}, code="items_in_force"
        )
    power.withdrawn_on = timezone.localdate()
    power.save(update_fields=["withdrawn_on"])
    data = {"code": power.code, "withdrawn_on": power.withdrawn_on, "reason": reason}
    ledger_append(actor=actor, agency=power.agency, action="power.withdraw", subject=power, data=data, public=True)
    return power


COLUMNS = (
    Column("事项编码", required=True, aliases=("编码", "事项代码")),
    Column("事项类型", required=True, aliases=("类型", "职权类型", "权力类型")),
    Column("事项名称", required=True, aliases=("名称", "职权名称", "权力名称")),
    Column("设定和实施依据", required=True, aliases=("依据", "设定依据", "实施依据")),
    Column("承办机构", aliases=("责任处室", "承办处室")),
    Column("公布日期"),
)
FIELD_COLUMNS = {
    "code": "事项编码",
    "kind": "事项类型",
    "name": "事项名称",
    "basis": "设定和实施依据",
    "unit": "承办机构",
    "published_on": "公布日期",
}
# A kind as a catalogue writes it: 行政处罚 or just 处罚.
KIND_WORDS = {str(label): value for value, label in PowerKind.choices} | {
    str(label).removeprefix("行政"): value for value, label in PowerKind.choices
}


def powers_import(*, actor, agency: Agency, source: BinaryIO, file_format: str) -> Imported:
    """Import the agency's catalogue from a CSV or XLSX file (COLUMNS): a code the agency has is an update of that
    power, a new code a new power, each with its own ledger entry. All or nothing: every problem by line and column,
    and nothing saved if there is one. A code twice in the file, or of a withdrawn power, is refused."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    table = Table(source, file_format, COLUMNS)
    existing = {power.code: power for power in Power.objects.filter(agency=agency)}
    return import_by_key(
        table,
        key="事项编码",
        read=lambda row: _row_fields(table, row, existing.get(row["事项编码"])),
        save=lambda row, fields: _import_row(actor, agency, row["事项编码"], fields, existing.get(row["事项编码"])),
        columns=FIELD_COLUMNS,
    )


def _row_fields(table: Table, row: Row, power: Power | None) -> dict | None:
    """The fields a row gives (None when a cell cannot be read, each such cell refused): the columns the file has;
    for a new power, a unit left out is none and a date left out is today."""
    fields = {"name": row["事项名称"], "basis": row["设定和实施依据"], "kind": KIND_WORDS.get(row["事项类型"])}
    readable = fields["kind"] is not None
    if not readable:
        table.refuse(row, "事项类型", _("应为行政处罚、行政强制、行政检查或行政许可。"))
    if "承办机构" in table.present or power is None:
        fields["unit"] = row["承办机构"]
    if row["公布日期"] or power is None:
        try:
            fields["published_on"] = parse_date(row["公布日期"]) if row["公布日期"] else timezone.localdate()
        except ValidationError as error:
            table.refuse(row, "公布日期", error.messages[0])
            readable = False
    return fields if readable else None


def _import_row(actor, agency: Agency, code: str, fields: dict, power: Power | None) -> str:
    if power is None:
        power_create(actor=actor, agency=agency, code=code, **fields)
        return "created"
    changes = {name: value for name, value in fields.items() if getattr(power, name) != value}
    if not changes and power.withdrawn_on is None:
        return "unchanged"
    power_update(actor=actor, power=power, **changes)
    return "updated"
