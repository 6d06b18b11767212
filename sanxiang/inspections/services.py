"""Writes to an agency's inspection items (检查事项清单), their frequency per tier (抽查比例和频次) and its 双随机
working rules (抽查工作细则), and the import of the items from a spreadsheet. Every change is a public ledger entry:
the items and rules are published before anyone is inspected on them (事前公开 item 5; 国办发〔2024〕54号: no
inspection on an item not published, and each area publishes how often an enterprise may be inspected).

Kept, like the powers catalogue they hang on, by the agency's system administrators or those above (MANAGE): they
are reference data the agency adopts by a document of its own. An item hangs on one of the agency's 行政检查
powers in force; a withdrawn item stays, so that an inspection keeps the item it was made on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import MANAGE, agency_require
from sanxiang.cases.models import Tier
from sanxiang.core.facts import CHANGE_PREFIX
from sanxiang.core.importing import import_by_key
from sanxiang.core.tables import Column, Imported, Row, Table, parse_date, parse_yes_no
from sanxiang.core.text import refuse_control_characters
from sanxiang.inspections.models import InspectionItem, InspectionRules, ItemFrequency, Method
from sanxiang.ledger.services import ledger_append
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import powers_in_force
from sanxiang.powers.services import Catalogue, catalogue_create, catalogue_lock, catalogue_update, catalogue_withdraw

LEDGER_ACTIONS = {
    "inspection_item.create": gettext_lazy("增加检查事项"),
    "inspection_item.update": gettext_lazy("修改检查事项"),
    "inspection_item.withdraw": gettext_lazy("取消检查事项"),
    "inspection_item.frequency_set": gettext_lazy("设定抽查比例和频次"),
    "inspection_item.frequency_remove": gettext_lazy("删除抽查比例和频次"),
    "inspection_rules.set": gettext_lazy("公布抽查工作细则"),
}
ITEM_FIELDS = ("power", "name", "basis", "subject", "method", "random", "published_on")
MAX_CAP = 365  # at most once a day: a larger cap is a typing error


def _item_rules(item: InspectionItem) -> None:
    if item.method not in Method.values:
        raise ValidationError({"method": _("请选择检查方式：现场检查、非现场检查或书面检查。")})
    inspection_powers = powers_in_force(item.agency, kind=PowerKind.INSPECTION)
    if item.power_id is None or not inspection_powers.filter(pk=item.power_id).exists():
        raise ValidationError({"power": _("请选择本机关现行的行政检查事项。")})


ITEMS = Catalogue(
    model=InspectionItem,
    subject="inspection_item",
    noun=gettext_lazy("检查事项"),
    fields=ITEM_FIELDS,
    texts=("name", "subject"),
    rules=_item_rules,
    related=("agency", "power"),
)


def _append(actor, item: InspectionItem, action: str, data: dict) -> None:
    ledger_append(actor=actor, agency=item.agency, action=action, subject=item, data=data, public=True)


@transaction.atomic
def item_create(
    *,
    actor,
    agency: Agency,
    code: str,
    power: Power,
    name: str,
    basis: str,
    subject: str,
    published_on: dt.date,
    method: str = Method.ON_SITE,
    random: bool = True,
) -> InspectionItem:
    """Add an item to the agency's list: what is inspected, on which basis, of whom and how, under which power."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    item = InspectionItem(
        agency=agency,
        code=code,
        power=power,
        name=name,
        basis=basis,
        subject=subject,
        method=method,
        random=random,
        published_on=published_on,
    )
    return catalogue_create(catalogue=ITEMS, actor=actor, record=item)


def _lock(actor, item: InspectionItem) -> InspectionItem:
    return catalogue_lock(catalogue=ITEMS, actor=actor, record=item)


@transaction.atomic
def item_update(*, actor, item: InspectionItem, **changes) -> InspectionItem:
    """Correct an item in force (its code stays); the entry names every field changed, old and new."""
    return catalogue_update(catalogue=ITEMS, actor=actor, record=item, changes=changes)


@transaction.atomic
def item_withdraw(*, actor, item: InspectionItem, reason: str) -> InspectionItem:
    """取消: the item leaves the list from today, with the reason; no inspection is made on it any more."""
    return catalogue_withdraw(catalogue=ITEMS, actor=actor, record=item, reason=reason)


