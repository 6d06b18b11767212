"""Importing an agency's catalogue from CSV or XLSX: all or nothing, every problem by line and column in Chinese,
a code the agency has updating that power, each change its own public entry — from the page, the API and the
command line."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.core.tables import ImportRejected
from sanxiang.ledger.models import Entry
from sanxiang.powers import services
from sanxiang.powers.models import Power
from sanxiang.testing.catalogues import power_row
from sanxiang.testing.opendata import csv_file, xlsx_file

FIELDS = list(power_row())


def _import(world, rows, *, file_format="csv", fields=FIELDS, actor=None):
    source = csv_file(fields, rows) if file_format == "csv" else xlsx_file(fields, rows)
    return services.powers_import(
        actor=actor or world.people.admin, agency=world.harbin, source=source, file_format=file_format
    )


def _refused(world, rows, **options) -> list[str]:
    with pytest.raises(ImportRejected) as error:
        _import(world, rows, **options)
    return [str(row) for row in error.value.rows]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_catalogue_is_imported_from_csv_or_xlsx_each_power_with_its_public_entry(world, file_format):
    rows = [power_row(), power_row(事项编码="230100-XK-001", 事项类型="许可", 事项名称="排污许可证核发")]
    result = _import(world, rows, file_format=file_format)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert sorted(Power.objects.values_list("kind", flat=True)) == ["licensing", "penalty"]
    assert Entry.objects.filter(action="power.create", public=True).count() == 2


def test_importing_again_updates_what_changed_and_leaves_the_rest(world):
    _import(world, [power_row(), power_row(事项编码="230100-CF-002", 事项名称="对未批先建的处罚")])
    result = _import(
        world, [power_row(承办机构="大气环境处"), power_row(事项编码="230100-CF-002", 事项名称="对未批先建的处罚")]
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Power.objects.get(code="230100-CF-001").unit == "大气环境处"
    assert Entry.objects.filter(action="power.update").count() == 1


def test_every_problem_is_named_by_line_and_column_and_nothing_is_written(world):
    rows = [
        power_row(),
        power_row(事项编码="230100-CF-002", 事项类型="行政奖励"),
        power_row(),
        power_row(事项编码="230100-CF-009", 设定和实施依据="依法"),
        power_row(事项编码="230100-CF-010", 公布日期="明年"),
    ]
    assert _refused(world, rows) == [
        "第 3 行 第 2 列（事项类型）：应为行政处罚、行政强制、行政检查或行政许可。",
        "第 4 行 第 1 列（事项编码）：与第 2 行的事项编码重复。",
        "第 5 行 第 4 列（设定和实施依据）：请写明依据：用《》写出法律、法规或规章的名称及条款，如《中华人民共和国大气污染防治法》第九十九条。",
        "第 6 行 第 6 列（公布日期）：日期“明年”无法识别，应写作 2026-01-05、2026/01/05 或 20260105。",
    ]
    assert not Power.objects.exists() and not Entry.objects.filter(action__startswith="power.").exists()


def test_a_file_without_a_required_column_or_with_nothing_in_it_is_refused(world):
    fields = [field for field in FIELDS if field != "设定和实施依据"]
    assert _refused(world, [power_row()], fields=fields) == ["第 1 行（设定和实施依据）：缺少必填的列。"]
    assert _refused(world, [], fields=FIELDS) == ["文件中只有表头，没有数据行。"]
    assert not Power.objects.exists()


def test_a_formula_in_a_cell_is_kept_as_text_never_run(world):
    _import(world, [power_row(事项名称="=CMD()")], file_format="xlsx")
    assert Power.objects.get().name == "=CMD()"


def test_only_keepers_import(world):
    with pytest.raises(PermissionDenied):
        _import(world, [power_row()], actor=world.people.officer)
    assert not Power.objects.exists()


def test_the_import_page_lists_every_problem_and_saves_nothing(client, world):
    client.force_login(world.people.admin)
    upload = csv_file(FIELDS, [power_row(事项类型="奖励")])
    upload.name = "权责清单.csv"
    response = client.post(reverse("powers:import"), {"agency": world.harbin.pk, "file": upload})
    problems = [(row.line, row.position, row.column) for row in response.context["problems"]]
    assert (
        response.status_code == 400
        and problems == [(2, 2, "事项类型")]
        and "未导入任何内容" in response.content.decode()
    )
    upload = csv_file(FIELDS, [power_row()])
    upload.name = "权责清单.csv"
    response = client.post(reverse("powers:import"), {"agency": world.harbin.pk, "file": upload})
    assert response.status_code == 302 and Power.objects.count() == 1


def test_the_api_import_answers_json_errors_keyed_by_line_and_column(world):
    api = APIClient()
    api.force_authenticate(world.people.admin)
    upload = csv_file(FIELDS, [power_row(事项类型="奖励")])
    upload.name = "catalogue.csv"
    response = api.post("/api/v1/powers/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "import_rejected" and "2:事项类型" in error["fields"]
    upload = csv_file(FIELDS, [power_row()])
    upload.name = "catalogue.txt"
    response = api.post("/api/v1/powers/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    assert response.status_code == 400 and "CSV 或 XLSX" in response.json()["error"]["message"]
    upload = xlsx_file(FIELDS, [power_row()])
    upload.name = "catalogue.xlsx"
    response = api.post("/api/v1/powers/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    assert response.status_code == 201 and response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    api.force_authenticate(world.people.officer)
    upload.seek(0)
    response = api.post("/api/v1/powers/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    assert response.status_code == 403


def test_the_command_imports_or_prints_each_problem_and_exits_with_one(world, tmp_path, capsys):
    path = tmp_path / "powers.csv"
    path.write_bytes(csv_file(FIELDS, [power_row(事项类型="奖励")]).getvalue())
    with pytest.raises(SystemExit) as exit_code:
        call_command("powers", "import", str(path), "--agency", world.harbin.code)
    assert exit_code.value.code == 1 and "第 2 行 第 2 列（事项类型）" in capsys.readouterr().err
    path.write_bytes(csv_file(FIELDS, [power_row()]).getvalue())
    call_command("powers", "import", str(path), "--agency", world.harbin.code)
    assert Power.objects.get().agency == world.harbin
    assert Entry.objects.get(action="power.create").actor == "cli"
