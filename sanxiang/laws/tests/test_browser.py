"""On a phone, in a real browser: a party follows a citation of the portal to the article in one click, and the
library's pages and the rules list fit the screen."""

import pytest

from sanxiang.laws.models import Article
from sanxiang.testing.browser import fits, login

pytestmark = pytest.mark.browser


def test_a_party_reads_a_cited_article_in_one_click_on_a_phone(live_data, browser, live_server, world):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/verify/officer/000000000000/")
    page.click("a.law")
    page.wait_for_url("**/laws/articles/*/")
    article = Article.objects.get(instrument__version_label="2021年修订", number=55)
    assert page.locator("h1").inner_text() == "《中华人民共和国行政处罚法》第五十五条"
    assert article.paraphrase in page.content() and fits(page)
    page.click("text=← 《中华人民共和国行政处罚法》（2021年修订）")
    page.wait_for_url("**/laws/instruments/*/")
    assert fits(page)
    page.goto(f"{live_server.url}/laws/?q=行政处罚法")
    assert "2017年修正" in page.locator("table").inner_text() and fits(page)


def test_the_rules_list_fits_a_phone_on_the_workbench(live_data, browser, live_server, world):
    page = login(browser, live_server, "officer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/laws/rules/")
    assert "所引条款已失效" in page.locator("table").inner_text() and fits(page)
