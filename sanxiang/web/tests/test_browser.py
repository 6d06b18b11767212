"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import pytest

from sanxiang.agencies import services
from sanxiang.testing.browser import login, page_width
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled

pytestmark = pytest.mark.browser


def test_an_officer_logs_in_with_password_and_code_on_a_phone(live_data, browser, live_server, world):
    device = enrolled(world.people.officer)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/workbench/")
    assert "/workbench/login/" in page.url
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/login/code/")
    page.goto(f"{live_server.url}/workbench/cases/")  # the password alone opens nothing
    assert "/workbench/login/" in page.url
    page.goto(f"{live_server.url}/workbench/login/code/")
    page.fill("#id_code", code_for(device))
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/")
    assert page_width(page) <= 390
    assert page.locator("h1").inner_text() == "待办事项"
    assert "李明" in page.locator("header").inner_text()
    page.click("nav >> text=执法证")
    page.wait_for_url("**/manage/certificates/")
    assert world.certificates.officer.number in page.locator("table").inner_text()
    assert world.certificates.outsider.number not in page.content()


def test_an_officer_binds_an_authenticator_on_a_phone(live_data, browser, live_server, world):
    from django_otp.oath import TOTP

    from sanxiang.agencies.models import OtpEnrolment

    services.otp_enrolment_issue(actor=world.people.security, staff=world.people.officer, reason="新开账号")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/login/enrol/")
    assert page.locator(".qr svg").bounding_box()["width"] <= 390
    assert page_width(page) <= 390
    device = OtpEnrolment.objects.get(staff=world.people.officer).device
    page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/")
    assert "动态验证码已绑定" in page.locator(".messages").inner_text()


def test_the_public_sees_a_revoked_certificate_flagged(live_data, browser, live_server, world):
    services.certificate_revoke(actor=None, certificate=world.certificates.partner, reason="调离")
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("#number", world.certificates.partner.number)
    page.press("#number", "Enter")  # the certificate form, not the search form above it
    page.wait_for_url(f"**/verify/officer/{world.certificates.partner.number}/")
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "此执法证已被吊销，持证人不得从事行政执法活动。"
    assert page.locator(".qr img").evaluate("img => img.naturalWidth") > 0


def test_after_a_reset_an_officer_changes_the_password_on_a_phone(live_data, browser, live_server, world):
    services.staff_set_password(actor=world.people.security, staff=world.people.officer, password="temporary-pass-7788")
    device = enrolled(world.people.officer)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "temporary-pass-7788")
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/login/code/")
    page.fill("#id_code", code_for(device))
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/workbench/password/")
    assert page_width(page) <= 390
    page.fill("#id_old", "temporary-pass-7788")
    page.fill("#id_new", "spring-river-lantern-42")
    page.fill("#id_repeat", "spring-river-lantern-42")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/")
    assert page.locator("h1").inner_text() == "待办事项"


def test_the_security_administrator_sees_a_persons_tokens_on_a_phone(live_data, browser, live_server, world):
    from sanxiang.api.services import api_token_create

    api_token_create(actor=world.people.officer, user=world.people.officer, name="执法记录仪同步")
    page = login(browser, live_server, "security", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/manage/staff/{world.people.officer.pk}/")
    assert "执法记录仪同步" in page.locator("main").inner_text()
    assert page_width(page) <= 390
