"""On a phone, in a real browser: an officer registers an application at the window with a material missing, tells
the applicant once what to add, receives it and accepts; the head grants the licence; the officer serves the
decision. No page is wider than the 390 px screen."""

import pytest
from django.utils import timezone

from sanxiang.licensing.models import Application, Licence
from sanxiang.testing.browser import act, login, page_width
from sanxiang.testing.licensing import APPLICANT, make_type

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    width = page_width(page)
    assert width <= PHONE["width"], (page.url, width)


def step(page, name: str, **fields) -> None:
    """Take the step from the record's page and expect it done, on a page that still fits."""
    act(page, name, trailing="", **fields)
    assert not page.locator(".errorlist").all_inner_texts(), page.locator(".errorlist").all_inner_texts()
    assert page.locator(".messages li").count() == 1
    fits(page)


def test_an_application_from_the_window_to_its_service_on_a_phone(live_data, browser, live_server, world):
    kind = make_type(world.harbin)
    page = login(browser, live_server, "officer", viewport=PHONE)
    page.click('nav.main a:has-text("行政许可")')
    page.wait_for_url("**/workbench/licensing/")
    fits(page)
    page.click('main a.button:has-text("窗口受理")')
    page.wait_for_url("**/licensing/new/")
    fits(page)
    page.click(f'main a:has-text("{kind.name}")')
    page.wait_for_url(f"**/licensing/new/{kind.pk}/")
    fits(page)
    for field, value in APPLICANT.items():
        page.fill(f"#id_{field}", value)
    page.get_by_label("M1 建设项目环境影响报告表审批申请书", exact=True).check()
    page.click('main button:has-text("登记申请")')
    page.wait_for_url("**/licensing/applications/*/")
    fits(page)
    assert "尚缺的必须材料" in page.content() and "受理期限" in page.content()
    application = Application.objects.get()

    # 一次告知: the missing material is ticked already; the applicant brings it; the materials are complete
    step(page, "supplement_request", fill={"note": "请补交报告表全本一份"})
    assert "待补正材料" in page.locator("h1").inner_text()
    step(page, "supplement", check=["M2 建设项目环境影响报告表（全本）"])
    assert "尚缺的必须材料" not in page.content()
    step(page, "accept")
    assert "已受理" in page.locator("h1").inner_text() and "决定期限" in page.content()
    # the head decides: the officer reads that the decision waits for the head, and has no form for it
    assert page.locator('form[action$="/grant"]').count() == 0
    assert "作出准予行政许可决定（负责人）" in page.locator("main").inner_text()

    page = login(browser, live_server, "head", viewport=PHONE)
    page.goto(f"{live_server.url}/workbench/licensing/")
    page.click(f'main a:has-text("{application.number}")')
    page.wait_for_url(f"**/licensing/applications/{application.pk}/")
    fits(page)
    step(page, "grant", fill={"content": "同意该项目按报告表所列内容建设"})
    assert "准予许可" in page.locator("h1").inner_text() and "准予行政许可决定书" in page.content()
    licence = Licence.objects.get()
    assert licence.publications.get().status == "draft"  # opened for the clerk with the decision

    page = login(browser, live_server, "officer", viewport=PHONE)
    page.goto(f"{live_server.url}/workbench/licensing/applications/{application.pk}/")
    fits(page)
    step(page, "serve", select={"method": "direct"})
    assert "行政许可文书送达回证" in page.content()
    page.click(f'main a:has-text("{licence.number}")')
    page.wait_for_url(f"**/licensing/licences/{licence.pk}/")
    fits(page)
    application.refresh_from_db()
    assert application.served_on == timezone.localdate() and application.closed_on == application.served_on
    assert application.supplement_items == ["M2"] and application.materials == ["M1", "M2"]
