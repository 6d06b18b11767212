"""Decisions made in other systems: imported from 双公示 files in the current and the older layout (all or nothing,
every problem by line and column), and licences entered by hand; each becomes a draft due by the working-day rule."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from sanxiang.ledger.models import Entry
from sanxiang.publicity import layouts, services
from sanxiang.publicity.models import CreditClass, Publication
from sanxiang.testing.cases import DECIDED, at
from sanxiang.testing.opendata import (
    ADULT,
    COMPANY,
    MINOR,
    NEW_FIFTH,
    UNKNOWN_AGENCY,
    USCC,
    csv_file,
    imported,
    licence_fields,
    old_penalty_row,
    penalty_row,
    person_row,
)
from sanxiang.testing.publicity import publish


def rejected(world, rows, **options) -> set[tuple[int, str]]:
    with pytest.raises(services.ImportRejected) as error:
        imported(world, rows, **options)
    assert Publication.objects.count() == 0 and not Entry.objects.filter(action="publication.import").exists()
    return {(row.line, row.column) for row in error.value.rows}


def test_a_current_layout_file_becomes_draft_publications_due_in_seven_working_days(world):
    assert imported(world, [penalty_row(world), person_row(world)]) == 2
    company, person = Publication.objects.order_by("number")
    assert company.source == Publication.Source.IMPORT and company.status == Publication.Status.DRAFT
    assert company.decided_on == DECIDED and company.due_on == dt.date(2026, 10, 21)
    assert company.credit_class == CreditClass.GENERAL and company.title == "行政处罚决定书"
    assert company.summary["罚款金额（万元）"] == "15.000000" and person.summary["罚款金额（万元）"] == "0.500000"
    assert company.summary["处罚有效期"] == "2027-10-12" and set(company.summary) == set(layouts.PENALTY.fields)
    version = person.versions.get()
    assert f"证件号码：{ADULT}" in version.original and "证件类型：身份证" in version.original
    assert ADULT not in version.public_text and person.summary["证件号码"] == ""
    entries = Entry.objects.filter(action="publication.import")
    assert sorted(entries.values_list("subject_id", flat=True)) == sorted([str(company.pk), str(person.pk)])


def test_an_imported_record_is_masked_confirmed_and_published_like_any_other(world):
    imported(world, [person_row(world)])
    publication = Publication.objects.get()
    with at(DECIDED):
        publish(world, publication)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED and publication.display_until == dt.date(2027, 10, 12)
    assert ADULT not in publication.versions.get().public_text


def test_the_old_layouts_fifth_code_is_the_id_number_and_never_lands_in_the_new_fifth_code(world):
    fields = [column.name for column in layouts.OLD_PENALTY.columns]
    header = [name.replace("(居民身份证号)", " （居民身份证号）") for name in fields]  # as legacy files spell it
    source = csv_file(fields, [old_penalty_row(world)], header=header)
    with at(DECIDED):
        services.publications_import(actor=world.people.clerk, kind="penalty", source=source, file_format="csv")
    publication = Publication.objects.get()
    summary, version = publication.summary, publication.versions.get()
    assert summary[NEW_FIFTH] == "" and f"{NEW_FIFTH}：" not in version.original
    assert summary["行政相对人类别"] == "自然人" and summary["证件类型"] == "身份证"
    assert f"证件号码：{ADULT}" in version.original
    assert ADULT not in version.public_text and ADULT not in str(summary)
    assert summary["处罚类别"] == "罚款、没收违法所得" and summary["违法行为类型"] == "王建军露天焚烧废旧轮胎案"
    assert summary["处罚决定日期"] == "2026-10-12" and summary["处罚机关统一社会信用代码"] == world.harbin.uscc
    assert publication.due_on == dt.date(2026, 10, 21)


def test_the_old_licence_layout_is_read_from_xlsx_and_runs_from_its_decision(world):
    fields = [column.name for column in layouts.OLD_LICENCE.columns]
    row = {
        "行政许可决定书文号": "哈环审〔2026〕55号",
        "项目名称": "示例热力有限公司锅炉改造项目环境影响报告表的批复",
        "审批类别": "普通",
        "许可内容": "同意项目建设",
        "行政相对人名称": "哈尔滨市松北区示例热力有限公司",
        "行政相对人代码_1(统一社会信用代码)": COMPANY,
        "法定代表人姓名": "孙建业",
        "许可决定日期": dt.datetime(2026, 10, 12),
        "许可截止期": "2099/12/31",
        "许可机关": world.harbin.name,
    }
    imported(world, [row], fields=fields, kind="licence", file_format="xlsx")
    publication = Publication.objects.get()
    assert publication.kind == "licence" and publication.title.endswith("的批复")
    assert publication.summary["有效期自"] == publication.summary["许可决定日期"] == "2026-10-12"
    assert publication.summary["有效期至"] == "2099-12-31" and publication.due_on == dt.date(2026, 10, 21)


def test_a_bad_credit_code_an_unknown_agency_and_a_missing_field_are_reported_by_line_and_column(world):
    bad_code = COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1")
    rows = [
        penalty_row(world),
        penalty_row(world, **{USCC: bad_code, "行政处罚决定书文号": "哈环罚〔2026〕103号"}),
        penalty_row(
            world,
            **{
                "处罚机关统一社会信用代码": UNKNOWN_AGENCY,
                "处罚机关": "某某市生态环境局",
                "行政处罚决定书文号": "哈环罚〔2026〕104号",
            },
        ),
        penalty_row(
            world, **{"处罚依据": "", "处罚决定日期": "2026.10.12", "行政处罚决定书文号": "哈环罚〔2026〕105号"}
        ),
        person_row(world, 证件号码=ADULT[:-1] + ("1" if ADULT[-1] != "1" else "2")),
    ]
    assert rejected(world, rows) == {
        (3, USCC),
        (4, "处罚机关统一社会信用代码"),
        (5, "处罚依据"),
        (5, "处罚决定日期"),
        (6, "证件号码"),
    }


def test_a_fine_needs_its_amount_and_a_company_its_credit_code(world):
    rows = [
        penalty_row(world, **{"罚款金额（万元）": ""}),
        penalty_row(world, **{USCC: "", "行政处罚决定书文号": "2"}),
        penalty_row(world, **{"罚款金额（万元）": "-1", "行政处罚决定书文号": "3"}),
        penalty_row(world, **{"罚款金额（万元）": "1e30", "行政处罚决定书文号": "4"}),
    ]
    assert rejected(world, rows) == {
        (2, "罚款金额（万元）"),
        (3, USCC),
        (4, "罚款金额（万元）"),
        (5, "罚款金额（万元）"),
    }


def test_a_decision_number_already_held_or_repeated_in_the_file_is_refused(world):
    imported(world, [penalty_row(world)])
    with pytest.raises(services.ImportRejected) as error:
        imported(world, [person_row(world), penalty_row(world)])
    assert [(row.line, row.column) for row in error.value.rows] == [(3, "行政处罚决定书文号")]
    with pytest.raises(services.ImportRejected) as error:
        imported(world, [person_row(world), person_row(world)])
    assert [str(row) for row in error.value.rows] == [
        "第 3 行 第 14 列（行政处罚决定书文号）：与第2行的决定书文号重复。"
    ]
    assert Publication.objects.count() == 1


def test_only_clerks_import_and_only_for_the_agencies_they_act_for(world):
    outside = penalty_row(world, 处罚机关=world.qiqihar.name, 处罚机关统一社会信用代码=world.qiqihar.uscc)
    assert rejected(world, [outside]) == {(2, "处罚机关统一社会信用代码")}
    with pytest.raises(PermissionDenied):
        imported(world, [penalty_row(world)], actor=world.people.officer)
    assert (
        imported(world, [penalty_row(world, 处罚机关=world.daoli.name, 处罚机关统一社会信用代码=world.daoli.uscc)]) == 1
    )
    assert Publication.objects.get().agency == world.daoli  # a county branch below the city bureau


def test_a_header_with_a_bare_fifth_code_or_a_missing_column_is_refused(world):
    fields = [*layouts.PENALTY.fields, "行政相对人代码_5"]
    fields.remove("处罚依据")
    assert rejected(world, [penalty_row(world)], fields=fields) == {(1, "行政相对人代码_5"), (1, "处罚依据")}


def test_an_imported_minor_is_withheld_from_the_internet(world):
    imported(world, [person_row(world, 证件号码=MINOR)])
    publication = Publication.objects.get()
    assert publication.status == Publication.Status.WITHHELD and "未成年人" in publication.withheld_reason


def test_a_licence_entered_by_hand_is_due_in_seven_working_days_under_its_agency(world):
    with at(DECIDED):
        publication = services.publication_enter(actor=world.people.clerk, agency=world.harbin, fields=licence_fields())
    assert publication.source == Publication.Source.MANUAL and publication.due_on == dt.date(2026, 10, 21)
    assert publication.number == "哈环审〔2026〕56号"  # no document number: the licence number stands in
    assert publication.summary["许可机关"] == publication.summary["数据来源单位"] == world.harbin.name
    assert publication.summary["许可机关统一社会信用代码"] == world.harbin.uscc
    assert Entry.objects.filter(action="publication.enter", subject_id=str(publication.pk)).exists()
    with at(DECIDED):
        with pytest.raises(ValidationError) as error:
            services.publication_enter(
                actor=world.people.clerk,
                agency=world.harbin,
                fields=licence_fields(**{USCC: "91230100MA0000000", "许可类别": "特别"}),
            )
        with pytest.raises(PermissionDenied):
            services.publication_enter(actor=world.people.officer, agency=world.harbin, fields=licence_fields())
    assert set(error.value.message_dict) == {USCC, "许可类别"}
    assert Publication.objects.count() == 1


def test_the_command_prints_each_problem_and_exits_with_one(world, tmp_path, capsys):
    path = tmp_path / "records.csv"
    path.write_bytes(csv_file(layouts.PENALTY.fields, [penalty_row(world, 处罚依据="")]).getvalue())
    with at(DECIDED), pytest.raises(SystemExit) as exit_code:
        call_command("publicity", "import", "--kind", "penalty", "--user", "clerk", str(path))
    assert exit_code.value.code == 1 and "第 2 行 第 17 列（处罚依据）：必填项不能为空。" in capsys.readouterr().err
    path.write_bytes(csv_file(layouts.PENALTY.fields, [penalty_row(world)]).getvalue())
    with at(DECIDED):
        call_command("publicity", "import", "--kind", "penalty", "--user", "clerk", str(path))
    assert "已导入 / imported: 1" in capsys.readouterr().out
    assert Publication.objects.count() == 1


def upload(rows, name="records.csv", fields=layouts.PENALTY.fields):
    source = csv_file(fields, rows)
    source.name = name
    return source


def test_the_import_api_needs_a_clerk_and_answers_each_problem_in_error_fields(client, world):
    url = "/api/v1/publicity/import"
    assert client.post(url, {"kind": "penalty", "file": upload([penalty_row(world)])}).status_code in (401, 403)
    client.force_login(world.people.officer)
    assert client.post(url, {"kind": "penalty", "file": upload([penalty_row(world)])}).status_code == 403
    client.force_login(world.people.clerk)
    with at(DECIDED):
        response = client.post(url, {"kind": "penalty", "file": upload([penalty_row(world, 处罚依据="")])})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "import_rejected" and error["fields"] == {"2:处罚依据": ["必填项不能为空。"]}
        assert client.post(url, {"kind": "penalty", "file": upload([], name="records.txt")}).status_code == 400
        response = client.post(url, {"kind": "penalty", "file": upload([penalty_row(world)])})
    assert response.status_code == 201 and response.json() == {"kind": "penalty", "created": 1}


def test_the_import_page_lists_every_problem_and_saves_nothing(client, world):
    client.force_login(world.people.clerk)
    with at(DECIDED):
        page = client.post(
            "/workbench/opendata/import",
            {
                "kind": "penalty",
                "file": upload([penalty_row(world), penalty_row(world, 处罚依据="", 行政处罚决定书文号="2")]),
            },
        ).content.decode()
        assert "1 处错误，未导入任何记录" in page and "处罚依据" in page and Publication.objects.count() == 0
        response = client.post("/workbench/opendata/import", {"kind": "penalty", "file": upload([penalty_row(world)])})
    assert response.status_code == 302 and Publication.objects.count() == 1
    client.force_login(world.people.officer)
    assert client.get("/workbench/opendata/import").status_code == 403


def test_the_licence_entry_page_creates_the_draft_and_shows_field_errors(client, world):
    client.force_login(world.people.clerk)
    data = {key: str(value) for key, value in licence_fields().items()} | {
        "agency": world.harbin.pk,
        "当前状态": "有效",
    }
    with at(DECIDED):
        page = client.post("/workbench/opendata/licences/new", data | {USCC: "123"}).content.decode()
        assert "统一社会信用代码应为 18 位" in page and Publication.objects.count() == 0
        response = client.post("/workbench/opendata/licences/new", data)
    publication = Publication.objects.get()
    assert response.status_code == 302 and response.url == f"/workbench/publicity/{publication.pk}/"


def test_a_passport_number_the_detector_cannot_recognise_is_masked_as_the_partys_own(world):
    imported(world, [person_row(world, 证件类型="护照号", 证件号码="E12345678")])
    version = Publication.objects.get().versions.get()
    assert "证件号码：E12345678" in version.original and "E12345678" not in version.public_text


def test_a_number_saved_by_someone_else_at_the_same_moment_is_refused_not_a_crash(world, monkeypatch):
    from sanxiang.publicity.services import imports

    with at(DECIDED):
        services.publication_enter(actor=world.people.clerk, agency=world.harbin, fields=licence_fields())
        monkeypatch.setattr(imports, "_duplicate", lambda *args: [])  # both passed the check before either saved
        with pytest.raises(ValidationError, match="刚刚由他人保存"):
            services.publication_enter(actor=world.people.head, agency=world.harbin, fields=licence_fields())
    assert Publication.objects.count() == 1
