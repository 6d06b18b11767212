"""Licence and penalty decisions made outside the platform: imported from other systems' 双公示 files, in the current
or the older layout (导入), or one licence entered by hand (手工录入). Each becomes a draft publication due by the
working-day rule from its decision date, with a first version whose original text is its fields line by line, and
then goes through the same masking, second-person confirmation and publication as decisions made here.

An import is all or nothing: every problem of the file is collected with its line and column, and if there is one,
nothing of the file is saved. Line numbers are those a spreadsheet shows: the header is line 1.

ID numbers (证件号码, 法定代表人证件号码) are kept in the original text only, which stays on the staff side and is
masked in the public text; the record's 双公示 summary leaves them empty.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import PenaltyKind
from sanxiang.core.identifiers import normalize_resident_id, normalize_uscc, validate_resident_id, validate_uscc
from sanxiang.core.rules import deadline
from sanxiang.publicity import layouts, opendata, texts
from sanxiang.publicity.models import CreditClass, Kind, Publication
from sanxiang.publicity.periods import credit_class
from sanxiang.publicity.services.lifecycle import PUBLICATION, agency_clerk, withhold_minor
from sanxiang.publicity.services.versions import version_create

DUE_RULES = {Kind.PENALTY: "publication.penalty_workdays", Kind.LICENCE: "publication.licence_workdays"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
ID_TYPES = (("证件类型", "证件号码"), ("法定代表人证件类型", "法定代表人证件号码"))
RESIDENT_ID_NAMES = (layouts.RESIDENT_ID, "居民身份证")
ADULT_YEARS = 18
# Words of a 处罚类别 and the kind of penalty they name, for the record's credit class (which sets how long it is
# shown). A category naming none of them counts as 一般.
PENALTY_WORDS = {
    "警告": PenaltyKind.WARNING,
    "通报批评": PenaltyKind.CRITICISM,
    "罚款": PenaltyKind.FINE,
    "没收": PenaltyKind.CONFISCATE_GAINS,
    "暂扣": PenaltyKind.SUSPEND_LICENCE,
    "降低资质": PenaltyKind.DOWNGRADE,
    "吊销": PenaltyKind.REVOKE_LICENCE,
    "限制开展生产经营": PenaltyKind.RESTRICT_OPERATION,
    "停产停业": PenaltyKind.SUSPEND_OPERATION,
    "关闭": PenaltyKind.CLOSE,
    "限制从业": PenaltyKind.RESTRICT_PRACTICE,
    "不得申请行政许可": PenaltyKind.BAN_APPLICATION,
}
# Layout fields kept in the publication's own columns too, whose length is limited.
STORED = {
    "行政处罚决定书文号": "number",
    "行政许可决定文书号": "number",
    "行政许可决定文书名称": "title",
    "行政相对人名称": "party_name",
    "行政相对人类别": "party_kind",
    "违法行为类型": "violation",
}


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file: its line (0 for the file as a whole), column and what is wrong."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行 {self.column}：{self.message}" if self.line else self.message


class ImportRejected(ValidationError):
    """Every problem of a file by line and column; nothing of it was saved. As a dict error its keys read
    "line:column", so API clients get each one in error.fields."""

    def __init__(self, rows: list[RowError]):
        fields: dict[str, list[str]] = {}
        for row in rows:
            fields.setdefault(f"{row.line}:{row.column}" if row.line else "file", []).append(row.message)
        summary = ValidationError(
            _("文件中有 %(n)d 处错误，未导入任何记录。") % {"n": len(rows)}, code="import_rejected"
        )
        super().__init__({"non_field_errors": [summary], **fields})
        self.rows = rows


def publications_import(*, actor, kind: str, source: BinaryIO, file_format: str) -> int:
    """Import a CSV or XLSX file of licence or penalty decisions in the current or the older 双公示 layout (told
    apart by the header); returns how many records were created. Only an agency's publicity clerks and heads may
    import, and only for the agencies they act for."""
    if kind not in DUE_RULES:
        raise ValidationError({"kind": _("只能导入行政处罚或行政许可信息。")})
    agency_clerk(actor=actor, agency=getattr(actor, "agency", None))
    errors: list[RowError] = []
    created = 0
    with transaction.atomic():
        try:
            created = _import_rows(actor, kind, opendata.read_table(source, file_format), errors)
        except ValidationError as error:  # the file itself is unreadable
            errors.extend(RowError(0, "", message) for message in error.messages)
        except (UnicodeDecodeError, csv.Error) as error:
            errors.append(RowError(0, "", _("无法读取文件：%(error)s") % {"error": error}))
        if errors:
            raise ImportRejected(errors)
    return created


def _import_rows(actor, kind: str, table: Iterable[list[str]], errors: list[RowError]) -> int:
    """Check every row and create its record while the file is clean so far (the caller rolls back otherwise)."""
    table = iter(table)
    header = next(table, None)
    if header is None:
        errors.append(RowError(0, "", _("文件是空的。")))
        return 0
    layout, columns, problems = _header(kind, header)
    errors.extend(RowError(1, column, message) for column, message in problems)
    if problems:  # the rows cannot be read reliably under a header that is wrong
        return 0
    current = layouts.CURRENT[kind]
    agencies: dict[tuple[str, str], Agency | tuple[str, str]] = {}
    seen: dict[tuple[int, str], int] = {}
    created = 0
    for line, cells in enumerate(table, start=2):
        row = {column: str(cell or "").strip() for column, cell in zip(columns, cells) if column}
        if not any(row.values()):
            continue  # spreadsheets end in empty rows
        fields, origin, problems = _clean(layout, row)
        agency = None
        if not {origin.get(current.agency), origin.get(current.agency_uscc)} & {column for column, _m in problems}:
            agency = _agency(actor, current, fields, origin, agencies, problems)
        number = fields.get(current.number)
        if agency is not None and number:
            if (agency.pk, number) in seen:
                problems.append(
                    (origin[current.number], _("与第%(line)d行的决定书文号重复。") % {"line": seen[agency.pk, number]})
                )
            else:
                seen[agency.pk, number] = line
                problems += _duplicate(agency, current, number, origin)
        errors.extend(RowError(line, column, message) for column, message in problems)
        if not errors:
            _create(
                actor=actor,
                agency=agency,
                current=current,
                fields=fields,
                source=Publication.Source.IMPORT,
                move="import",
            )
            created += 1
    return created


def _header(kind: str, header: list[str]) -> tuple[layouts.Layout | None, list[str | None], list[tuple[str, str]]]:
    """The layout whose columns the header names most of, each cell's column, and what is wrong with the header:
    columns it does not know (an ambiguous "行政相对人代码_5" among them), repeated or missing ones."""
    keys = [layouts.header_key(name) for name in header]
    best, names = None, {}
    for layout in layouts.LAYOUTS[kind]:
        spelled = {
            layouts.header_key(spelling): column.name
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


def _clean(layout: layouts.Layout, row: dict[str, str]) -> tuple[dict, dict, list[tuple[str, str]]]:
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


def parse_date(value: str) -> dt.date:
    """A date written 2026-01-05, 2026/01/05 or 20260105."""
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("日期“%(value)s”无法识别，应写作 2026-01-05、2026/01/05 或 20260105。") % {"value": value})


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


def _agency(actor, current: layouts.Current, fields: dict, origin: dict, cache: dict, problems: list) -> Agency | None:
    """The deciding agency by its 统一社会信用代码 (its name must then agree), else by its exact name; the actor
    must act for it."""
    code, name = fields.get(current.agency_uscc, ""), fields.get(current.agency, "")
    key = (code, name)
    if key not in cache:
        cache[key] = _find_agency(actor, current, code, name, origin)
    found = cache[key]
    if isinstance(found, tuple):
        problems.append(found)
        return None
    return found


def _find_agency(actor, current, code: str, name: str, origin: dict) -> Agency | tuple[str, str]:
    if code:
        agency = Agency.objects.filter(uscc=code).first()
        if agency is None:
            return origin[current.agency_uscc], _("没有统一社会信用代码为 %(code)s 的机关。") % {"code": code}
        if name and name != agency.name:
            return origin[current.agency], _("机关名称与统一社会信用代码不符（该代码属于%(name)s）。") % {
                "name": agency.name
            }
    else:
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            return origin[current.agency], _("没有名为“%(name)s”的机关。") % {"name": name}
    try:
        agency_clerk(actor=actor, agency=agency)
    except PermissionDenied as error:
        return origin.get(current.agency_uscc) or origin[current.agency], str(error)
    return agency


def _duplicate(agency: Agency, current: layouts.Current, number: str, origin: dict) -> list[tuple[str, str]]:
    if Publication.objects.filter(agency=agency, kind=current.kind, number=number).exists():
        return [
            (
                origin.get(current.number, current.number),
                _("%(agency)s已有文号为 %(number)s 的%(kind)s记录。")
                % {"agency": agency.name, "number": number, "kind": current.title},
            )
        ]
    return []


@transaction.atomic
def publication_enter(*, actor, agency: Agency, fields: dict) -> Publication:
    """手工录入: one licence decision entered by hand, with the agency's own name and code as 许可机关 and data
    source. The same checks as an import; errors come back by field name."""
    agency_clerk(actor=actor, agency=agency)
    current = layouts.LICENCE
    row = {name: str(value or "").strip() for name, value in fields.items() if name in current.fields}
    row |= texts.agency_fields(agency, current.agency)
    fields, origin, problems = _clean(current, row)
    if not problems:
        problems = _duplicate(agency, current, fields[current.number], origin)
    if problems:
        errors: dict[str, list[str]] = {}
        for column, message in problems:
            errors.setdefault(column, []).append(message)
        raise ValidationError(errors)
    return _create(
        actor=actor, agency=agency, current=current, fields=fields, source=Publication.Source.MANUAL, move="enter"
    )


def _create(*, actor, agency: Agency, current: layouts.Current, fields: dict, source: str, move: str) -> Publication:
    """The draft publication of a checked record, its first version and its ledger entry (caller's transaction)."""
    fields = (
        fields
        | texts.agency_fields(agency, current.agency)
        | {field: fields[field] for field in layouts.DATA_SOURCE if fields.get(field)}
    )
    decided = dt.date.fromisoformat(fields[current.decided])
    due = deadline(DUE_RULES[current.kind], decided, agency)
    penalty = current.kind == Kind.PENALTY
    try:
        with transaction.atomic():  # someone saving the same number at this moment is refused, not a crash
            publication = Publication.objects.create(
                agency=agency,
                kind=current.kind,
                source=source,
                number=fields[current.number],
                title=fields["行政许可决定文书名称"] if not penalty else _("行政处罚决定书"),
                party_name=fields["行政相对人名称"],
                party_kind=fields["行政相对人类别"],
                violation=fields.get("违法行为类型", ""),
                decided_on=decided,
                due_on=due.date,
                due_provisional=due.provisional,
                credit_class=_credit_class(fields["处罚类别"]) if penalty else "",
                summary={
                    field: "" if field in layouts.ID_NUMBERS else fields.get(field, "") for field in current.fields
                },
            )
    except IntegrityError:
        raise ValidationError(
            {
                current.number: _("%(agency)s已有文号为 %(number)s 的记录（刚刚由他人保存）。")
                % {"agency": agency.name, "number": fields[current.number]}
            }
        ) from None
    original = "\n".join(f"{field}：{fields[field]}" for field in current.fields if fields.get(field))
    version_create(
        publication,
        1,
        original,
        summary=publication.summary,
        personal=[("id_number", fields[field]) for field in layouts.ID_NUMBERS if fields.get(field)],
    )
    PUBLICATION.start(publication, move)
    if _minor(fields, decided):
        withhold_minor(publication)
    PUBLICATION.commit(actor, publication, move, {"due_on": publication.due_on, "source": source})
    return publication


def _credit_class(category: str) -> str:
    kinds = [kind for word, kind in PENALTY_WORDS.items() if word in category]
    return credit_class(kinds) if kinds else CreditClass.GENERAL


def _minor(fields: dict, decided: dt.date) -> bool:
    """A natural person under eighteen on the day of the decision, by the birth date in the resident ID number."""
    number = fields.get("证件号码", "")
    if fields.get("行政相对人类别") != layouts.NATURAL_PERSON or fields.get("证件类型") not in RESIDENT_ID_NAMES:
        return False
    born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return (decided.year - born.year - ((decided.month, decided.day) < (born.month, born.day))) < ADULT_YEARS
