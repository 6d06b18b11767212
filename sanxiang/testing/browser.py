"""Steps the browser tests share: logging in as a persona, taking a case action from its panel, and measuring a page's
width."""

import time

from django.db import OperationalError

from sanxiang.agencies.models import User
from sanxiang.testing.factories import PASSWORD
from sanxiang.testing.otp import code_for, enrolled


def _when_unlocked(write):
    """Run a write from the test's thread while the live server may hold SQLite's shared in-memory database (a page
    left open refreshes itself): wait for the lock instead of failing on it."""
    for attempt in range(100):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.1)


def login(browser, live_server, username, *, viewport=None):
    """Log in through the real two steps: the password, then the current code of the user's authenticator."""
    device = _when_unlocked(lambda: enrolled(User.objects.get(username=username)))
    page = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}).new_page()
    # archiving converts every document with LibreOffice inside the request: a loaded 2-core machine needs minutes
    page.set_default_timeout(120_000)
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/login/code/")
    page.fill("#id_code", _when_unlocked(lambda: code_for(device)))
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live_server.url}/workbench/")
    return page


def act(page, action, fill=None, check=(), select=None, *, trailing="/"):
    """Open the step's panel on the record's page, fill its form and submit it; `trailing` is what the step's address
    ends with after its name (a case's steps end with a slash, those of tasks and licensing none)."""
    form = page.locator(f'form[action$="/{action}{trailing}"]')
    form.locator("xpath=..").locator("summary").click()
    for field, value in (fill or {}).items():
        form.locator(f'[name="{field}"]').fill(value)
    for field, value in (select or {}).items():
        form.locator(f'[name="{field}"]').select_option(value)
    for label in check:
        form.get_by_label(label, exact=True).check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".messages li.error").all_inner_texts()
    assert not errors, errors


def page_width(page) -> int:
    """How wide the page's content is, read once the document a click may have started loading is there: read between
    a navigation's commit and its first parse, the new document has no element yet."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth")


def fits(page) -> bool:
    """Whether the page's content fits the screen it is shown on, without scrolling sideways."""
    return page_width(page) <= page.viewport_size["width"]
