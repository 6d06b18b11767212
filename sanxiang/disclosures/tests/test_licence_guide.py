"""事前公开 item 3, 行政许可办事指南: drawn each time from the agency's licence types in force (licensing), with each
type's basis, category, period, fee, materials and channel, and the public ledger entry of its last change."""

import datetime as dt

import pytest

from sanxiang.disclosures.selectors import auto_sections, licence_guide
from sanxiang.ledger.models import Entry
from sanxiang.licensing import services as licensing
from sanxiang.licensing.models import Category
from sanxiang.testing.cases import at
from sanxiang.testing.crawl import check_page
from sanxiang.testing.licensing import make_type

EIA = "《中华人民共和国环境影响评价法》第二十二条"
ART42 = "《中华人民共和国行政许可法》第四十二条"


def _report_approval(world):
    """An approval whose own law gives 60 days, promised in 30 working days, applied for at the window only."""
    admin = world.people.admin
    with at(dt.date(2026, 9, 1)):
        kind = licensing.licence_type_save(
            actor=admin,
            agency=world.harbin,
            code="HP-BGS",
            name="建设项目环境影响报告书审批",
            category=Category.APPROVAL,
            basis=EIA,
            conditions="项目符合生态环境分区管控要求。",
            decision_days=60,
            decision_unit="calendar_days",
            decision_citation=EIA,
            promised_days=30,
            fee="不收费",
            online=False,
            window="哈尔滨市政务服务中心三楼12号窗口",
        )
        licensing.licence_type_materials(
            actor=admin,
            licence_type=kind,
            materials=[
                {"code": "M1", "name": "建设项目环境影响报告书审批申请书"},
                {"code": "M2", "name": "建设项目环境影响报告书全本", "copies": "纸质1份、电子版1份"},
                {"code": "M3", "name": "公众参与说明", "required": False},
            ],
        )
    return kind


def test_item_three_publishes_the_guide_of_each_licence_type_in_force(client, world, django_assert_num_queries):
    report = _report_approval(world)
    with at(dt.date(2026, 9, 10)):
        licensing.licence_type_save(
            actor=world.people.admin,
            agency=world.harbin,
            code="PW-HF",
            name="排污许可证核发",
            category=Category.ORDINARY,
            basis="《排污许可管理条例》第十二条",
            decision_days=20,
            decision_citation=ART42,
            fee="不收费",
        )
        withdrawn = make_type(world.harbin, code="FS-BA", name="辐射安全许可证核发")
        licensing.licence_type_withdraw(actor=world.people.admin, licence_type=withdrawn, reason="职权已调整至省厅")
    make_type(world.qiqihar, code="QQ-1", name="齐齐哈尔市的许可事项")
    with django_assert_num_queries(3):
        rows = licence_guide(world.harbin)
    assert [row.licence_type.code for row in rows] == ["HP-BGS", "PW-HF"]
    assert [material.code for material in rows[0].licence_type.materials.all()] == ["M1", "M2", "M3"]
    last = Entry.objects.filter(subject_type="licensing.licencetype", subject_id=str(report.pk)).latest("index")
    assert last.action == "licence_type.materials" and rows[0].changed == last
    sections = auto_sections(world.harbin, today=dt.date(2026, 9, 10))
    assert [row.licence_type for row in sections["licence_guide"]] == [row.licence_type for row in rows]

    page = client.get("/disclosures/230100/").content.decode()
    guide = page[page.index('id="licence-guide"') : page.index('id="penalty-procedure"')]
    for words in (
        "建设项目环境影响报告书审批",
        "核准",
        "项目符合生态环境分区管控要求。",
        "法定 60日",
        "承诺 30个工作日",
        "不收费",
        "到窗口申请（本事项不受理网上申请）",
        "哈尔滨市政务服务中心三楼12号窗口",
        "建设项目环境影响报告书审批申请书（必须提交；原件1份）",
        "建设项目环境影响报告书全本（必须提交；纸质1份、电子版1份）",
        "公众参与说明（视情形提交；原件1份）",
        f"/ledger/entries/{last.index}",
        "排污许可证核发",
        "普通",
        "法定 20个工作日",
        "可网上申请，也可到窗口申请",
        "尚未公布申请材料目录",  # 排污许可证核发 has no list yet
    ):
        assert words in guide, words
    assert "评价法》第二十二条" in guide and "行政许可法》第四十二条" in guide
    assert "辐射安全许可证核发" not in page and "齐齐哈尔市的许可事项" not in page
    assert guide.count("承诺") == 1  # a type without a promise states none


def test_the_guide_follows_each_change_of_a_type_at_once(client, world):
    report = _report_approval(world)
    with at(dt.date(2026, 10, 8)):
        licensing.licence_type_save(
            actor=world.people.admin,
            agency=world.harbin,
            code="HP-BGS",
            licence_type=report,
            promised_days=20,
            online=True,
        )
    [row] = licence_guide(world.harbin)
    assert row.changed.action == "licence_type.update" and row.changed.time.date() == dt.date(2026, 10, 8)
    guide = client.get("/disclosures/230100/").content.decode()
    assert "承诺 20个工作日" in guide and "承诺 30个工作日" not in guide
    assert "可网上申请，也可到窗口申请" in guide and "更新日期：2026-10-08" in guide
    with at(dt.date(2026, 10, 9)):
        licensing.licence_type_withdraw(actor=world.people.admin, licence_type=report, reason="并入报告表审批")
    page = client.get("/disclosures/230100/").content.decode()
    assert "建设项目环境影响报告书审批" not in page and "本机关没有正在办理的行政许可事项。" in page


@pytest.mark.browser
def test_the_guide_fits_a_phone(live_data, browser, live_server, world):
    _report_approval(world)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/disclosures/230100/#licence-guide")
    assert check_page(page, 390) == []
    assert "公众参与说明（视情形提交；原件1份）" in page.locator("#licence-HP-BGS").inner_text()
