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

import datetime as dt
from collections.abc import Iterable
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.cases.models import PenaltyKind
from sanxiang.core.tables import ImportRejected, RowError, read_rows
from sanxiang.publicity import layouts, texts
from sanxiang.publicity.models import Kind, Publication
from sanxiang.publicity.periods import credit_class
from sanxiang.publicity.rows import RESIDENT_ID_NAMES, clean_row, header_layout
from sanxiang.publicity.services.lifecycle import agency_clerk
from sanxiang.publicity.services.opening import minor_on, open_draft

DUE_RULES = {Kind.PENALTY: "publication.penalty_workdays", Kind.LICENCE: "publication.licence_workdays"}
SIMPLE_PROCEDURE = "简易程序"
# Words of a 处罚类别 and the kind of penalty they name, for the record's credit class (which sets how long it is
# shown). A category naming none of them counts as 一般 (轻微 when the record is marked 简易程序).
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
        created = _import_rows(actor, kind, read_rows(source, file_format, errors), errors)
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
    layout, columns, problems = header_layout(kind, header)

    def position(column: str) -> int:
        # a known column by its place; one the layout does not know (a header problem) as the header spells it
        return columns.index(column) + 1 if column in columns else header.index(column) + 1 if column in header else 0

    errors.extend(RowError(1, column, message, position(column)) for column, message in problems)
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
        fields, origin, problems = clean_row(layout, row)
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
        errors.extend(RowError(line, column, message, position(column)) for column, message in problems)
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
    fields, origin, problems = clean_row(current, row)
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
    penalty = current.kind == Kind.PENALTY
    summary = {field: "" if field in layouts.ID_NUMBERS else fields.get(field, "") for field in current.fields}
    try:
        with transaction.atomic():  # someone saving the same number at this moment is refused, not a crash
            return open_draft(
                actor=actor,
                move=move,
                agency=agency,
                kind=current.kind,
                number=fields[current.number],
                decided_on=decided,
                due_rule=DUE_RULES[current.kind],
                summary=summary,
                original="\n".join(f"{field}：{fields[field]}" for field in current.fields if fields.get(field)),
                personal=[("id_number", fields[field]) for field in layouts.ID_NUMBERS if fields.get(field)],
                minor=_minor(fields, decided),
                data={"source": source},
                source=source,
                title=fields["行政许可决定文书名称"] if not penalty else _("行政处罚决定书"),
                party_name=fields["行政相对人名称"],
                party_kind=fields["行政相对人类别"],
                violation=fields.get("违法行为类型", ""),
                credit_class=_credit_class(fields, agency) if penalty else "",
            )
    except IntegrityError:
        raise ValidationError(
            {
                current.number: _("%(agency)s已有文号为 %(number)s 的记录（刚刚由他人保存）。")
                % {"agency": agency.name, "number": fields[current.number]}
            }
        ) from None


def _credit_class(fields: dict, agency: Agency) -> str:
    """The class by the kinds the 处罚类别 names; a record marked 简易程序 (in its 处罚类别 or 备注, as the systems
    that export 当场处罚 write it) was decided by the simple procedure."""
    kinds = [kind for word, kind in PENALTY_WORDS.items() if word in fields["处罚类别"]]
    simple = any(SIMPLE_PROCEDURE in fields.get(field, "") for field in ("处罚类别", "备注"))
    return credit_class(kinds, agency=agency, simple_procedure=simple)


def _minor(fields: dict, decided: dt.date) -> bool:
    """A natural person under eighteen on the day of the decision, by the birth date in the resident ID number."""
    if fields.get("行政相对人类别") != layouts.NATURAL_PERSON or fields.get("证件类型") not in RESIDENT_ID_NAMES:
        return False
    return minor_on(fields.get("证件号码", ""), decided)
