"""Open data: published 行政处罚 and 行政许可 records in the current 双公示 layout, field for field, as CSV, XLSX and
JSON from the command line, the API and the portal; streamed, naming their filters, never holding an ID number."""

import csv
import datetime as dt
import io
import json
import types

import openpyxl
import pytest
from django.core.management import call_command

from sanxiang.publicity import layouts, opendata, services
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at
from sanxiang.testing.opendata import ADULT, imported, penalty_row, person_row
from sanxiang.testing.publicity import publish, published

CORRECTED = dt.date(2026, 10, 20)


@pytest.fixture
def records(world):
    """A decision made here and an imported one, published; beside them an imported draft, a withheld, a withdrawn
    and an expired record, none of which is open data."""
    made = published(world)
    imported(
        world,
        [
            person_row(world),
            penalty_row(world, 行政处罚决定书文号="草稿1号"),
            penalty_row(world, 行政处罚决定书文号="不公开2号"),
            penalty_row(world, 行政处罚决定书文号="撤回3号"),
            penalty_row(world, 行政处罚决定书文号="期满4号", 处罚决定日期="2025-01-06", 处罚有效期="2026-01-06"),
        ],
    )
    by_number = {publication.number: publication for publication in Publication.objects.filter(source="import")}
    clerk = world.people.clerk
    with at(DECIDED):
        for number in ("哈环罚〔2026〕102号", "撤回3号", "期满4号"):
            publish(world, by_number[number])
        services.publication_withhold(actor=clerk, publication=by_number["不公开2号"], reason="涉及商业秘密")
        services.publication_withdraw(
            actor=clerk, publication=by_number["撤回3号"], reason="复议撤销", changed_on=DECIDED
        )
        assert services.publications_expire(today=DECIDED) == 1
    return made, by_number["哈环罚〔2026〕102号"]


def exported_csv(**filters) -> list[list[str]]:
    text = "".join(opendata.csv_chunks(opendata.Filters(**filters)))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_header_is_the_current_layout_and_only_published_records_follow(records):
    made, person = records
    header, *rows = exported_csv(kind="penalty")
    assert header == layouts.PENALTY.fields
    records_by_number = {row[header.index("行政处罚决定书文号")]: dict(zip(header, row)) for row in rows}
    assert set(records_by_number) == {made.number, person.number}
    row = records_by_number[made.number]
    assert row["罚款金额（万元）"] == "15.000000" and row["处罚机关"] == made.agency.name
    assert row["公示截止期"] == row["处罚有效期"] == "2027-10-12"  # a decision made here: its credit display period
    imported_row = records_by_number[person.number]
    assert imported_row["处罚有效期"] == "2027-10-12" and imported_row["罚款金额（万元）"] == "0.500000"
    assert (
        imported_row["证件类型"] == "身份证"
        and imported_row["证件号码"] == ""
        and imported_row["法定代表人证件号码"] == ""
    )


def test_no_id_number_appears_in_any_format(records, client):
    for file_format in ("csv", "json"):
        body = b"".join(client.get("/opendata/download", {"kind": "penalty", "format": file_format}).streaming_content)
        assert ADULT.encode() not in body and "王建军".encode() in body
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get("/opendata/download", {"kind": "penalty", "format": "xlsx"}).streaming_content))
    )
    assert ADULT not in str([list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)])


def test_since_keeps_the_records_whose_latest_public_version_is_that_recent(records, world):
    made, person = records
    with at(CORRECTED):
        services.publication_correct(
            actor=world.people.clerk,
            publication=made,
            original="更正后的决定书全文",
            reason="更正文字错误",
            summary={"处罚内容": "罚款人民币壹拾伍万元整"},
        )
        # Until the correction is confirmed and published, open data keeps the published values.
        header, *rows = exported_csv(kind="penalty", since=CORRECTED)
        assert rows == []
        publish(world, made)
    header, *rows = exported_csv(kind="penalty", since=CORRECTED)
    assert [row[header.index("行政处罚决定书文号")] for row in rows] == [made.number]
    assert rows[0][header.index("处罚内容")] == "罚款人民币壹拾伍万元整"
    assert len(exported_csv(kind="penalty", since=DECIDED)) == 3


def test_json_names_its_filters_and_keys_records_by_field(records):
    text = "".join(
        opendata.json_chunks(
            opendata.Filters(kind="penalty", since=DECIDED), generated_at=dt.datetime(2026, 10, 13, tzinfo=dt.UTC)
        )
    )
    document = json.loads(text)
    assert document["filters"] | {"generated_at": None} == {
        "kind": "penalty",
        "kind_name": "行政处罚",
        "status": "published",
        "since": "2026-10-12",
        "generated_at": None,
        "layout": "行政处罚",
        "layout_source": layouts.CURRENT_SOURCE,
    }
    assert document["fields"] == layouts.PENALTY.fields
    assert [list(record) for record in document["records"]] == [layouts.PENALTY.fields] * 2


