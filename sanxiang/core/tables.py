"""Reading the CSV and XLSX files that imports take, and telling every problem of one by line and column (pure: no
database). Each app's import service reads its file through a Table, checks every row, and raises ImportRejected
in its transaction when there is a problem, so that nothing of the file is saved: all or nothing.

What is read is what the file says, as text. A CSV file is UTF-8 (with or without the byte order mark Excel writes)
or, from older Windows systems, GB18030; of an XLSX workbook the first sheet is read, a date as 2026-01-05, a whole
number without a decimal point, and a formula as the text of its formula: an import never takes a value computed
by a spreadsheet, and text such as =CMD() stays text (csvlines writes it back out with a leading apostrophe).

Lines are numbered as a spreadsheet shows them, the header being line 1, and columns from 1 at the left.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

IMPORT_FORMATS = ("csv", "xlsx")
# A bound on the work one file may ask of one request; a directory larger than this is imported in parts.
MAX_ROWS = 20_000
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
# The numbering column spreadsheets often start with: read past, never refused as unknown.
NUMBERING = "序号"


def file_format_of(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in IMPORT_FORMATS:
        raise ValidationError(_("只能导入 CSV 或 XLSX 文件（.csv、.xlsx）。"), code="file_format")
    return suffix


def header_key(name) -> str:
    """A column name as matched: without spaces, with half-width brackets (files mix （） and ())."""
    return "".join(str(name or "").split()).replace("（", "(").replace("）", ")")


def parse_date(value: str) -> dt.date:
    """A date written 2026-01-05, 2026/01/05 or 20260105."""
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("日期“%(value)s”无法识别，应写作 2026-01-05、2026/01/05 或 20260105。") % {"value": value})


YES, NO = frozenset({"是", "Y", "y", "1", "√"}), frozenset({"否", "N", "n", "0"})


def parse_yes_no(value: str, *, blank: bool) -> bool:
    """是 or 否 (Y/N, 1/0, a tick for yes); an empty cell means `blank`."""
    value = value.strip()
    if not value:
        return blank
    if value not in YES | NO:
        raise ValidationError(_("应填“是”或“否”。"))
    return value in YES


def read_table(source: BinaryIO, file_format: str) -> Iterator[list[str]]:
    """The rows of a CSV file or of an XLSX file's first sheet, each a list of texts."""
    if file_format == "csv":
        text = io.TextIOWrapper(source, encoding=_encoding(source), newline="")
        try:
            yield from csv.reader(text)
        finally:
            text.detach()  # the caller owns the file
        return
    try:
        workbook = load_workbook(source, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ValidationError(_("文件不是有效的 XLSX 工作簿。"), code="file_format") from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def read_rows(source: BinaryIO, file_format: str, errors: list[RowError]) -> Iterator[list[str]]:
    """read_table's rows; a file that cannot be read (not a workbook, not text, broken CSV quoting) adds its
    problem to `errors` and ends the rows."""
    try:
        yield from read_table(source, file_format)
    except ValidationError as error:
        errors.extend(RowError(0, "", message) for message in error.messages)
    except (UnicodeDecodeError, csv.Error) as error:
        errors.append(RowError(0, "", _("无法读取文件：%(error)s") % {"error": error}))


def _encoding(source: BinaryIO) -> str:
    """utf-8-sig when the whole file decodes as UTF-8, else GB18030; read in blocks, then rewound."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in iter(lambda: source.read(64 * 1024), b""):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    source.seek(0)
    return encoding


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file: its line (0 for the file as a whole), column (its name, and its number
    from the left when the header has it) and what is wrong."""

    line: int
    column: str
    message: str
    position: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.message
        where = f"第 {self.line} 行" + (f" 第 {self.position} 列" if self.position else "")
        return f"{where}（{self.column}）：{self.message}" if self.column else f"{where}：{self.message}"


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


@dataclass(frozen=True)
class Column:
    """A column an import reads: `required` ones must be in the header (their cells may still be checked empty by
    the service); `aliases` are other names files give it."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A line of the file with a value: its number and its cells by column name (only the columns the header has)."""

    line: int
    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True)
