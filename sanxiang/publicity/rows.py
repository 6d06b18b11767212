"""Reading the rows of a 双公示 file: which layout a header names (the current one or the older, told apart by their
columns), and each row as the fields of the current layout, checked and normalised, with every problem by column.
No database write and no record: services.imports decides what becomes a publication."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.core.identifiers import normalize_resident_id, normalize_uscc, validate_resident_id, validate_uscc
from sanxiang.core.tables import header_key, parse_date
from sanxiang.publicity import layouts, texts
from sanxiang.publicity.models import Kind, Publication

ID_TYPES = (("证件类型", "证件号码"), ("法定代表人证件类型", "法定代表人证件号码"))
RESIDENT_ID_NAMES = (layouts.RESIDENT_ID, "居民身份证")
# Layout fields kept in the publication's own columns too, whose length is limited.
STORED = {
    "行政处罚决定书文号": "number",
    "行政许可决定文书号": "number",
    "行政许可决定文书名称": "title",
    "行政相对人名称": "party_name",
    "行政相对人类别": "party_kind",
    "违法行为类型": "violation",
}


def header_layout(
    kind: str, header: list[str]
) -> tuple[layouts.Layout | None, list[str | None], list[tuple[str, str]]]:
    """The layout whose columns the header names most of, each cell's column, and what is wrong with the header:
    columns it does not know (an ambiguous "行政相对人代码_5" among them), repeated or missing ones."""
    keys = [header_key(name) for name in header]
    best, names = None, {}
    for layout in layouts.LAYOUTS[kind]:
        spelled = {
            header_key(spelling): column.name
            for column in layout.columns
            for spelling in (column.name, *column.aliases)
        }
        if sum(key in spelled for key in keys) > sum(key in names for key in keys):
            best, names = layout, spelled
    if best is None:
        return (
            None,
            [],
            [(_("表头"), _("无法识别表头：应为现行或 2016 年格式的%(kind)s信息表。") % {"kind": Kind(kind).label})],
        )
    columns = [names.get(key) for key in keys]
    problems = [
        (str(name), _("不是%(layout)s的字段。") % {"layout": best.title})
        for name, key in zip(header, keys)
        if key and key not in names
    ]
    problems += [
        (column, _("该列出现了不止一次。")) for column in dict.fromkeys(columns) if column and columns.count(column) > 1
    ]
    problems += [
        (column.name, _("缺少必填的列。"))
        for column in best.columns
        if column.name in best.required and column.name not in columns
    ]
    return best, columns, problems


def clean_row(layout: layouts.Layout, row: dict[str, str]) -> tuple[dict, dict, list[tuple[str, str]]]:
    """A row of `layout` as the fields of the current layout, checked and normalised: the fields, the column each
    came from, and the problems as (column, message)."""
    current = layouts.CURRENT[layout.kind]
    fields, origin = _map(layout, row)
    problems: list[tuple[str, str]] = [
        (column.name, _("必填项不能为空。"))
        for column in layout.columns
        if column.name in layout.required and not any(map(fields.get, column.to))
    ]

    def bad(field: str, message: str) -> None:
        problems.append((origin.get(field, field), message))

    def normalise(field: str, convert) -> bool:
        try:
            fields[field] = convert(fields[field])
        except ValidationError as error:
            bad(field, error.messages[0])
            return False
        return True

    for field, depends, words in layouts.CONDITIONS:
        if field in layout.carries and not fields.get(field) and any(word in fields.get(depends, "") for word in words):
            bad(field, _("%(depends)s为“%(value)s”时必填。") % {"depends": depends, "value": fields[depends]})
    for field, choices in layouts.CHOICES.items():
        if fields.get(field) and fields[field] not in choices:
            bad(field, _("应为%(choices)s之一。") % {"choices": "、".join(choices)})
    for field in current.codes:
        if fields.get(field):
            normalise(field, _uscc)
    for type_field, number_field in ID_TYPES:
        if fields.get(number_field) and not fields.get(type_field):
            bad(type_field, _("填写了证件号码，请同时填写证件类型。"))
        elif fields.get(number_field) and fields[type_field] in RESIDENT_ID_NAMES:
            normalise(number_field, _resident_id)
    for field in current.amounts:
        if fields.get(field):
            normalise(field, parse_amount)
    dates = {
        field: fields[field]
        for field in current.dates
        if fields.get(field) and normalise(field, lambda value: parse_date(value).isoformat())
    }
    if dates.get(current.decided, "") > timezone.localdate().isoformat():
        bad(current.decided, _("决定日期不能晚于今天。"))
    if "有效期自" in dates and "有效期至" in dates and dates["有效期至"] < dates["有效期自"]:
        bad("有效期至", _("有效期至不能早于有效期自。"))
    for field, column in STORED.items():
        limit = Publication._meta.get_field(column).max_length
        if len(fields.get(field, "")) > limit:
            bad(field, _("不能超过 %(n)d 个字。") % {"n": limit})
    return fields, origin, problems


def _map(layout: layouts.Layout, row: dict[str, str]) -> tuple[dict, dict]:
    """The current fields a row fills (several columns into one field are joined with 、), and where each came
    from; for the older layouts, the party's class they do not carry is told from its codes."""
    fields: dict[str, str] = {}
    origin: dict[str, str] = {}
    for column in layout.columns:
        value = row.get(column.name, "")
        for field in (*column.to, *(field for field, _implied in column.implies)):
            origin.setdefault(field, column.name)
        if not value:
            continue
        for field in column.to:
            fields[field] = f"{fields[field]}、{value}" if fields.get(field) else value
        fields.update(column.implies)
    if "行政相对人类别" not in layout.carries:
        organisation = any(fields.get(code) for code in layouts.PARTY_CODES)
        fields["行政相对人类别"] = (
            layouts.NATURAL_PERSON if fields.get("证件号码") and not organisation else layouts.ORGANISATION
        )
    # §15.2: a licence without a decision document number is published under its 许可编号.
    if layout.kind == Kind.LICENCE and not fields.get("行政许可决定文书号") and fields.get("许可编号"):
        fields["行政许可决定文书号"] = fields["许可编号"]
    return fields, origin


def _uscc(value: str) -> str:
    code = normalize_uscc(value)
    validate_uscc(code)
    return code


def _resident_id(value: str) -> str:
    number = normalize_resident_id(value)
    validate_resident_id(number)
    return number


def parse_amount(value: str) -> str:
    """An amount in 万元, as the layout writes it."""
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        amount = None
    # 10^8 万元 is a trillion yuan: anything larger is a typing error, and would not fit the export's precision
    if amount is None or not amount.is_finite() or not 0 <= amount < 10**8:
        raise ValidationError(_("金额“%(value)s”应为 0 至 1 亿之间的数字（单位：万元）。") % {"value": value})
    return texts.wan(amount * texts.TEN_THOUSAND)