@transaction.atomic
def frequency_set(
    *, actor, item: InspectionItem, tier: str, draw_percent: Decimal, yearly_cap: int, citation: str
) -> ItemFrequency:
    """抽查比例和频次 for one tier of enterprise: the share drawn each year (0–100 %) and the most inspections a year
    on this item (at least one), each with the document that sets it."""
    item = _lock(actor, item)
    refuse_control_characters({"citation": citation})
    errors = {}
    if tier not in Tier.values:
        errors["tier"] = _("请选择分级分类。")
    if draw_percent is None or not Decimal(draw_percent).is_finite() or not 0 <= Decimal(draw_percent) <= 100:
        errors["draw_percent"] = _("抽查比例应在 0 到 100 之间。")
    if yearly_cap is None or not 1 <= yearly_cap <= MAX_CAP:
        errors["yearly_cap"] = _("每年检查次数上限应在 1 到 %(max)d 之间。") % {"max": MAX_CAP}
    if not citation.strip():
        errors["citation"] = _("请写明设定抽查比例和频次的文件及条款。")
    if errors:
        raise ValidationError(errors)
    values = {"draw_percent": Decimal(draw_percent).quantize(Decimal("0.01")), "yearly_cap": yearly_cap}
    values["citation"] = citation.strip()
    frequency = item.frequencies.filter(tier=tier).first()
    before = {name: getattr(frequency, name) for name in values} if frequency else {}
    if before == values:
        raise ValidationError(_("没有需要修改的内容。"), code="unchanged")
    frequency, _created = ItemFrequency.objects.update_or_create(item=item, tier=tier, defaults=values)
    data = {"code": item.code, "tier": tier, **values}
    data |= {CHANGE_PREFIX + name: value for name, value in before.items() if value != values[name]}
    _append(actor, item, "inspection_item.frequency_set", data)
    return frequency


@transaction.atomic
def frequency_remove(*, actor, item: InspectionItem, tier: str) -> None:
    """No published share or cap for this tier any more (its last state stays in the ledger)."""
    item = _lock(actor, item)
    frequency = item.frequencies.filter(tier=tier).first()
    if frequency is None:
        raise ValidationError(_("该检查事项没有这一分级分类的抽查比例和频次。"), code="not_found")
    _append(actor, item, "inspection_item.frequency_remove", {"code": item.code, "tier": tier})
    frequency.delete()