def test_the_xlsx_has_the_layout_on_its_first_sheet_and_the_filters_on_a_second(records):
    with opendata.xlsx_file(
        opendata.Filters(kind="penalty", since=DECIDED), generated_at=dt.datetime(2026, 10, 13, tzinfo=dt.UTC)
    ) as source:
        workbook = openpyxl.load_workbook(source, read_only=True)
        assert workbook.sheetnames == ["行政处罚", "说明"]
        header, *rows = workbook["行政处罚"].iter_rows(values_only=True)
        notes = dict(workbook["说明"].iter_rows(values_only=True))
    assert list(header) == layouts.PENALTY.fields and len(rows) == 2
    assert notes["类别"] == "行政处罚" and notes["最新公开版本的公示日期不早于"] == "2026-10-12"
    assert notes["数据格式来源"] == layouts.CURRENT_SOURCE


def test_a_licence_export_follows_the_licence_layout(world):
    from sanxiang.testing.opendata import licence_fields

    with at(DECIDED):
        publication = services.publication_enter(
            actor=world.people.clerk, agency=world.harbin, fields=licence_fields(备注='=HYPERLINK("x")')
        )
        publish(world, publication)
    header, row = exported_csv(kind="licence")
    assert header == layouts.LICENCE.fields
    values = dict(zip(header, row))
    assert values["行政许可决定文书号"] == "哈环审〔2026〕56号" and values["有效期至"] == "2031-10-11"
    assert values["备注"] == '\'=HYPERLINK("x")'  # not a formula when Excel opens it
    assert exported_csv(kind="penalty") == [layouts.PENALTY.fields]


def test_the_csv_exporter_is_a_generator_not_a_list(records):
    chunks = opendata.csv_chunks(opendata.Filters(kind="penalty"))
    assert isinstance(chunks, types.GeneratorType)
    assert next(chunks).startswith("\ufeff行政相对人名称,")


def test_the_command_writes_to_standard_output_or_a_file_and_names_its_filters_on_standard_error(records, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "publicity", "export", "--kind", "penalty", "--format", "csv", "--since", "2026-10-12", stdout=out, stderr=err
    )
    header, *rows = csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff")))
    assert header == layouts.PENALTY.fields and len(rows) == 2
    assert "kind=penalty; status=published; since=2026-10-12" in err.getvalue()
    target = tmp_path / "penalty.json"
    call_command("publicity", "export", "--kind", "penalty", "--format", "json", "--output", str(target), stderr=err)
    assert len(json.loads(target.read_text(encoding="utf-8"))["records"]) == 2
    target = tmp_path / "penalty.xlsx"
    call_command("publicity", "export", "--kind", "penalty", "--format", "xlsx", "--output", str(target), stderr=err)
    assert openpyxl.load_workbook(target).sheetnames == ["行政处罚", "说明"]


def test_the_export_api_is_public_streams_and_refuses_a_bad_query(records, client):
    response = client.get("/api/v1/publicity/export", {"kind": "penalty", "format": "json", "since": "2026-10-12"})
    assert response.status_code == 200 and response.streaming
    assert response["X-Sanxiang-Filters"] == "kind=penalty; status=published; since=2026-10-12"
    assert 'filename="publicity-penalty-published-since-2026-10-12.json"' in response["Content-Disposition"]
    assert len(json.loads(b"".join(response.streaming_content))["records"]) == 2
    response = client.get("/api/v1/publicity/export", {"kind": "coercive", "format": "csv"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error" and "kind" in response.json()["error"]["fields"]


def test_the_portal_lists_the_downloads_and_names_the_filters_in_the_file_name(records, client):
    page = client.get("/opendata/").content.decode()
    assert page.count("/opendata/download?kind=") == 6 and "行政相对人代码_5(事业单位证书号)" in page
    response = client.get("/opendata/download", {"kind": "penalty", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == opendata.CONTENT_TYPES["xlsx"]
    assert 'filename="publicity-penalty-published-all.xlsx"' in response["Content-Disposition"]
    response = client.get("/opendata/download", {"kind": "penalty", "format": "csv", "since": "2026-10-12"})
    assert 'filename="publicity-penalty-published-since-2026-10-12.csv"' in response["Content-Disposition"]
    assert client.get("/opendata/download", {"kind": "penalty", "format": "pdf"}).status_code == 400