class Imported:
    """What an import did: records created, records updated, and rows that matched a record exactly."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


class Table:
    """A file read under an import's columns, collecting every problem found in it by line and column.

    Iterate `rows()` once; `refuse` a row's cell while checking it; `check()` at the end raises ImportRejected when
    anything was refused, the file itself included (unreadable, empty, a header that lacks a required column, names
    one twice or names one the import does not know, more than MAX_ROWS lines).
    """

    def __init__(self, source: BinaryIO, file_format: str, columns: Sequence[Column]):
        self.source, self.file_format, self.columns = source, file_format, columns
        self.errors: list[RowError] = []
        self.positions: dict[str, int] = {}  # column name → its number from the left
        self.blank: set[int] = set()  # the numbers of columns whose header cell is empty

    @property
    def present(self) -> set[str]:
        """The columns the file's header names."""
        return set(self.positions)

    def rows(self) -> Iterator[Row]:
        lines = read_rows(self.source, self.file_format, self.errors)
        header = next(lines, None)
        if header is None:
            if not self.errors:
                self.errors.append(RowError(0, "", _("文件是空的。")))
            return
        if not self._read_header(header):
            return
        count = 0
        for line, cells in enumerate(lines, start=2):
            row = self._row(line, cells)
            if row is None:
                continue
            count += 1
            if count > MAX_ROWS:
                self.errors.append(RowError(0, "", _("文件超过 %(n)d 行，请分成几个文件导入。") % {"n": MAX_ROWS}))
                return
            yield row
        if not count and not self.errors:
            self.errors.append(RowError(0, "", _("文件中只有表头，没有数据行。")))

    def _read_header(self, header: list[str]) -> bool:
        """Map each named column to its place; whether the rows can be read under this header."""
        names = {
            header_key(spelling): column.name for column in self.columns for spelling in (column.name, *column.aliases)
        }
        known = "、".join(column.name for column in self.columns)
        for position, cell in enumerate(header, start=1):
            key = header_key(cell)
            if not key:
                self.blank.add(position)
            elif key == NUMBERING:
                continue
            elif key not in names:
                self.errors.append(
                    RowError(1, str(cell), _("不是可以导入的列（可导入：%(known)s）。") % {"known": known}, position)
                )
            elif names[key] in self.positions:
                self.errors.append(RowError(1, names[key], _("该列出现了不止一次。"), position))
            else:
                self.positions[names[key]] = position
        self.errors += [
            RowError(1, column.name, _("缺少必填的列。"))
            for column in self.columns
            if column.required and column.name not in self.positions
        ]
        return not self.errors

    def _row(self, line: int, cells: list[str]) -> Row | None:
        if not any(cell.strip() for cell in cells):
            return None  # spreadsheets end in empty rows
        for position in sorted(self.blank):
            if position <= len(cells) and cells[position - 1].strip():
                self.errors.append(RowError(line, "", _("该列没有列名，无法识别其内容。"), position))
        values = {
            name: cells[position - 1].strip() if position <= len(cells) else ""
            for name, position in self.positions.items()
        }
        return Row(line, values)

    def refuse(self, row: Row, column: str, message: str) -> None:
        """Record a problem of `row` in `column`."""
        self.errors.append(RowError(row.line, column, message, self.positions.get(column, 0)))

    def refuse_error(self, row: Row, error: ValidationError, columns: dict[str, str], *, whole: str = "") -> None:
        """Record a service's refusal of `row`: each field it names under the column that gave it (`columns`:
        field → column name; a key that is itself a column name stays), and what it says of the record as a whole
        under `whole` (the row's key column)."""
        named = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for field, messages in named.items():
            column = columns.get(field) or (field if field in self.positions else whole)
            for message in messages:
                self.refuse(row, column, message)

    def check(self) -> None:
        if self.errors:
            raise ImportRejected(self.errors)