@transaction.atomic
def rules_set(
    *, actor, agency: Agency, title: str, adopted_on: dt.date, text: str, document_number: str = ""
) -> InspectionRules:
    """公布抽查工作细则: the agency's working rules for 双随机 spot checks, as adopted (a new text replaces the one
    before; the entry keeps each one's digest, title, number and date)."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    refuse_control_characters(
        {"title": title, "document_number": document_number, "text": text.replace("\r", "").replace("\n", "")}
    )
    rules = InspectionRules.objects.select_for_update().filter(agency=agency).first() or InspectionRules(agency=agency)
    before = (rules.title, rules.document_number, rules.adopted_on, rules.text)
    rules.title, rules.document_number, rules.adopted_on = title.strip(), document_number.strip(), adopted_on
    rules.text = text.strip()
    rules.full_clean(validate_unique=False)
    if before == (rules.title, rules.document_number, rules.adopted_on, rules.text):
        raise ValidationError(_("没有需要修改的内容。"), code="unchanged")
    rules.save()
    data = {"title": rules.title, "document_number": rules.document_number, "adopted_on": rules.adopted_on}
    ledger_append(actor=actor, agency=agency, action="inspection_rules.set", subject=rules, data=data, public=True)
    return rules


FREQUENCY_COLUMNS = {tier: (f"{label}抽查比例（%）", f"{label}每年检查上限") for tier, label in Tier.choices}
COLUMNS = (
    Column("事项编码", required=True, aliases=("编码",)),
    Column("检查事项", required=True, aliases=("事项名称", "名称")),
    Column("执法事项编码", required=True, aliases=("权责清单编码",)),
    Column("检查依据", required=True, aliases=("依据",)),
    Column("检查对象", required=True),
    Column("检查方式"),
    Column("纳入双随机", aliases=("双随机",)),
    Column("公布日期"),
    *(Column(name) for pair in FREQUENCY_COLUMNS.values() for name in pair),
    Column("频次依据", aliases=("抽查比例和频次依据",)),
)
FIELD_COLUMNS = {
    "code": "事项编码",
    "name": "检查事项",
    "power": "执法事项编码",
    "basis": "检查依据",
    "subject": "检查对象",
    "method": "检查方式",
    "random": "纳入双随机",
    "published_on": "公布日期",
    "citation": "频次依据",
}
METHODS = {str(label): value for value, label in Method.choices}


def items_import(*, actor, agency: Agency, source: BinaryIO, file_format: str) -> Imported:
    """Import the agency's inspection items with their frequency per tier (COLUMNS): a code the agency has is an
    update of that item, a new code a new item, each change with its own ledger entry. A tier's share and cap are
    given together, with the document that sets them (频次依据). All or nothing, every problem by line and column."""
    agency_require(user=actor, agency=agency, action=MANAGE)
    table = Table(source, file_format, COLUMNS)
    existing = {item.code: item for item in agency.inspection_items.all()}
    powers = {power.code: power for power in Power.objects.filter(agency=agency)}

    def save(row, read):
        return _import_row(actor, agency, row["事项编码"], *read, row["频次依据"], existing.get(row["事项编码"]))

    return import_by_key(
        table,
        key="事项编码",
        read=lambda row: _row_item(table, row, powers, existing.get(row["事项编码"])),
        save=save,
        columns=FIELD_COLUMNS,
    )


def _row_item(table: Table, row: Row, powers: dict, item: InspectionItem | None) -> tuple[dict, dict] | None:
    """The item's fields and its frequencies by tier as a row gives them (None when a cell cannot be read); a new
    item is 现场检查, drawn at random and published today unless the row says otherwise."""
    new = item is None
    fields = {name: row[FIELD_COLUMNS[name]] for name in ("name", "basis", "subject")}
    problems: list[tuple[str, str]] = []
    fields["power"] = powers.get(row["执法事项编码"])
    if fields["power"] is None:
        problems.append(
            ("执法事项编码", _("本机关执法事项库中没有编码为 %(code)s 的事项。") % {"code": row["执法事项编码"]})
        )
    if row["检查方式"] or new:
        fields["method"] = METHODS.get(row["检查方式"] or str(Method.ON_SITE.label))
        if fields["method"] is None:
            problems.append(("检查方式", _("应为现场检查、非现场检查或书面检查。")))
    if row["纳入双随机"] or new:
        try:
            fields["random"] = parse_yes_no(row["纳入双随机"], blank=True)
        except ValidationError as error:
            problems.append(("纳入双随机", error.messages[0]))
    if row["公布日期"] or new:
        try:
            fields["published_on"] = parse_date(row["公布日期"]) if row["公布日期"] else timezone.localdate()
        except ValidationError as error:
            problems.append(("公布日期", error.messages[0]))
    frequencies = {}
    for tier, (share, cap) in FREQUENCY_COLUMNS.items():
        if not (row[share] or row[cap]):
            continue
        if not (row[share] and row[cap]):
            problems.append((share if not row[share] else cap, _("抽查比例和每年检查上限须同时填写。")))
            continue
        try:
            frequencies[tier] = {"draw_percent": Decimal(row[share].rstrip("%")), "yearly_cap": int(row[cap])}
        except (ArithmeticError, ValueError):
            problems.append((share, _("抽查比例应为数字，每年检查上限应为整数。")))
    if frequencies and not row["频次依据"]:
        problems.append(("频次依据", _("填写抽查比例和频次的，须写明设定它们的文件及条款。")))
    for column, message in problems:
        table.refuse(row, column, message)
    return None if problems else (fields, frequencies)


def _import_row(
    actor, agency: Agency, code: str, fields: dict, frequencies: dict, citation: str, item: InspectionItem | None
) -> str:
    """Create or update the item, then set each tier's frequency that differs; what became of the row."""
    if item is None:
        item, outcome = item_create(actor=actor, agency=agency, code=code, **fields), "created"
    else:
        changes = {name: value for name, value in fields.items() if getattr(item, name) != value}
        outcome = "updated" if changes else "unchanged"
        if changes:
            item = item_update(actor=actor, item=item, **changes)
    for tier, values in frequencies.items():
        try:
            frequency_set(actor=actor, item=item, tier=tier, citation=citation, **values)
        except ValidationError as error:
            if getattr(error, "code", None) == "unchanged":
                continue
            if not hasattr(error, "error_dict"):
                raise
            share, cap = FREQUENCY_COLUMNS[tier]
            named = {"draw_percent": share, "yearly_cap": cap, "citation": "频次依据"}
            raise ValidationError(
                {named.get(field, field): found for field, found in error.message_dict.items()}
            ) from None
        outcome = "created" if outcome == "created" else "updated"
    return outcome
