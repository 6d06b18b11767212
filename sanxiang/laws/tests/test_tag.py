"""{% cite %}: every citation a link to its article, on the side of the page it is on, everything else escaped."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve as resolve_url
from django.urls import reverse
from django.utils.safestring import mark_safe

from sanxiang.laws.models import Article, Instrument

pytestmark = pytest.mark.django_db


def _render(text, *, on=None, request=None) -> str:
    template = Template("{% load laws %}{% cite text on=on %}")
    return template.render(Context({"text": text, "on": on, "request": request}))


def _article(title: str, number: int, version: str = "") -> Article:
    rows = Article.objects.filter(instrument__title=title, number=number)
    return rows.get(instrument__version_label=version) if version else rows.get()


def _page(path: str, user):
    request = RequestFactory().get(path)
    request.user, request.resolver_match = user, resolve_url(path)
    return request


def test_everything_but_the_links_is_escaped():
    html = _render('<script>alert("x")</script>《行政处罚法》第五十一条<b>')
    assert "<script>" not in html and "<b>" not in html
    assert html.startswith("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<a ")
    assert html.endswith("</a>&lt;b&gt;")


def test_a_title_made_of_markup_is_no_citation_and_stays_escaped():
    html = _render('《<img src=x onerror="alert(1)">》第一条')
    assert "<img" not in html and "<a" not in html


def test_each_article_of_a_citation_is_its_own_link_and_the_first_carries_the_law():
    first = _article("中华人民共和国行政处罚法", 51, "2021年修订")
    second = _article("中华人民共和国行政处罚法", 63, "2021年修订")
    html = _render("《行政处罚法》第五十一条、第六十三条")
    assert html == (
        f'<a class="law" href="/laws/articles/{first.pk}/">《行政处罚法》第五十一条</a>'
        f'、<a class="law" href="/laws/articles/{second.pk}/">第六十三条</a>'
    )


def test_a_citation_of_a_law_without_the_article_links_the_law():
    law = Instrument.objects.get(title="中华人民共和国民事诉讼法")
    assert _render("依照《民事诉讼法》的有关规定送达") == (
        f'依照<a class="law" href="/laws/instruments/{law.pk}/">《民事诉讼法》</a>的有关规定送达'
    )


def test_a_law_the_library_does_not_hold_stays_plain_text():
    assert _render("《哈尔滨市生态环境行政处罚听证规定》第五条") == "《哈尔滨市生态环境行政处罚听证规定》第五条"


def test_a_version_not_in_force_on_the_day_is_marked():
    html = _render("《环境行政处罚办法》（2010）第七十条", on=dt.date(2026, 1, 1))
    assert 'class="law-stale"' in html and "所引版本已失效" in html
    assert 'class="law"' in _render("《环境行政处罚办法》（2010）第七十条", on=dt.date(2020, 1, 1))


def test_the_day_of_the_act_picks_the_version_linked():
    html = _render("《行政处罚法》第四十二条", on=dt.date(2020, 1, 1))
    old = Instrument.objects.get(title="中华人民共和国行政处罚法", version_label="2017年修正")
    assert f'href="/laws/instruments/{old.pk}/"' in html  # that version's articles are not collected


def test_safe_html_keeps_its_markup_and_gets_its_citations_linked():
    html = _render(mark_safe('<a href="http://x.cn">x</a> 依据《行政强制法》第二十五条 &amp;'))
    assert html.startswith('<a href="http://x.cn">x</a> 依据<a class="law" href=')
    assert html.endswith("</a> &amp;")


def test_a_workbench_page_links_to_the_workbench_library_and_a_public_page_to_the_portal(world):
    article = _article("中华人民共和国行政强制法", 25)
    staff = _page(reverse("cases:case-list"), world.people.officer)
    public = _page(reverse("public:search"), world.people.officer)
    assert f'href="/workbench/laws/articles/{article.pk}/"' in _render("《行政强制法》第二十五条", request=staff)
    assert f'href="/laws/articles/{article.pk}/"' in _render("《行政强制法》第二十五条", request=public)
