"""The public's side in a real browser: searching, reading a decision and checking its proof in the page; the on-time
rates on a phone."""

import datetime as dt

import pytest
from django.conf import settings

from sanxiang.ledger.services import checkpoint_create
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import at
from sanxiang.testing.publicity import published

pytestmark = pytest.mark.browser


def _anonymous(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone


def test_a_visitor_finds_a_decision_reads_it_and_verifies_it_in_the_browser(live_data, browser, live_server, world):
    publication = published(world)
    checkpoint_create()
    later = published(world)  # published after the last checkpoint: not yet provable
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/decisions/")
    page.fill('input[name="q"]', "化工")
    page.select_option('select[name="agency"]', world.harbin.code)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("li.result").count() == 2
    page.click(f'a[href="/decisions/{publication.pk}/"]')
    page.wait_for_url(f"{live_server.url}/decisions/{publication.pk}/")
    assert page.locator("h1").inner_text() == publication.title
    assert "罚款金额（万元）" in page.locator("dl.facts").first.inner_text()
    page.click(f'a[href="/decisions/{publication.pk}/v1/verify"]')
    page.wait_for_selector("#verify-result[data-result]")
    assert page.locator("#verify-result").get_attribute("data-result") == "ok", page.locator(
        "#verify-result"
    ).inner_text()
    assert page.locator("#verify li[data-result=ok]").count() == 4
    assert page.locator("[data-key-id]").inner_text().startswith(settings.LEDGER_ORIGIN + "+")

    page.goto(f"{live_server.url}/decisions/{later.pk}/v1/verify")
    page.wait_for_selector("#verify-result.warn")
    assert "尚未纳入最新的签名检查点" in page.locator("#verify-result").inner_text()
    assert page.locator("#verify li[data-step=signature]").get_attribute("data-result") == "ok"


def test_the_on_time_rates_by_kind_fit_a_phone_on_the_portal_and_the_desk(live_data, browser, live_server, world):
    from sanxiang.testing.browser import login
    from sanxiang.testing.crawl import check_page
    from sanxiang.testing.licensing import granted, make_type
    from sanxiang.testing.publicity import publish

    licence = granted(world, make_type(world.harbin), accepted_on=dt.date(2026, 9, 28), granted_on=dt.date(2026, 9, 30))
    with at(dt.date(2026, 10, 15)):
        publish(world, Publication.objects.get(licence=licence))
    phone = {"width": 390, "height": 844}
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/statistics/?year=2026")
    assert check_page(page, 390) == []
    assert "100%（1 / 1）" in page.locator("main").inner_text()
    desk = login(browser, live_server, "clerk", viewport=phone)
    desk.goto(f"{live_server.url}/workbench/publicity/?year=2026")
    assert check_page(desk, 390) == []
    assert "行政许可按时率" in desk.locator("main").inner_text()


def test_a_text_altered_after_publication_fails_the_check_naming_both_fingerprints(
    live_data, browser, live_server, world
):
    """Issue 20: a failed step says what differs and shows both values, never its own label (which states what
    should hold)."""
    import hashlib

    from sanxiang.publicity.models import PublicationVersion

    publication = published(world)
    checkpoint_create()
    version = PublicationVersion.objects.get(publication=publication, number=1)
    recorded = version.public_sha256
    altered = version.public_text.replace("罚款", "警告", 1)
    assert altered != version.public_text
    PublicationVersion.objects.filter(pk=version.pk).update(public_text=altered)  # behind the services' back
    page = _anonymous(browser)
    page.goto(f"{live_server.url}/decisions/{publication.pk}/v1/verify")
    page.wait_for_selector("#verify-result[data-result]")
    verdict = page.locator("#verify-result").inner_text()
    assert page.locator("#verify-result").get_attribute("data-result") == "bad", verdict
    assert verdict.startswith("核验未通过：") and "二者不一致" in verdict
    assert hashlib.sha256(altered.encode()).hexdigest() in verdict and recorded in verdict
    assert "账本条目记载的数字指纹与公开文本一致" not in verdict
    assert page.locator("#verify li[data-step=entry]").get_attribute("data-result") == "bad"
    assert page.locator("#verify li[data-result]").count() == 2  # the text was hashed; nothing after the failure ran
