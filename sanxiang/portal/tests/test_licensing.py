"""行政许可 on the portal: the 办事指南 publishes each type's materials, periods and rules with their articles; an
online application gets its number and shows on 办理进度查询 — which never shows who applied, their contact or ID
number —; an unknown number is 404; bad input and one address filing too fast write nothing."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.licensing import services
from sanxiang.licensing.models import Application, Material
from sanxiang.testing.browser import fits
from sanxiang.testing.cases import at
from sanxiang.testing.crawl import crawl
from sanxiang.testing.licensing import APPLICANT, make_type, submit

MONDAY = dt.date(2026, 3, 2)  # March 2026 has no public holiday: working days are Monday to Friday
CITIZEN_ID = "230102198001011236"
PRIVATE = {
    "applicant_name": "赵建华",
    "applicant_id_number": CITIZEN_ID,
    "applicant_address": "哈尔滨市道里区安静街9号",
    "contact_name": "钱晓梅",
    "phone": "13904519876",
    "email": "zhao.jianhua@example.cn",
}
FORM = {"kind": "new", **APPLICANT, "materials": ["M1", "M2"]}


@pytest.fixture
def licence_type(world):
    kind = make_type(world.harbin, validity_years=5, renewable=True, site_check=True, fee="不收费")
    Material.objects.filter(licence_type=kind, code="M1").update(
        sample="建设项目环境影响报告表审批申请书\n\n哈尔滨市生态环境局：\n    我单位……",
        copies="原件1份",
        note="加盖公章",
    )
    return kind


def _form(**overrides):
    return FORM | overrides


def test_the_guide_lists_the_agency_and_publishes_materials_periods_and_rules_with_their_articles(client, licence_type):
    index = client.get("/licences/").content.decode()
    assert "哈尔滨市生态环境局" in index and "/licences/230100/" in index
    agency = client.get("/licences/230100/").content.decode()
    assert licence_type.name in agency and "/licences/230100/HP-BGB/apply" in agency
    page = client.get("/licences/230100/HP-BGB/")
    text = page.content.decode()
    assert page.status_code == 200
    for material in ("建设项目环境影响报告表审批申请书", "建设项目环境影响报告表（全本）", "删除涉及国家秘密"):
        assert material in text
    assert text.count("必须提交") == 2 and text.count("视情形提交") == 1 and "加盖公章" in text
    # the period with its article, linked into the law library
    assert "自受理之日起 20个工作日内作出决定" in text and '<a class="law"' in text and "第四十二条" in text
    assert "5 个工作日内决定是否受理" in text and "可以延长 10 个工作日" in text
    assert "有效期届满 30 日前" in text and "视为准予延续" in text and "第五十条" in text
    assert "两名以上工作人员" in text and "不收费" in text
    assert "/licences/230100/HP-BGB/apply" in text and "/licences/progress/" in text
    sample = client.get("/licences/230100/HP-BGB/samples/M1/").content.decode()
    assert "我单位……" in sample and "打印" in sample
    assert client.get("/licences/230100/HP-BGB/samples/M2/").status_code == 404  # no sample text
    assert client.get("/licences/230100/NOPE/").status_code == 404
    assert client.get("/licences/999999/").status_code == 404


def test_a_type_s_own_renewal_period_replaces_the_thirty_days(client, world):
    make_type(world.harbin, validity_years=5, renewable=True, renewal_days_before=60)
    assert "有效期届满 60 日前" in client.get("/licences/230100/HP-BGB/").content.decode()


def test_an_online_application_gets_its_number_and_is_received_on_the_progress_page(client, licence_type):
    entries = Entry.objects.count()
    with at(MONDAY):
        page = client.get("/licences/230100/HP-BGB/apply")
        assert page.status_code == 200 and "提交申请" in page.content.decode()
        done = client.post("/licences/230100/HP-BGB/apply", _form(), follow=True)
    application = Application.objects.get()
    text = done.content.decode()
    assert done.status_code == 200 and application.number in text and "请抄写或截图保存申请编号" in text
    assert "2026-03-09（含当日）前" in text and "第三十二条" in text  # 5 working days to decide on acceptance
    assert application.channel == Application.Channel.ONLINE and application.materials == ["M1", "M2"]
    assert Entry.objects.filter(action="licence_application.submit", subject_id=str(application.pk)).exists()
    assert Entry.objects.count() > entries
    assert done.redirect_chain == [("/licences/230100/HP-BGB/applied", 302)]
    with at(MONDAY):  # the answer reloaded files nothing again; another browser is sent to the form
        assert application.number in client.get("/licences/230100/HP-BGB/applied").content.decode()
        assert Client().get("/licences/230100/HP-BGB/applied")["Location"] == "/licences/230100/HP-BGB/apply"
    assert Application.objects.count() == 1
    with at(MONDAY):
        progress = client.get("/licences/progress/", {"number": application.number.lower()})
    shown = progress.content.decode()
    assert progress.status_code == 200 and "已接收" in shown and "接收许可申请" in shown
    assert "2026-03-09" in shown and licence_type.name in shown and "哈尔滨市生态环境局" in shown


def test_the_progress_page_shows_steps_and_days_and_never_who_applied(client, world, licence_type):
    with at(MONDAY):
        application = submit(None, licence_type, applicant_uscc="", **PRIVATE)
        services.application_accept(actor=world.people.officer, application=application)
    with at(MONDAY + dt.timedelta(days=3)):
        page = client.get("/licences/progress/", {"number": application.number})
        answer = APIClient().get(f"/api/v1/public/licensing/progress/{application.number}")
    text = page.content.decode()
    assert page.status_code == 200 and "已受理" in text and "受理许可申请" in text
    assert "3 个工作日" in text and "17 个工作日" in text and "<meter" in text  # used and left of 20
    assert "第四十二条" in text
    for value in PRIVATE.values():
        assert value not in text and value not in answer.content.decode()


def test_a_deemed_acceptance_and_a_passed_deadline_are_stated_with_their_articles(client, world, licence_type):
    with at(MONDAY):
        application = submit(None, licence_type)
    with at(MONDAY + dt.timedelta(days=8)):  # the 5 working days ran out on the 9th
        services.applications_deem_accepted()
    with at(MONDAY + dt.timedelta(days=30)):  # 20 working days from the 2nd end on 30 March; this is 1 April
        text = client.get("/licences/progress/", {"number": application.number}).content.decode()
    assert "依法自收到申请材料之日起即为受理" in text and "第三十二条" in text
    assert "逾期未告知，视为受理" in text
    assert "决定期限的最后一日为 2026-03-30（含当日），已超过 2 个工作日" in text


def test_an_unknown_number_is_404_and_an_empty_one_shows_the_form(client, licence_type):
    submit(None, licence_type)
    form = client.get("/licences/progress/")
    assert form.status_code == 200 and "申请编号" in form.content.decode()
    for number in ("XK20260302-AAAAAA", "<script>", "X" * 200, "XK20260302-AAAAA\x00"):
        page = client.get("/licences/progress/", {"number": number})
        assert page.status_code == 404 and "没有查到这个申请编号" in page.content.decode()
    for number in ("XK20260302-AAAAAA", "XK20260302-AAAAA%00"):
        assert APIClient().get(f"/api/v1/public/licensing/progress/{number}").status_code == 404


def test_a_refused_application_shows_the_errors_in_chinese_and_writes_nothing(client, licence_type):
    entries = Entry.objects.count()
    missing = client.post("/licences/230100/HP-BGB/apply", _form(phone="", materials=["M9"]))
    assert missing.status_code == 400
    text = missing.content.decode()
    assert "这个字段是必填项" in text or "必填" in text
    both = client.post("/licences/230100/HP-BGB/apply", _form(applicant_id_number=CITIZEN_ID))
    assert both.status_code == 400 and "二者填一项" in both.content.decode()
    assert not Application.objects.exists() and Entry.objects.count() == entries


def test_a_type_not_taken_online_sends_the_applicant_to_the_window(client, world):
    make_type(world.harbin, online=False, window="哈尔滨市政务服务中心三楼12号窗口")
    page = client.get("/licences/230100/HP-BGB/apply").content.decode()
    assert "本事项不受理网上申请" in page and "三楼12号窗口" in page and '<form method="post"' not in page
    refused = client.post("/licences/230100/HP-BGB/apply", _form())
    assert refused.status_code == 400 and not Application.objects.exists()


def test_one_address_filing_too_fast_is_refused_in_chinese_on_the_form_counting_the_api_too(
    client, licence_type, settings
):
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], "licence_application": "2/hour"}
    settings.REST_FRAMEWORK = framework
    assert client.post("/licences/230100/HP-BGB/apply", _form(), follow=True).status_code == 200
    api = APIClient().post(
        "/api/v1/public/licensing/applications/",
        _form(agency="230100", licence_type="HP-BGB"),
        format="json",
    )
    assert api.status_code == 201
    refused = client.post("/licences/230100/HP-BGB/apply", _form(project="第三个项目"))
    text = refused.content.decode()
    assert refused.status_code == 429 and "提交申请过于频繁" in text and "第三个项目" in text
    assert int(refused["Retry-After"]) > 0
    assert Application.objects.count() == 2


@pytest.mark.browser
def test_on_a_phone_an_applicant_reads_the_guide_applies_online_and_follows_the_progress(
    live_data, browser, live_server, world
):
    kind = make_type(world.harbin, validity_years=5, renewable=True)
    Material.objects.filter(licence_type=kind, code="M1").update(sample="申请书\n哈尔滨市生态环境局：\n    我单位……")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/")
    page.click("nav.main >> text=许可办事指南")
    page.click("text=哈尔滨市生态环境局")
    assert fits(page)
    page.click("h2 >> text=建设项目环境影响报告表审批")
    assert "有效期届满 30 日前" in page.content() and fits(page)
    page.click(".actions >> text=网上申请")
    assert fits(page)
    for field, value in APPLICANT.items():
        page.fill(f"#id_{field}", value)
    page.get_by_label("M1 建设项目环境影响报告表审批申请书").check()
    page.get_by_label("M2 建设项目环境影响报告表（全本）").check()
    page.click("text=提交申请")
    number = page.locator("p.number code").inner_text()
    assert number.startswith("XK") and fits(page)
    page.click("text=查询办理进度")
    assert number in page.content() and "已接收" in page.locator("main").inner_text() and fits(page)
    assert Application.objects.get(number=number).materials == ["M1", "M2"]
    # and every page of the guide: none wider than the phone, none with a raw value or an English label
    walked = crawl(page, live_server.url, "public", "/licences/", within="/licences/")
    assert not walked.problems, "\n".join(map(str, walked.problems))
    assert {"/licences/230100/HP-BGB/samples/M1/", "/licences/progress/"} <= set(walked.visited)
