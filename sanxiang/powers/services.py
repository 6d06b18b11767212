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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
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


@dataclass(frozen=True)
class Catalogue:
    """What an agency's catalogue of published records (its powers; its inspection items, which hang on them) is:
    each record has a code unique in its agency, single-line texts, a basis citing the law and a withdrawal date,
    and each change is a public ledger entry `<subject>.create`, `.update` or `.withdraw`. The functions below keep
    any such catalogue the same way; `rules` adds the record's own checks (its kind, its power)."""

    model: type[models.Model]
    subject: str  # the ledger actions' prefix
    noun: str  # the record in messages: 执法事项, 检查事项
    fields: tuple[str, ...]  # what a correction may change, in the entries' order
    texts: tuple[str, ...]  # single-line texts besides the code, trimmed and checked
    rules: Callable[[models.Model], None]
    related: tuple[str, ...] = ("agency",)  # read with a locked record, for its entries


def _fact(value):
    # a record an entry points at (an item's power) is named by its code, as the catalogues publish it
    return value.code if isinstance(value, models.Model) else value


def _facts(catalogue: Catalogue, record, names: Iterable[str] | None = None) -> dict:
    return {"code": record.code} | {
        name: _fact(getattr(record, name)) for name in (catalogue.fields if names is None else names)
    }


def _duplicate(catalogue: Catalogue, code: str) -> ValidationError:
    return ValidationError(
        {"code": _("本机关已有编码为 %(code)s 的%(noun)s。") % {"code": code, "noun": catalogue.noun}}
    )


def _append(catalogue: Catalogue, actor, record, verb: str, data: dict) -> None:
    action = f"{catalogue.subject}.{verb}"
    ledger_append(actor=actor, agency=record.agency, action=action, subject=record, data=data, public=True)


def catalogue_check(*, catalogue: Catalogue, record) -> None:
    """Trim the record's texts and refuse, by field, what the catalogue cannot publish: a control character, a bad
    code, what `rules` refuses, a field the model refuses, a basis citing no law, a code the agency already has."""
    single = ("code", *catalogue.texts)
    for name in (*single, "basis"):
        setattr(record, name, getattr(record, name).strip())
    # a basis may run over several lines (one law a line); nothing else may hold a line break
    texts = {name: getattr(record, name) for name in single}
    refuse_control_characters(texts | {"basis": record.basis.translate(LINE_BREAKS)})
    code_check(record.code)
    catalogue.rules(record)
    record.full_clean(validate_unique=False, validate_constraints=False)
    basis_check(record.basis)
    if catalogue.model.objects.filter(agency=record.agency_id, code=record.code).exclude(pk=record.pk).exists():
        raise _duplicate(catalogue, record.code)


def catalogue_create(*, catalogue: Catalogue, actor, record):
    """Check and save a new record (its agency's keepers were checked before it was built), with its entry."""
    catalogue_check(catalogue=catalogue, record=record)
    try:
        with transaction.atomic():  # the same code saved by someone else at this moment is refused, not a crash
            record.save()
    except IntegrityError:
        raise _duplicate(catalogue, record.code) from None
    _append(catalogue, actor, record, "create", _facts(catalogue, record))
    return record


def _locked(catalogue: Catalogue, record, *, refused: str):
    record = catalogue.model.objects.select_for_update().select_related(*catalogue.related).get(pk=record.pk)
    if record.withdrawn_on is not None:
        raise ValidationError(refused % {"noun": catalogue.noun, "day": record.withdrawn_on}, code="withdrawn")
    return record


def catalogue_lock(*, catalogue: Catalogue, actor, record):
    """The record locked for a change by one who keeps its agency's catalogue; refused once it is withdrawn."""
    agency_require(user=actor, agency=record.agency, action=MANAGE)
    return _locked(catalogue, record, refused=_("该%(noun)s已于 %(day)s 取消。"))


def catalogue_update(*, catalogue: Catalogue, actor, record, changes: dict):
    """Correct a record in force (its code stays: cases, items and ledger entries name it). The entry names every
    field changed, with its old and new value; nothing changed is refused."""
    unknown = set(changes) - set(catalogue.fields)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    agency_require(user=actor, agency=record.agency, action=MANAGE)
    record = _locked(catalogue, record, refused=_("该%(noun)s已于 %(day)s 取消，不能修改。"))
    before = {name: getattr(record, name) for name in catalogue.fields}
    for name, value in changes.items():
        setattr(record, name, value)
    catalogue_check(catalogue=catalogue, record=record)
    changed = [name for name in catalogue.fields if getattr(record, name) != before[name]]
    if not changed:
        raise ValidationError(_("没有需要修改的内容。"), code="unchanged")
    record.save()
    previous = {CHANGE_PREFIX + name: _fact(before[name]) for name in changed}
    _append(catalogue, actor, record, "update", _facts(catalogue, record, changed) | previous)
    return record


def catalogue_withdraw(
    *, catalogue: Catalogue, actor, record, reason: str, in_use: Callable[[models.Model], None] | None = None
):
    """取消: the record leaves the catalogue from today, with the reason; `in_use` refuses while what hangs on it
    is in force."""
    agency_require(user=actor, agency=record.agency, action=MANAGE)
    reason = reason_check(reason, what=_("取消理由"))
    record = _locked(catalogue, record, refused=_("该%(noun)s已于 %(day)s 取消。"))
    if in_use is not None:
        in_use(record)
    record.withdrawn_on = timezone.localdate()
    record.save(update_fields=["withdrawn_on"])
    _append(
        catalogue,
        actor,
        record,
        "withdraw",
        {"code": record.code, "withdrawn_on": record.withdrawn_on, "reason": reason},
    )
    return record


def _power_rules(power: Power) -> None:
    if power.kind not in PowerKind.values:
        raise ValidationError({"kind": _("请选择事项类型：行政处罚、行政强制、行政检查或行政许可。")})


POWERS = Catalogue(
    model=Power,
    subject="power",
    noun=gettext_lazy("执法事项"),
    fields=POWER_FIELDS,
    texts=("name", "unit"),
    rules=_power_rules,
)


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
    return catalogue_create(catalogue=POWERS, actor=actor, record=power)


@transaction.atomic
def power_update(*, actor, power: Power, **changes) -> Power:
    """Correct a power in force (its code stays: cases, items and ledger entries name it). The entry names every
    field changed, with its old and new value."""
    return catalogue_update(catalogue=POWERS, actor=actor, record=power, changes=changes)


def _items_in_force(power: Power) -> None:
    items = power.inspection_items.filter(withdrawn_on__isnull=True).count()
    if items:
        raise ValidationError(
            _("该事项下还有 %(n)d 项未取消的检查事项，请先取消这些检查事项。") % {"n": items}, code="items_in_force"
        )


@transaction.atomic
def power_withdraw(*, actor, power: Power, reason: str) -> Power:
    """取消: the power leaves the catalogue from today, with the reason (say, the law that conferred it was amended).
    Refused while inspection items in force still hang on it: they are withdrawn, or moved to another power, first."""
    return catalogue_withdraw(catalogue=POWERS, actor=actor, record=power, reason=reason, in_use=_items_in_force)


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
