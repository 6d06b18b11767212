"""The portal's menu on a phone, in a real browser: every label is read whole, none cut short."""

import pytest

from sanxiang.testing.browser import fits

pytestmark = pytest.mark.browser

CLIPPED = (
    "[...document.querySelectorAll('nav.main a')].filter(a => a.scrollWidth > a.clientWidth).map(a => a.innerText)"
)


@pytest.mark.parametrize("width", [320, 390, 480])
def test_every_menu_label_is_readable_on_a_phone(live_data, browser, live_server, width):
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    page.goto(f"{live_server.url}/")
    assert page.locator("nav.main a").count() > 10
    assert page.evaluate(CLIPPED) == []
    assert fits(page)
