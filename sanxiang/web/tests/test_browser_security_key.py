"""A security key in a real browser: Chromium's virtual authenticator (DevTools' WebAuthn domain) adds a key after a
login with the code, and the next login passes its second step with the key alone."""

import pytest

from sanxiang.agencies.models import SecurityKey
from sanxiang.audit.models import AuditEvent
from sanxiang.testing.browser import login, page_width
from sanxiang.testing.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_key_added_after_a_code_login_signs_in_next_time(live_data, browser, live_server, world):
    assert live_server.url.startswith("http://localhost:")  # WebAuthn takes a domain, never an IP address
    page = login(browser, live_server, "officer", viewport={"width": 390, "height": 844})
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.goto(f"{live_server.url}/workbench/password/")
    page.click("text=安全密钥")
    page.wait_for_url(f"{live_server.url}/workbench/security-keys/")
    assert page.locator("[data-security-key-unsupported]").is_hidden()
    assert page_width(page) <= 390
    page.fill("#id_name", "办公电脑")
    with page.expect_navigation():
        page.click("text=添加安全密钥 >> nth=-1")
    assert "安全密钥已添加" in page.locator(".messages").inner_text()
    assert "办公电脑" in page.locator("ul.events").inner_text()
    key = SecurityKey.objects.get(user=world.people.officer)
    assert key.transports == ["internal"]

    page.click("header >> text=退出")
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/login/code/")
    assert page_width(page) <= 390
    page.click("text=使用安全密钥登录")
    page.wait_for_url(f"{live_server.url}/workbench/")
    assert "李明" in page.locator("header").inner_text()
    key.refresh_from_db()
    assert key.last_used_at is not None
    event = AuditEvent.objects.filter(kind="otp_verify", user_id=world.people.officer.pk).latest("id")
    assert event.outcome == "success" and event.detail == {"method": "security_key"}
