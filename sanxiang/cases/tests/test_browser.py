"""A case from inspection to archive in the browser, by officers, the head, a reviewer and the clerk."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case, Stage
from sanxiang.testing.browser import act, login
from sanxiang.testing.cases import make_party, today_at

pytestmark = pytest.mark.browser


@pytest.fixture
def evening():
    """The day's work is recorded in the evening, after the inspection of 9 to 11 o'clock (a time later than now is
    refused)."""
    with today_at(18):
        yield


def test_an_inspection_becomes_a_case_that_ends_in_the_archive(live_data, browser, live_server, world, evening):
    party = make_party(world.harbin, name="哈尔滨浏览器测试化工有限公司")
    today = timezone.localdate().isoformat()
    officer = login(browser, live_server, "officer")
    officer.goto(f"{live_server.url}/workbench/cases/inspections/new/")
    officer.select_option("#id_party", str(party.pk))
    officer.fill("#id_place", "厂区脱硫设施")
    officer.fill("#id_started_at", f"{today}T09:00")
    officer.get_by_label("李明", exact=True).check()
    officer.get_by_label("张丽华", exact=True).check()
    # a complaint of smoke from the stack: inspected at once, approved afterwards
    officer.select_option("#id_emergency_ground", "complaint")
    officer.fill("#id_emergency_note", "群众举报烟囱冒黄烟")
    officer.click("main button[type=submit]")
    officer.wait_for_load_state()
    officer.fill("#id_ended_at", f"{today}T11:00")
    officer.fill("#id_findings", "脱硫设施停运，二氧化硫排放超标。")
    officer.check("#id_violation_found")
    officer.select_option("#id_signature", "signed")
    officer.click("main button[type=submit]")
    officer.wait_for_selector("text=现场检查（勘察）笔录")  # the page after the submission, not the form mid-flight

    officer.goto(f"{live_server.url}/workbench/cases/new/")
    officer.select_option("#id_party", str(party.pk))
    officer.fill("#id_title", "超标排放大气污染物案")
    officer.select_option("#id_source", "inspection")
    officer.select_option(
        "#id_violation", label="DQ-99 无证排放大气污染物或超标、超总量排放，或通过逃避监管的方式排放大气污染物"
    )
    officer.fill("#id_act_date", today)
    officer.fill("#id_act_place", "哈尔滨市松北区化工路 8 号")
    officer.fill("#id_act_division", "230109")
    officer.fill("#id_discovered_on", today)
    officer.click("main button[type=submit]")
    case = Case.objects.get(title="超标排放大气污染物案")
    url = f"{live_server.url}/workbench/cases/{case.pk}/"

    head = login(browser, live_server, "head")
    head.goto(url)
    act(head, "file", check=["李明", "张丽华"])
    # the monitoring report on file: the decision lists the evidence by its number in the case file
    officer.goto(f"{live_server.url}/workbench/evidence/cases/{case.pk}/")
    report = {"name": "监测报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 monitoring report"}
    officer.set_input_files("#id_file", files=[report])
    officer.select_option("#id_act", "evidence")
    officer.select_option("#id_kind", "documentary")
    officer.fill("#id_description", "监测报告：二氧化硫排放浓度超标1.5倍")
    officer.click("main form button[type=submit]")
    officer.get_by_role("link", name="监测报告.pdf").wait_for()
    officer.goto(url)
    act(
        officer,
        "submit",
        fill={
            "facts": "二氧化硫排放浓度超标1.5倍。",
            "evidence": "现场检查笔录、监测报告",
            "basis": "《大气污染防治法》第九十九条",
            "fine": "150000",
        },
        check=["罚款"],
    )
    reviewer = login(browser, live_server, "reviewer")
    reviewer.goto(url)
    act(reviewer, "review", fill={"opinion": "事实清楚，证据确凿。"})
    officer.goto(url)
    act(officer, "notify", fill={"day": today})
    act(officer, "waive", fill={"day": today})
    act(officer, "reconsider", fill={"note": "当事人放弃陈述申辩。", "fine": "150000"}, check=["罚款"])
    head.goto(url)
    act(head, "decide", select={"outcome": "penalty"})
    officer.goto(url)
    act(officer, "serve", fill={"day": today}, select={"method": "direct"})
    act(officer, "pay", fill={"day": today, "amount": "150000"})
    head.goto(url)
    act(head, "close", fill={"summary": "罚款已缴清。"})
    clerk = login(browser, live_server, "clerk")
    clerk.goto(url)
    act(clerk, "archive")
    assert "已归档" in clerk.locator("h1").inner_text()
    assert "哈环罚〔" in clerk.content()
    case.refresh_from_db()
    assert case.stage == Stage.ARCHIVED and case.archived_on == dt.date.fromisoformat(today)
