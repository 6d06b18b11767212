"""Importing inspection items with their frequency per tier from CSV or XLSX: all or nothing, every problem by line
and column, a code the agency has updating that item and only the frequencies that changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from sanxiang.core.tables import ImportRejected
from sanxiang.inspections import services
from sanxiang.inspections.models import InspectionItem, ItemFrequency
from sanxiang.ledger.models import Entry
from sanxiang.powers.models import PowerKind
from sanxiang.testing.catalogues import item_row, make_power
from sanxiang.testing.opendata import csv_file, xlsx_file

FIELDS = [column.name for column in services.COLUMNS]


def _import(world, rows, *, file_format="csv", fields=FIELDS, actor=None):
    source = csv_file(fields, rows) if file_format == "csv" else xlsx_file(fields, rows)
    return services.items_import(
        actor=actor or world.people.admin, agency=world.harbin, source=source, file_format=file_format
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_items_are_imported_with_their_frequencies_each_change_a_public_entry(world, file_format):
    power = make_power(world.harbin, code="230100-JC")
    result = _import(world, [item_row(power)], file_format=file_format)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    item = InspectionItem.objects.get()
    shares = {
        frequency.tier: (str(frequency.draw_percent), frequency.yearly_cap) for frequency in item.frequencies.all()
    }
    assert item.power == power and shares == {"key": ("100.00", 4), "general": ("10.00", 2)}
    assert Entry.objects.filter(action="inspection_item.frequency_set", public=True).count() == 2
    again = _import(world, [item_row(power, **{"一般监管抽查比例（%）": "5"})], file_format=file_format)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 0)
    assert Entry.objects.filter(action="inspection_item.frequency_set").count() == 3
    assert _import(world, [item_row(power, **{"一般监管抽查比例（%）": "5"})]).unchanged == 1


def test_every_problem_is_named_by_line_and_column_and_nothing_is_written(world):
    power = make_power(world.harbin, code="230100-JC")
    penalty = make_power(world.harbin, PowerKind.PENALTY, code="230100-CF")
    rows = [
        item_row(power, 执法事项编码="NOPE"),
        item_row(power, 事项编码="J2", **{"重点监管每年检查上限": ""}),
        item_row(power, 事项编码="J3", **{"一般监管抽查比例（%）": "120"}),
        item_row(power, 事项编码="J4", 频次依据=""),
        item_row(power, 事项编码="J5", 检查方式="飞行检查"),
        item_row(power, 事项编码="J6", **{"正面清单抽查比例（%）": "3", "正面清单每年检查上限": "0"}),
        item_row(power, 事项编码="J7", 执法事项编码=penalty.code),
        item_row(power, 事项编码="J7"),
    ]
    with pytest.raises(ImportRejected) as error:
        _import(world, rows)
    assert [str(problem) for problem in error.value.rows] == [
        "第 2 行 第 3 列（执法事项编码）：本机关执法事项库中没有编码为 NOPE 的事项。",
        "第 3 行 第 10 列（重点监管每年检查上限）：抽查比例和每年检查上限须同时填写。",
        "第 4 行 第 11 列（一般监管抽查比例（%））：抽查比例应在 0 到 100 之间。",
        "第 5 行 第 15 列（频次依据）：填写抽查比例和频次的，须写明设定它们的文件及条款。",
        "第 6 行 第 6 列（检查方式）：应为现场检查、非现场检查或书面检查。",
        "第 7 行 第 14 列（正面清单每年检查上限）：每年检查次数上限应在 1 到 365 之间。",
        "第 8 行 第 3 列（执法事项编码）：请选择本机关现行的行政检查事项。",
        "第 9 行 第 1 列（事项编码）：与第 8 行的事项编码重复。",
    ]
    assert not InspectionItem.objects.exists() and not ItemFrequency.objects.exists()
    assert not Entry.objects.filter(action__startswith="inspection_item").exists()


def test_an_empty_file_or_one_without_a_required_column_is_refused(world):
    with pytest.raises(ImportRejected) as error:
        _import(world, [], file_format="xlsx")
    assert [str(problem) for problem in error.value.rows] == ["文件中只有表头，没有数据行。"]
    with pytest.raises(ImportRejected) as error:
        _import(world, [item_row(make_power(world.harbin))], fields=[name for name in FIELDS if name != "检查对象"])
    assert [str(problem) for problem in error.value.rows] == ["第 1 行（检查对象）：缺少必填的列。"]


def test_only_keepers_import_and_the_page_says_so(client, world):
    with pytest.raises(PermissionDenied):
        _import(world, [item_row(make_power(world.harbin))], actor=world.people.officer)
    client.force_login(world.people.officer)
    assert client.get(reverse("inspections:item-import")).status_code == 403
    client.force_login(world.people.admin)
    page = client.get(reverse("inspections:item-import")).content.decode()
    assert "重点监管抽查比例（%）" in page and "频次依据" in page


def test_the_command_imports_the_items(world, tmp_path):
    power = make_power(world.harbin, code="230100-JC")
    path = tmp_path / "items.xlsx"
    path.write_bytes(xlsx_file(FIELDS, [item_row(power)]).getvalue())
    call_command("inspection_items", "import", str(path), "--agency", world.harbin.code)
    assert InspectionItem.objects.get().frequencies.count() == 2
