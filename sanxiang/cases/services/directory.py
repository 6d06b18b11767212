"""The regulated-entity directory (监管对象名录库): an agency's enterprises imported from a CSV or XLSX file.

An enterprise is known by its 统一社会信用代码 within the agency: a code the directory already holds updates that
party — a correction like any other, with its own ledger entry naming every field changed (reason: the import) —,
a new code registers a new party. A row identical to the record changes nothing. Only the columns the file has are
read; a blank cell in one of them clears that field (the file is the record as it should read), except that a party
is never left without its kind or tier.

All or nothing: every row is checked first, with every problem by line and column; only a clean file is written,
in one transaction, all its rows at once with their entries (a directory of ten thousand enterprises is imported
in seconds). A code twice in the file is refused; so is one the directory already holds twice (which to update
cannot be told), and a natural person, whom a directory of enterprises does not list.
"""

from __future__ import annotations

from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import Party, PartyKind, Tier
from sanxiang.cases.search import parties_index
from sanxiang.cases.selectors import may_keep_directory
from sanxiang.cases.services.parties import PARTY_FIELDS, correction_facts, party_check, party_facts
from sanxiang.core.identifiers import normalize_uscc
from sanxiang.core.tables import Column, Imported, Row, Table, parse_yes_no
from sanxiang.core.text import refuse_control_characters
from sanxiang.ledger.services import ledger_append_many, record_for

COLUMNS = (
    Column("名称", required=True, aliases=("企业名称", "单位名称", "名称（姓名）")),
    Column("统一社会信用代码", required=True, aliases=("社会信用代码", "信用代码")),
    Column("类别", aliases=("主体类别", "当事人类别")),
    Column("地址", aliases=("住所", "住所（地址）", "经营地址")),
    Column("区划代码", aliases=("所在区划代码", "行政区划代码")),
    Column("行业", aliases=("所属行业", "行业类别")),
    Column("排污许可证编号", aliases=("许可证编号",)),
    Column("分级分类", aliases=("监管类别",)),
    Column("重点排污单位"),
    Column("法定代表人", aliases=("法定代表人（负责人）", "负责人")),
    Column("联系电话", aliases=("电话",)),
)
FIELD_COLUMNS = {
    "name": "名称",
    "uscc": "统一社会信用代码",
    "kind": "类别",
    "address": "地址",
    "division": "区划代码",
    "industry": "行业",
    "permit_number": "排污许可证编号",
    "tier": "分级分类",
    "key_polluter": "重点排污单位",
    "legal_representative": "法定代表人",
    "phone": "联系电话",
}
KINDS = {str(label): value for value, label in PartyKind.choices if value != PartyKind.NATURAL_PERSON}
# A tier as files write it: 重点监管 or 重点, 一般监管 or 一般, 正面清单.
TIERS = {str(label): value for value, label in Tier.choices} | {
    str(label).removesuffix("监管"): value for value, label in Tier.choices
}
REASON = "导入监管对象名录"


def parties_import(*, actor, agency: Agency, source: BinaryIO, file_format: str) -> Imported:
    """Import enterprises into the agency's directory (COLUMNS); by those who keep it (its officers and heads)."""
    if not may_keep_directory(actor, agency):
        raise PermissionDenied(_("只有本机关的执法人员或负责人可以导入监管对象名录。"))
    table = Table(source, file_format, COLUMNS)
    held: dict[str, list[Party]] = {}
    for party in Party.objects.filter(agency=agency).exclude(uscc=""):
        held.setdefault(party.uscc, []).append(party)
    seen: dict[str, int] = {}
    new: list[Party] = []
    corrected: list[tuple[Party, dict, list[str]]] = []
    unchanged = 0
    for row in table.rows():
        uscc = normalize_uscc(row["统一社会信用代码"])
        if not uscc:
            table.refuse(row, "统一社会信用代码", _("必填项不能为空。"))
            continue
        if uscc in seen:
            table.refuse(row, "统一社会信用代码", _("与第 %(line)d 行的统一社会信用代码重复。") % {"line": seen[uscc]})
            continue
        seen[uscc] = row.line
        if len(held.get(uscc, [])) > 1:
            message = _("本机关名录中已有 %(n)d 个使用该代码的当事人，无法确定更新哪一个，请先在名录中更正。")
            table.refuse(row, "统一社会信用代码", message % {"n": len(held[uscc])})
            continue
        values = _values(table, row)
        if values is None:
            continue
        party = held[uscc][0] if uscc in held else Party(agency=agency, kind=PartyKind.LEGAL_PERSON)
        before = {field: getattr(party, field) for field in PARTY_FIELDS}
        for field, value in values.items():
            setattr(party, field, value)
        try:
            refuse_control_characters(values)
            party_check(party)
        except ValidationError as error:
            table.refuse_error(row, error, FIELD_COLUMNS, whole="统一社会信用代码")
            continue
        if party.pk is None:
            new.append(party)
            continue
        changed = [field for field in PARTY_FIELDS if getattr(party, field) != before[field]]
        if changed:
            corrected.append((party, before, changed))
        else:
            unchanged += 1
    table.check()
    with transaction.atomic():
        Party.objects.bulk_create(new, batch_size=500)
        if corrected:  # only the fields some row changed: each one costs a CASE over the whole batch
            changed_fields = sorted({field for _p, _b, changed in corrected for field in changed})
            Party.objects.bulk_update([party for party, _b, _c in corrected], fields=changed_fields, batch_size=500)
        records = [
            record_for(actor=actor, agency=agency, action="party.create", subject=party, data=party_facts(party))
            for party in new
        ]
        records += [
            record_for(
                actor=actor,
                agency=agency,
                action="party.correct",
                subject=party,
                data=correction_facts(party, before, changed, REASON),
            )
            for party, before, changed in corrected
        ]
        parties_index(Party.objects.filter(pk__in=[party.pk for party in new] + [p.pk for p, _b, _c in corrected]))
        if records:
            ledger_append_many(records)
    return Imported(created=len(new), updated=len(corrected), unchanged=unchanged)


def _values(table: Table, row: Row) -> dict | None:
    """The fields a row sets: those of the columns the file has (None when a cell cannot be read)."""
    present = table.present
    values = {field: row[column] for field, column in FIELD_COLUMNS.items() if column in present}
    values["uscc"] = normalize_uscc(values["uscc"])
    problems = []
    if "kind" in values:
        values["kind"] = KINDS.get(values["kind"] or str(PartyKind.LEGAL_PERSON.label))
        if values["kind"] is None:
            problems.append(("类别", _("应为法人、其他组织或个体工商户（名录不收录自然人）。")))
    if "tier" in values:
        values["tier"] = TIERS.get(values["tier"] or str(Tier.GENERAL.label))
        if values["tier"] is None:
            problems.append(("分级分类", _("应为重点监管、一般监管或正面清单。")))
    if "key_polluter" in values:
        try:
            values["key_polluter"] = parse_yes_no(values["key_polluter"], blank=False)
        except ValidationError as error:
            problems.append(("重点排污单位", error.messages[0]))
    for column, message in problems:
        table.refuse(row, column, message)
    return None if problems else values
