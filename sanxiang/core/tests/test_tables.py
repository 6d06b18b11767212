"""Reading an imported file (core.tables): CSV in UTF-8 or GB18030 and XLSX read as text, formulas kept as their
text, and every problem of the file named by line, column number and column name."""

import io

import openpyxl
import pytest

from sanxiang.core import tables
from sanxiang.core.tables import Column, ImportRejected, Table
from sanxiang.testing.opendata import csv_file, xlsx_file

COLUMNS = (Column("名称", required=True), Column("代码", required=True, aliases=("编码",)), Column("备注"))


def _read(source, file_format="csv", columns=COLUMNS):
    table = Table(source, file_format, columns)
    rows = list(table.rows())
    return table, rows


def _problems(table) -> list[str]:
    return [str(error) for error in table.errors]


def test_rows_are_read_by_column_name_whatever_the_order_or_spelling_of_the_header():
    source = csv_file(["编 码", "名称", "序号"], [{"编 码": "A1", "名称": "某公司", "序号": "1"}])
    table, rows = _read(source)
    assert not table.errors and table.present == {"代码", "名称"}
    assert rows[0].line == 2 and rows[0]["代码"] == "A1" and rows[0]["名称"] == "某公司" and rows[0]["备注"] == ""


def test_a_formula_stays_the_text_of_the_formula_in_csv_and_xlsx():
    row = {"名称": "=CMD()", "代码": "=1+1"}
    for source, file_format in (
        (csv_file(["名称", "代码"], [row]), "csv"),
        (xlsx_file(["名称", "代码"], [row]), "xlsx"),
    ):
        _table, rows = _read(source, file_format)
        assert (rows[0]["名称"], rows[0]["代码"]) == ("=CMD()", "=1+1"), file_format


def test_a_gb18030_file_from_an_older_system_is_read():
    source = io.BytesIO("名称,代码\n哈尔滨某公司,A1\n".encode("gb18030"))
    _table, rows = _read(source)
    assert rows[0]["名称"] == "哈尔滨某公司"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "文件是空的。"),
        ("名称,代码\n".encode(), "文件中只有表头，没有数据行。"),
        (b"PK\x03\x04 not a workbook", None),
    ],
)
def test_an_empty_or_unreadable_file_is_refused_as_a_whole(content, problem):
    file_format = "xlsx" if content.startswith(b"PK") else "csv"
    table, rows = _read(io.BytesIO(content), file_format)
    assert rows == [] and len(table.errors) == 1 and table.errors[0].line == 0
    assert _problems(table) == [problem or "文件不是有效的 XLSX 工作簿。"]
    with pytest.raises(ImportRejected) as error:
        table.check()
    assert "未导入任何记录" in str(error.value.message_dict["non_field_errors"])


def test_a_header_lacking_a_column_naming_one_twice_or_an_unknown_one_is_refused_with_its_place():
    source = csv_file(["名称", "名称", "地址"], [{"名称": "某公司"}])
    table, rows = _read(source)
    assert rows == []
    assert _problems(table) == [
        "第 1 行 第 2 列（名称）：该列出现了不止一次。",
        "第 1 行 第 3 列（地址）：不是可以导入的列（可导入：名称、代码、备注）。",
        "第 1 行（代码）：缺少必填的列。",
    ]


def test_a_value_under_a_column_without_a_name_is_refused_and_empty_rows_are_passed_over():
    source = csv_file(["名称", "代码", ""], [{"名称": "甲", "代码": "1", "": "多余"}, {}, {"名称": "乙", "代码": "2"}])
    table, rows = _read(source)
    assert [row.line for row in rows] == [2, 4]
    assert _problems(table) == ["第 2 行 第 3 列：该列没有列名，无法识别其内容。"]


def test_a_file_longer_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 2)
    source = csv_file(["名称", "代码"], [{"名称": str(n), "代码": str(n)} for n in range(3)])
    table, rows = _read(source)
    assert len(rows) == 2 and _problems(table) == ["文件超过 2 行，请分成几个文件导入。"]


def test_a_refusal_names_the_column_of_the_field_or_the_rows_key_column():
    from django.core.exceptions import ValidationError

    table, rows = _read(csv_file(["代码", "名称"], [{"名称": "甲", "代码": "1"}]))
    table.refuse_error(rows[0], ValidationError({"name": "太长", "other": "冲突"}), {"name": "名称"}, whole="代码")
    table.refuse_error(rows[0], ValidationError("已取消"), {}, whole="代码")
    assert _problems(table) == [
        "第 2 行 第 2 列（名称）：太长",
        "第 2 行 第 1 列（代码）：冲突",
        "第 2 行 第 1 列（代码）：已取消",
    ]


def test_dates_and_whole_numbers_of_a_workbook_read_as_a_spreadsheet_shows_them():
    import datetime as dt

    workbook = openpyxl.Workbook()
    workbook.active.append(["名称", "代码", "备注"])
    workbook.active.append([dt.datetime(2026, 1, 5, 9, 30), 42.0, 1.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    _table, rows = _read(buffer, "xlsx")
    assert rows[0].values == {"名称": "2026-01-05", "代码": "42", "备注": "1.5"}


@pytest.mark.parametrize(("text", "value"), [("是", True), ("否", False), ("", True), ("Y", True), ("0", False)])
def test_yes_and_no_are_read_in_chinese_or_as_letters_and_digits(text, value):
    assert tables.parse_yes_no(text, blank=True) is value


def test_anything_else_is_not_yes_or_no():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tables.parse_yes_no("也许", blank=False)
