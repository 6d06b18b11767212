"""The regulated-entity directory (监管对象名录库): searched by name or code, area, tier and industry; imported from
CSV or XLSX all or nothing, an enterprise already listed updated as a correction naming each field; kept by the
agency's officers and heads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sanxiang.cases import services
from sanxiang.cases.models import Party
from sanxiang.cases.services.directory import COLUMNS
from sanxiang.core.tables import ImportRejected
from sanxiang.demo.codes import demo_uscc
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.testing.cases import make_party
from sanxiang.testing.opendata import csv_file, xlsx_file

FIELDS = [column.name for column in COLUMNS]
FIRST, SECOND = demo_uscc("91", "230102", 7001), demo_uscc("91", "230103", 7002)


def row(**overrides) -> dict:
    return {
        "名称": "哈尔滨市道里区示例热力有限公司",
        "统一社会信用代码": FIRST,
        "类别": "法人",
        "地址": "哈尔滨市道里区新阳路 1 号",
        "区划代码": "230102",
        "行业": "电力、热力生产和供应业",
        "排污许可证编号": FIRST + "001P",
        "分级分类": "重点监管",
        "重点排污单位": "是",
        "法定代表人": "赵某",
        "联系电话": "0451-80000000",
    } | overrides


def _import(world, rows, *, file_format="csv", fields=FIELDS, actor=None, agency=None):
    source = csv_file(fields, rows) if file_format == "csv" else xlsx_file(fields, rows)
    return services.parties_import(
        actor=actor or world.people.officer, agency=agency or world.harbin, source=source, file_format=file_format
    )


def _refused(world, rows, **options) -> list[str]:
    before = (Party.objects.count(), Entry.objects.filter(action__startswith="party.").count())
    with pytest.raises(ImportRejected) as error:
        _import(world, rows, **options)
    assert (Party.objects.count(), Entry.objects.filter(action__startswith="party.").count()) == before
    return [str(problem) for problem in error.value.rows]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_enterprises_are_imported_with_area_permit_and_tier_each_with_its_entry(world, file_format):
    second = row(
        名称="哈尔滨市南岗区示例印刷厂",
        统一社会信用代码=SECOND,
        区划代码="230103",
        分级分类="正面清单",
        重点排污单位="否",
    )
    result = _import(world, [row(), second], file_format=file_format)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    party = Party.objects.get(uscc=FIRST)
    assert (party.division, party.tier, party.key_polluter, party.agency) == ("230102", "key", True, world.harbin)
    assert party.permit_number == FIRST + "001P" and Party.objects.get(uscc=SECOND).tier == "positive"
    entries = Entry.objects.filter(action="party.create")
    assert sorted(entries.values_list("subject_id", flat=True)) == sorted(str(p.pk) for p in Party.objects.all())
    assert all(not entry.public and "赵某" not in entry_json(entry)["data"].__repr__() for entry in entries)


def test_an_enterprise_already_listed_is_updated_as_a_correction_naming_each_field(world):
    party = make_party(world.harbin, uscc=FIRST, name="哈尔滨市道里区示例热力有限公司", address="旧址")
    result = _import(world, [row(), row(统一社会信用代码=SECOND, 名称="新公司")])
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    data = entry_json(Entry.objects.get(action="party.correct", subject_id=str(party.pk)))["data"]
    assert data["reason"] == "导入监管对象名录"
    assert {"tier", "division", "permit_number", "key_polluter", "address"} <= set(data["corrected"])
    assert (data["tier"], data["previous_tier"]) == ("key", "general") and data["division"] == "230102"
    assert "address" not in data and "旧址" not in str(data)  # personal data: named, never written
    again = _import(world, [row()])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_only_the_columns_the_file_has_are_changed(world):
    party = make_party(world.harbin, uscc=FIRST, industry="印刷业", address="哈尔滨市某路 1 号")
    _import(
        world,
        [{"统一社会信用代码": FIRST, "名称": party.name, "分级分类": "正面清单"}],
        fields=["名称", "统一社会信用代码", "分级分类"],
    )
    party.refresh_from_db()
    assert (party.tier, party.industry, party.address) == ("positive", "印刷业", "哈尔滨市某路 1 号")


def test_every_problem_is_named_by_line_and_column_and_nothing_is_written(world):
    rows = [
        row(),
        row(统一社会信用代码="91230102MA00000000"),
        row(统一社会信用代码=SECOND, 分级分类="特级"),
        row(),
        row(统一社会信用代码=demo_uscc("91", "230104", 7003), 类别="自然人"),
        row(统一社会信用代码=demo_uscc("91", "230104", 7004), 重点排污单位="也许", 区划代码="2301"),
        row(统一社会信用代码=""),
    ]
    problems = _refused(world, rows)
    assert problems[0].startswith("第 3 行 第 2 列（统一社会信用代码）：")
    assert problems[1:] == [
        "第 4 行 第 8 列（分级分类）：应为重点监管、一般监管或正面清单。",
        "第 5 行 第 2 列（统一社会信用代码）：与第 2 行的统一社会信用代码重复。",
        "第 6 行 第 3 列（类别）：应为法人、其他组织或个体工商户（名录不收录自然人）。",
        "第 7 行 第 9 列（重点排污单位）：应填“是”或“否”。",
        "第 8 行 第 2 列（统一社会信用代码）：必填项不能为空。",
    ]
    assert not Party.objects.exists()


def test_a_bad_area_code_is_refused_where_the_rest_of_the_row_is_readable(world):
    assert _refused(world, [row(区划代码="2301")]) == [
        "第 2 行 第 5 列（区划代码）：行政区划代码为 6 位数字，例如 230102。"
    ]


def test_a_code_the_directory_holds_twice_is_refused_rather_than_guessed(world):
    make_party(world.harbin, uscc=FIRST)
    make_party(world.harbin, uscc=FIRST)
    assert "无法确定更新哪一个" in _refused(world, [row()])[0]


def test_a_missing_code_column_or_an_empty_file_is_refused(world):
    fields = [field for field in FIELDS if field != "统一社会信用代码"]
    assert _refused(world, [row()], fields=fields) == ["第 1 行（统一社会信用代码）：缺少必填的列。"]
    assert _refused(world, [], fields=FIELDS) == ["文件中只有表头，没有数据行。"]


def test_a_formula_typed_into_a_name_stays_text(world):
    _import(world, [row(名称="=CMD()")], file_format="xlsx")
    assert Party.objects.get().name == "=CMD()"


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("officer", True), ("head", True), ("clerk", False), ("reviewer", False), ("admin", False), ("outsider", False)],
)
def test_only_the_agencys_officers_and_heads_import_and_register(world, persona, allowed):
    actor = getattr(world.people, persona)
    if allowed:
        _import(world, [row()], actor=actor)
        services.party_create(
            actor=actor, agency=world.harbin, kind="legal_person", name="甲", uscc=SECOND, address="某地"
        )
    else:
        with pytest.raises(PermissionDenied):
            _import(world, [row()], actor=actor)
        with pytest.raises(PermissionDenied):
            services.party_create(
                actor=actor, agency=world.harbin, kind="legal_person", name="甲", uscc=SECOND, address="某地"
            )
    assert Party.objects.count() == (2 if allowed else 0)


def test_the_directory_is_searched_by_area_tier_industry_and_name(client, world):
    make_party(world.harbin, name="道里重点热电", division="230102", tier="key", industry="电力、热力生产和供应业")
    make_party(world.harbin, name="南岗一般印刷", division="230103", industry="印刷和记录媒介复制业")
    make_party(world.qiqihar, name="齐齐哈尔铸钢", division="230203", tier="key")
    client.force_login(world.people.officer)

    def names(**query):
        page = client.get(reverse("cases:party-list"), query).context["page"]
        return sorted(party.name for party in page)

    assert names() == ["南岗一般印刷", "道里重点热电"]
    assert names(division="2301") == ["南岗一般印刷", "道里重点热电"] and names(division="230103") == ["南岗一般印刷"]
    assert names(tier="key") == ["道里重点热电"] and names(industry="印刷") == ["南岗一般印刷"]
    assert names(q="热电") == ["道里重点热电"]
    client.force_login(world.people.province_admin)
    assert names(tier="key") == ["道里重点热电", "齐齐哈尔铸钢"]


@pytest.mark.parametrize("persona", ["officer", "head", "clerk", "reviewer", "admin"])
def test_import_and_registration_are_offered_only_to_those_who_keep_the_directory(client, world, persona):
    client.force_login(getattr(world.people, persona))
    listed = client.get(reverse("cases:party-list")).content.decode()
    keeps = persona in ("officer", "head")
    assert (reverse("cases:party-import") in listed) is keeps and (reverse("cases:party-create") in listed) is keeps
    assert client.get(reverse("cases:party-import")).status_code == (200 if keeps else 403)
    assert client.get(reverse("cases:party-create")).status_code == (200 if keeps else 403)


def test_a_party_page_shows_the_directory_fields_and_its_history_to_whom_may_see_it(client, world):
    party = make_party(world.harbin, division="230102", permit_number="91230102MA0000001X001P", tier="key")
    services.party_correct(actor=world.people.officer, party=party, tier="general", reason="年度分级调整")
    client.force_login(world.people.reviewer)
    page = client.get(reverse("cases:party-detail", args=[party.pk])).content.decode()
    assert "230102" in page and "一般监管" in page and "91230102MA0000001X001P" in page
    history = client.get(reverse("audit:history", args=["cases.party", party.pk])).content.decode()
    assert "更正当事人信息" in history and "重点监管 → 一般监管" in history
    client.force_login(world.people.outsider)
    assert client.get(reverse("cases:party-detail", args=[party.pk])).status_code == 404
    assert client.get(reverse("audit:history", args=["cases.party", party.pk])).status_code == 404


def test_the_api_searches_reads_and_imports_the_directory(world):
    make_party(world.harbin, name="道里重点热电", tier="key")
    make_party(world.harbin, name="南岗一般印刷")
    api = APIClient()
    api.force_authenticate(world.people.officer)
    listed = api.get("/api/v1/parties/", {"tier": "key"}).json()["results"]
    assert [party["name"] for party in listed] == ["道里重点热电"] and listed[0]["tier"] == "key"
    assert api.get("/api/v1/parties/", {"tier": "gold"}).status_code == 400
    assert api.get(f"/api/v1/parties/{listed[0]['id']}/").json()["agency"] == world.harbin.code
    upload = csv_file(FIELDS, [row(分级分类="特级")])
    upload.name = "名录.csv"
    response = api.post("/api/v1/parties/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    assert response.status_code == 400 and "2:分级分类" in response.json()["error"]["fields"]
    upload = csv_file(FIELDS, [row()])
    upload.name = "名录.csv"
    response = api.post("/api/v1/parties/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    assert response.status_code == 201 and response.json()["created"] == 1
    api.force_authenticate(world.people.clerk)
    upload.seek(0)
    response = api.post("/api/v1/parties/import", {"agency": world.harbin.pk, "file": upload}, format="multipart")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
